import { COMMANDS, type CommandInfo } from '../../domain/commands.js';
import { context, divider, escapeMrkdwn, header, message, section, type Message } from './blocks.js';

export function helpView(): Message {
  const lines = COMMANDS.map((c) => `\`/aipath ${c.usage}\`${c.admin ? ' _(admins)_' : ''}\n${c.summary}, e.g. \`${c.example}\``);
  return message('aipath: your study companion from cloud roles to AI/ML roles on AWS. Try /aipath tracks, then /aipath start <track>.', [
    header('aipath: from cloud engineer to AI/ML on AWS'),
    section(
      'Pick a track, get a milestone every week, a tip and a quiz every day, and study with your team on a leaderboard. ' +
        'Tracks lead to *AWS Certified AI Practitioner*, *Machine Learning Engineer – Associate* and *Generative AI Developer – Professional*.',
    ),
    divider(),
    section(lines.slice(0, 9).join('\n\n')),
    section(lines.slice(9).join('\n\n')),
    context('Replies are visible only to you unless a command says otherwise.'),
  ]);
}

/** A parse failure: what went wrong, how to write it, and where the help is. */
export function usageErrorView(problem: string, usage?: CommandInfo): Message {
  const blocks = [section(`:warning: ${problem}`)];
  if (usage) blocks.push(context(`Usage: \`/aipath ${escapeMrkdwn(usage.usage)}\` · example: \`${usage.example}\``));
  blocks.push(context('All commands: `/aipath help`'));
  return message(problem.replace(/`/g, ''), blocks);
}

export function noticeView(text: string, emoji = ':information_source:'): Message {
  return message(plainText(text), [section(`${emoji} ${text}`)]);
}

/**
 * mrkdwn as a notification shows it: code and bold markers dropped, and underscores only where they mark italics
 * (around words), so that Slack's error codes such as `not_in_channel` keep theirs.
 */
export function plainText(mrkdwn: string): string {
  return mrkdwn.replace(/[`*]/g, '').replace(/(^|[^\w])_([^_]+?)_(?=[^\w]|$)/g, '$1$2');
}
