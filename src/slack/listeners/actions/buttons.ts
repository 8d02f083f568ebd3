import type { App, BlockAction as BoltBlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { runCommand } from '../../../commands/index.js';
import { ephemeral, type Reply } from '../../../commands/context.js';
import { certCardByRecord, conceptCardByRecord, serviceCardByRecord } from '../../../commands/lookup.js';
import { forgetMe } from '../../../commands/settings.js';
import { acknowledgeTip, answerChannel, answerPersonal, type ChannelAnswer } from '../../../commands/quiz.js';
import { PICK_ACTION, parseAnswerValue } from '../../views/quiz.js';
import { responseFromPicks, type QuizResponse } from '../../../core/question.js';
import type { QuizQuestion } from '../../../content/schema.js';
import type { Command } from '../../../core/commands.js';
import { noticeView } from '../../views/help.js';
import { commandContext, type SlackDeps } from '../../deps.js';
import { BlockActionPayload, quizPicksFromState, workspaceKey, type BlockAction } from '../../payload.js';
import { SORRY, failureReply } from '../commands/aipath.js';
import { withDatabase } from '../../database-guard.js';
import { refreshHome } from '../events/app-home.js';

/** Buttons that simply run a command as if the clicker had typed it. */
const BUTTON_COMMANDS: Record<string, Command> = {
  milestone_done: { name: 'done' },
  show_status: { name: 'status' },
  show_tracks: { name: 'tracks' },
  pause_nudges: { name: 'pause' },
  resume_nudges: { name: 'resume' },
  snooze_week: { name: 'pause', days: 7 },
};

async function answer(deps: SlackDeps, client: WebClient, body: unknown, respond: RespondFn, compute: (a: BlockAction) => Promise<Reply> | Reply) {
  const parsed = BlockActionPayload.safeParse(body);
  let reply: Reply;
  if (!parsed.success) {
    deps.logger.warn(`block action with unexpected fields: ${parsed.error.issues[0]?.path.join('.')}`);
    reply = SORRY;
  } else {
    try {
      const action = parsed.data;
      reply = await withDatabase(deps.database, deps.logger, () => compute(action));
    } catch (err) {
      reply = failureReply(err, deps.logger, 'button');
    }
  }
  try {
    // Buttons on the Home tab come without a response_url: the answer goes to the app's DM instead.
    if ((body as { response_url?: string }).response_url)
      await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text, blocks: reply.blocks });
    else if (parsed.success) await client.chat.postMessage({ channel: parsed.data.user.id, text: reply.text, blocks: reply.blocks });
  } catch (err) {
    deps.logger.warn(`could not answer a button: ${(err as Error).message}`);
  }
  if (reply.refreshHome && parsed.success) {
    await refreshHome(deps, client, workspaceKey(parsed.data.teamId, parsed.data.enterprise?.id), parsed.data.user.id);
  }
}

const UNREADABLE = ephemeral(noticeView('That answer could not be read.'));

/**
 * The post or question a click answers, and the answer: the letter on a single-choice button, or the
 * pickers' state when the learner pressed Submit.
 */
function readAnswer(a: BlockAction, questionOf: (key: string) => QuizQuestion | undefined): { key: string; response: QuizResponse } | undefined {
  const action = a.actions[0]!;
  if (!action.action_id.endsWith('_submit')) {
    const v = parseAnswerValue(action.value);
    return v && { key: v.key, response: [v.option] };
  }
  const key = action.value ?? '';
  if (!/^[a-z0-9-]+$/.test(key)) return undefined;
  const q = questionOf(key);
  // A question gone from the content still gets its "no longer available" reply from the service.
  return { key, response: q ? responseFromPicks(q, quizPicksFromState(a.state, PICK_ACTION)) : [] };
}

function contextOf(deps: SlackDeps, client: WebClient, a: BlockAction) {
  return commandContext(deps, client, {
    workspaceId: workspaceKey(a.teamId, a.enterprise?.id),
    userId: a.user.id,
    channelId: a.channel?.id ?? a.container?.channel_id ?? '',
  });
}

export function registerButtons(app: App, deps: SlackDeps): void {
  app.action<BoltBlockAction>(new RegExp(`^(${Object.keys(BUTTON_COMMANDS).join('|')})$`), async ({ ack, body, client, respond, action }) => {
    await ack();
    await answer(deps, client, body, respond, (a) => runCommand(deps.study, contextOf(deps, client, a), BUTTON_COMMANDS[action.action_id]!));
  });

  app.action<BoltBlockAction>(/^lookup_(service|cert|track|concept):/, async ({ ack, body, client, respond }) => {
    await ack();
    await answer(deps, client, body, respond, async (a) => {
      const [kind, id = ''] = a.actions[0]!.action_id.replace(/^lookup_/, '').split(':');
      if (kind === 'track') return runCommand(deps.study, contextOf(deps, client, a), { name: 'start', track: id });
      const card =
        kind === 'service'
          ? serviceCardByRecord(deps.study, id)
          : kind === 'concept'
            ? conceptCardByRecord(deps.study, id)
            : certCardByRecord(deps.study, id, deps.clock());
      return ephemeral(card ?? noticeView('That entry no longer exists.'));
    });
  });

  // Ticking a box or choosing in a menu only changes what the clicker sees until they submit.
  app.action<BoltBlockAction>(PICK_ACTION, async ({ ack }) => {
    await ack();
  });

  app.action<BoltBlockAction>(/^pquiz(:[0-5]|_submit)$/, async ({ ack, body, client, respond }) => {
    await ack();
    await answer(deps, client, body, respond, (a) => {
      const v = readAnswer(a, (key) => deps.study.content.question(key));
      return v ? answerPersonal(deps.study, contextOf(deps, client, a), v.key, v.response) : UNREADABLE;
    });
  });

  app.action<BoltBlockAction>(/^cquiz(:[0-5]|_submit)$/, async ({ ack, body, client, respond }) => {
    await ack();
    let update: ChannelAnswer['update'];
    await answer(deps, client, body, respond, async (a) => {
      const v = readAnswer(a, (key) => {
        const post = deps.study.stores.quiz.post(Number(key));
        return post ? deps.study.content.question(post.question_id) : undefined;
      });
      if (!v) return UNREADABLE;
      const result = await answerChannel(deps.study, contextOf(deps, client, a), Number(v.key), v.response);
      update = result.update;
      return result.reply;
    });
    if (!update) return;
    try {
      await client.chat.update({ channel: update.channel, ts: update.ts, text: update.message.text, blocks: update.message.blocks });
    } catch (err) {
      deps.logger.warn(`could not update the quiz count in ${update.channel}: ${(err as Error).message}`);
    }
  });

  app.action<BoltBlockAction>('tip_ack', async ({ ack, body, client, respond }) => {
    await ack();
    await answer(deps, client, body, respond, (a) => acknowledgeTip(deps.study, contextOf(deps, client, a)));
  });

  app.action<BoltBlockAction>('forget_me_confirm', async ({ ack, body, client, respond }) => {
    await ack();
    await answer(deps, client, body, respond, (a) => forgetMe(deps.study, contextOf(deps, client, a)));
  });

  app.action<BoltBlockAction>('forget_me_cancel', async ({ ack, body, client, respond }) => {
    await ack();
    await answer(deps, client, body, respond, () => ephemeral(noticeView('Nothing was deleted.')));
  });
}
