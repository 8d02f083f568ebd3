import type { AllMiddlewareArgs, App, BlockAction as BoltBlockAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { certCard, conceptCard, serviceCard } from '../../../services/lookup.js';
import { acknowledgeTip, answerChannel, answerPersonal } from '../../../services/quiz.js';
import { forgetMe } from '../../../services/settings.js';
import { cardView } from '../../presenters/lookup.js';
import { presentAnswer, presentRecount, presentTipAcknowledged } from '../../presenters/quiz.js';
import { ephemeral, type Reply } from '../../presenters/reply.js';
import { presentForgotten } from '../../presenters/settings.js';
import { runCommand } from '../../routes.js';
import { commandSlack } from '../../command-slack.js';
import { presentRegraded, presentReviewAnswer, presentReviewStep } from '../../presenters/review.js';
import { answerReview, nextReview, regradeAnswer } from '../../../services/reviews.js';
import { answerMock } from '../../../services/mock.js';
import { presentMock } from '../../presenters/mock.js';
import { responseFromPicks, type QuizResponse } from '../../../domain/question.js';
import type { QuizQuestion } from '../../../content/schema.js';
import type { Command } from '../../../domain/commands.js';
import { noticeView } from '../../views/help.js';
import { context } from '../../views/blocks.js';
import { classifySlackError } from '../../errors.js';
import { callerOf, type SlackDeps } from '../../deps.js';
import {
  ACTIONS,
  LOOKUP_ACTIONS,
  QUIZ_CONTROLS,
  QUIZ_PICK,
  type ActionDef,
  type FixedActionDef,
  type LookupKind,
  type QuizControls,
} from '../../action-ids.js';
import { BlockActionPayload, quizPicksFromState, workspaceKey, type BlockAction } from '../../payload.js';
import { SORRY, failureReply } from '../commands/aipath.js';
import { withDatabase } from '../../database-guard.js';
import { refreshHome } from '../events/app-home.js';

type ActionArgs = SlackActionMiddlewareArgs<BoltBlockAction> & AllMiddlewareArgs;

/** Buttons that simply run a command as if the clicker had typed it. */
const BUTTON_COMMANDS: [FixedActionDef, Command][] = [
  [ACTIONS.milestoneDone, { name: 'done' }],
  [ACTIONS.showStatus, { name: 'status' }],
  [ACTIONS.showTracks, { name: 'tracks' }],
  [ACTIONS.pauseNudges, { name: 'pause' }],
  [ACTIONS.resumeNudges, { name: 'resume' }],
  [ACTIONS.snoozeWeek, { name: 'pause', snooze: true }],
];

/**
 * A click's answer, after the acknowledgement and behind requests still to be acknowledged (see FollowUps); the
 * listener returns meanwhile (see InFlight).
 */
function answer(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  respond: RespondFn,
  compute: (a: BlockAction) => Promise<Reply> | Reply,
  opts: { inPlace?: boolean; after?: () => Promise<void> } = {},
): void {
  deps.inFlight.add(deps.followUps.run(() => answerNow(deps, client, body, respond, compute, opts)).then(opts.after));
}

/**
 * Answers a click: by response_url, or, for a reply that replaces a message of a conversation (`inPlace`: a
 * practice exam in the learner's DM), by chat.update of that message through the request's client. When Slack will
 * not update it, the reply comes by response_url instead, with a note saying so; an ephemeral message (which
 * chat.update cannot reach) is answered by response_url as before.
 */
async function answerNow(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  respond: RespondFn,
  compute: (a: BlockAction) => Promise<Reply> | Reply,
  opts: { inPlace?: boolean } = {},
) {
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
  const message = opts.inPlace && parsed.success && reply.replaceOriginal ? conversationMessage(parsed.data) : undefined;
  if (message) {
    try {
      await client.chat.update({ channel: message.channel, ts: message.ts, text: reply.text, blocks: reply.blocks });
      return;
    } catch (err) {
      const failure = classifySlackError(err);
      deps.logger.warn(`could not update ${message.channel}/${message.ts}: ${failure.reason}`);
      reply = {
        ...reply,
        replaceOriginal: false,
        blocks: [...reply.blocks, context(`:warning: Slack would not update the message above (\`${failure.reason}\`), so it goes on here.`)],
      };
    }
  }
  try {
    // Buttons on the Home tab come without a response_url: the answer goes to the app's DM instead.
    if ((body as { response_url?: string }).response_url)
      await respond({ response_type: 'ephemeral', replace_original: reply.replaceOriginal ?? false, text: reply.text, blocks: reply.blocks });
    else if (parsed.success) await client.chat.postMessage({ channel: parsed.data.user.id, text: reply.text, blocks: reply.blocks });
  } catch (err) {
    deps.logger.warn(`could not answer a button: ${(err as Error).message}`);
  }
  if (reply.refreshHome && parsed.success) {
    await refreshHome(deps, client, workspaceKey(parsed.data.teamId, parsed.data.enterprise?.id), parsed.data.user.id);
  }
}

/** The message a click came from, when chat.update can reach it: a message in a conversation, not an ephemeral one. */
function conversationMessage(a: BlockAction): { channel: string; ts: string } | undefined {
  const c = a.container;
  return c?.channel_id && c.message_ts && c.is_ephemeral !== true ? { channel: c.channel_id, ts: c.message_ts } : undefined;
}

const UNREADABLE_ANSWER = ephemeral(noticeView('That answer could not be read.'));
const UNREADABLE_BUTTON = ephemeral(noticeView('That button could not be read.'));

/** Runs `then` with the clicked button's value, decoded; a value that does not decode changes nothing. */
function withValue<V>(def: ActionDef<V>, a: BlockAction, then: (value: V) => Promise<Reply> | Reply): Promise<Reply> | Reply {
  const v = def.decode(a.actions[0]!.value);
  return v.ok ? then(v.value) : UNREADABLE_BUTTON;
}

/**
 * The post or question a click answers, and the answer: the letter on a single-choice button, or the
 * pickers' state when the learner pressed Submit.
 */
async function readAnswer<K>(
  a: BlockAction,
  controls: QuizControls<K>,
  questionOf: (key: K) => Promise<QuizQuestion | undefined> | QuizQuestion | undefined,
): Promise<{ key: K; response: QuizResponse } | undefined> {
  const action = a.actions[0]!;
  if (controls.letter.matches(action.action_id)) {
    const v = controls.letter.decode(action.value);
    return v.ok ? { key: v.value.key, response: [v.value.option] } : undefined;
  }
  const key = controls.submit.decode(action.value);
  if (!key.ok) return undefined;
  const q = await questionOf(key.value);
  // A question gone from the content still gets its "no longer available" reply from the service.
  return { key: key.value, response: q ? responseFromPicks(q, quizPicksFromState(a.state)) : [] };
}

function contextOf(deps: SlackDeps, client: WebClient, a: BlockAction) {
  return callerOf(deps, client, {
    workspaceId: workspaceKey(a.teamId, a.enterprise?.id),
    userId: a.user.id,
    channelId: a.channel?.id ?? a.container?.channel_id ?? '',
  });
}

/**
 * Every button and picker, as one Bolt listener that routes by `action_id`. Bolt runs each registered listener's
 * middleware for every request it receives (commands and events too), before and around the acknowledgement:
 * with a listener per button (some thirty), that was a quarter of a millisecond of CPU per request, more than the
 * rest of the acknowledgement (measured with --cpu-prof under bench/ack.ts's load). A click no route knows is
 * acknowledged and logged, so Slack does not show it as failed.
 */
export function registerButtons(app: App, deps: SlackDeps): void {
  const routes: Array<{ matches: (actionId: string) => boolean; handle: (args: ActionArgs) => Promise<void> }> = [];
  const on = (matches: (actionId: string) => boolean, handle: (args: ActionArgs) => Promise<void>) => void routes.push({ matches, handle });

  for (const [def, command] of BUTTON_COMMANDS) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, (a) =>
        withValue(def, a, () => runCommand(deps.study, contextOf(deps, client, a), command, commandSlack(client, deps.logger))),
      );
    });
  }

  for (const kind of Object.keys(LOOKUP_ACTIONS) as LookupKind[]) {
    const def = LOOKUP_ACTIONS[kind];
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, (a) =>
        withValue(def, a, (id) => {
          if (kind === 'track') return runCommand(deps.study, contextOf(deps, client, a), { name: 'start', track: id }, commandSlack(client, deps.logger));
          const card =
            kind === 'service' ? serviceCard(deps.study, id) : kind === 'concept' ? conceptCard(deps.study, id) : certCard(deps.study, id, deps.clock.now());
          return ephemeral(cardView(card) ?? noticeView('That entry no longer exists.'));
        }),
      );
    });
  }

  const review = QUIZ_CONTROLS.review;
  for (const def of [review.letter, review.submit]) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, async (a) => {
        const v = await readAnswer(a, review, (key) => deps.study.content.question(key.questionId));
        return v ? presentReviewAnswer(await answerReview(deps.study, contextOf(deps, client, a), v.key, v.response)) : UNREADABLE_ANSWER;
      });
    });
  }
  const mock = QUIZ_CONTROLS.mock;
  for (const def of [mock.letter, mock.submit]) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      // The exam runs in the learner's DM: the next question (or the result) takes the answered one's place there.
      answer(
        deps,
        client,
        body,
        respond,
        async (a) => {
          const v = await readAnswer(a, mock, (key) => deps.study.content.question(key.questionId));
          return v ? presentMock(await answerMock(deps.study, contextOf(deps, client, a), v.key, v.response)) : UNREADABLE_ANSWER;
        },
        { inPlace: true },
      );
    });
  }
  for (const [def, feel] of [
    [ACTIONS.feltGuessed, 'guessed'],
    [ACTIONS.feltEasy, 'easy'],
  ] as const) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, (a) =>
        withValue(def, a, async (key) => presentRegraded(await regradeAnswer(deps.study, contextOf(deps, client, a), key, feel))),
      );
    });
  }
  for (const [def, opts] of [
    [ACTIONS.reviewNext, { allowNew: false }],
    [ACTIONS.reviewNew, { allowNew: true }],
    [ACTIONS.reviewMore, { allowNew: true, pastQuota: true }],
  ] as const) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, (a) =>
        withValue(def, a, async () => presentReviewStep(await nextReview(deps.study, contextOf(deps, client, a), opts))),
      );
    });
  }

  // Ticking a box or choosing in a menu only changes what the clicker sees until they submit.
  on(
    (id) => QUIZ_PICK.slot(id) !== undefined,
    async ({ ack }) => {
      await ack();
    },
  );

  const personal = QUIZ_CONTROLS.personal;
  for (const def of [personal.letter, personal.submit]) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      answer(deps, client, body, respond, async (a) => {
        const v = await readAnswer(a, personal, (key) => deps.study.content.question(key));
        return v ? presentAnswer(await answerPersonal(deps.study, contextOf(deps, client, a), v.key, v.response), 'personal') : UNREADABLE_ANSWER;
      });
    });
  }

  const channel = QUIZ_CONTROLS.channel;
  for (const def of [channel.letter, channel.submit]) {
    on(def.matches, async ({ ack, body, client, respond }) => {
      await ack();
      let update: ReturnType<typeof presentRecount>;
      // Once the clicker has their answer, the channel's post shows the new count.
      const recount = async () => {
        if (!update) return;
        try {
          await client.chat.update({ channel: update.channel, ts: update.ts, text: update.message.text, blocks: update.message.blocks });
        } catch (err) {
          deps.logger.warn(`could not update the quiz count in ${update.channel}: ${(err as Error).message}`);
        }
      };
      answer(
        deps,
        client,
        body,
        respond,
        async (a) => {
          const v = await readAnswer(a, channel, async (key) => {
            const post = await deps.study.store.quiz.post(key);
            return post ? deps.study.content.question(post.questionId) : undefined;
          });
          if (!v) return UNREADABLE_ANSWER;
          const result = await answerChannel(deps.study, contextOf(deps, client, a), v.key, v.response);
          update = presentRecount(result);
          return presentAnswer(result.outcome, 'channel');
        },
        { after: recount },
      );
    });
  }

  on(ACTIONS.tipAck.matches, async ({ ack, body, client, respond }) => {
    await ack();
    answer(deps, client, body, respond, (a) =>
      withValue(ACTIONS.tipAck, a, async () => presentTipAcknowledged(await acknowledgeTip(deps.study, contextOf(deps, client, a)))),
    );
  });

  on(ACTIONS.forgetMeConfirm.matches, async ({ ack, body, client, respond }) => {
    await ack();
    answer(deps, client, body, respond, (a) =>
      withValue(ACTIONS.forgetMeConfirm, a, async () => presentForgotten(await forgetMe(deps.study, contextOf(deps, client, a)))),
    );
  });

  on(ACTIONS.forgetMeCancel.matches, async ({ ack, body, client, respond }) => {
    await ack();
    answer(deps, client, body, respond, (a) => withValue(ACTIONS.forgetMeCancel, a, () => ephemeral(noticeView('Nothing was deleted.'))));
  });

  app.action<BoltBlockAction>({ type: 'block_actions' }, async (args) => {
    const route = routes.find((r) => r.matches(args.action.action_id));
    if (route) return route.handle(args);
    await args.ack();
    deps.logger.warn(`a click on an action aipath does not know: ${args.action.action_id.slice(0, 80)}`);
  });
}
