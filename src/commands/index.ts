import { parseCommand, type Command } from '../domain/commands.js';
import { helpView, usageErrorView } from '../slack/views/help.js';
import { leaderboard } from './leaderboard.js';
import { personalQuiz } from './quiz.js';
import { subscribe, unsubscribe } from './channel.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';
import { done, pause, resume, start, status, stop } from './learner.js';
import { cert, service, tip, tracks } from './lookup.js';
import { forgetMeConfirm, settings } from './settings.js';

/** Parses `/aipath <text>` and answers it. Invalid input gets usage help and touches nothing. */
export async function handleCommandText(deps: StudyDeps, ctx: CommandContext, text: string): Promise<Reply> {
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    const reply = usageErrorView(parsed.message, parsed.usage);
    if (!parsed.usage) reply.blocks.push(...helpView().blocks.slice(3));
    return ephemeral(reply);
  }
  return runCommand(deps, ctx, parsed.command);
}

/** Commands after which the caller's Home tab is out of date. */
const CHANGES_HOME = new Set<Command['name']>(['start', 'done', 'pause', 'resume', 'stop', 'settings']);

export async function runCommand(deps: StudyDeps, ctx: CommandContext, command: Command): Promise<Reply> {
  const reply = await answer(deps, ctx, command);
  return CHANGES_HOME.has(command.name) ? { ...reply, refreshHome: true } : reply;
}

async function answer(deps: StudyDeps, ctx: CommandContext, command: Command): Promise<Reply> {
  switch (command.name) {
    case 'help':
      return ephemeral(helpView());
    case 'tracks':
      return tracks(deps);
    case 'start':
      return start(deps, ctx, command.track);
    case 'status':
      return status(deps, ctx);
    case 'done':
      return done(deps, ctx);
    case 'pause':
      return pause(deps, ctx, command.days);
    case 'resume':
      return resume(deps, ctx);
    case 'stop':
      return stop(deps, ctx);
    case 'service':
      return service(deps, command.query);
    case 'cert':
      return cert(deps, command.query, ctx.now);
    case 'tip':
      return tip(deps, ctx);
    case 'quiz':
      return personalQuiz(deps, ctx);
    case 'leaderboard':
      return leaderboard(deps, ctx, command.period);
    case 'subscribe':
      return subscribe(deps, ctx, command);
    case 'unsubscribe':
      return unsubscribe(deps, ctx);
    case 'settings':
      return settings(deps, ctx, command);
    case 'forget-me':
      return forgetMeConfirm();
  }
}
