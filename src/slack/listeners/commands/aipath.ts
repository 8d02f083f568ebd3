import type { App } from '@slack/bolt';
import { ephemeral, type Reply } from '../../presenters/reply.js';
import { answerCommandText } from '../../routes.js';
import { noticeView } from '../../views/help.js';
import { callerOf, type SlackDeps } from '../../deps.js';
import { commandSlack } from '../../command-slack.js';
import { isDirectMessage, SlashCommandPayload, workspaceKey } from '../../payload.js';
import { refreshHome } from '../events/app-home.js';
import { DatabaseUnavailable, withDatabase } from '../../database-guard.js';
import { deliverInDm } from '../../dm.js';
import { requestTurn } from '../../../shared/request-turns.js';

export const SORRY = ephemeral(noticeView('Sorry, something went wrong on our side and nothing was changed. Please try again in a minute.', ':warning:'));
export const UNAVAILABLE = ephemeral(
  noticeView(
    "aipath can't read or save study data right now: its database is unavailable, so nothing was changed. Your admin can see why at /healthz.",
    ':warning:',
  ),
);
const STILL_WORKING = ephemeral(
  noticeView('aipath is waiting for its database (another process is writing to it). Your answer follows here in a moment.', ':hourglass_flowing_sand:'),
);
/** Nothing of the command was run or stored: the learner only needs to send it again. */
export const BUSY = ephemeral(
  noticeView(
    'aipath is busy answering other requests right now, so it did not run this command and nothing was changed. Please send it again in a minute.',
    ':hourglass:',
  ),
);
/** Past this without an answer, a holding reply tells the user the answer is on its way. */
const HOLDING_AFTER_MS = 2000;

/** The reply for a failure of request work: a friendly notice, with the cause in the log. */
export function failureReply(err: unknown, logger: { error(m: string, e?: unknown): void }, what: string): Reply {
  if (err instanceof DatabaseUnavailable) return UNAVAILABLE;
  logger.error(`${what} failed`, err);
  return SORRY;
}

/** `promise`'s value if it settles within `ms`, else undefined (the promise runs on). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `promise`'s value if it settles before the event loop's next turn, else undefined (the promise runs on). Work that
 * settles so soon waited on nothing: no socket (Slack, a database server), no timer (a retry while the database is
 * locked); only its own CPU.
 */
function withoutWaiting<T>(promise: Promise<T>): Promise<T | undefined> {
  return Promise.race([promise, requestTurn().then(() => undefined)]);
}

/**
 * `/aipath …`. A command that arrives alone, with no follow-up queued, is answered at once: an answer computed
 * without waiting on anything (on SQLite, with the learner's profile stored: most of them, a few reads and a render)
 * goes back in the acknowledgement, one request where an empty acknowledgement and a POST to response_url cost the
 * process and Slack two. An answer that has to wait (a first profile from Slack, a PostgreSQL server, a database
 * another process is writing, a DM to post first) is never waited for: the acknowledgement goes at once, empty, and the
 * answer follows by response_url, with a holding reply first when the database keeps it waiting.
 *
 * In a burst (other requests arrived in the same turn of the event loop, or follow-ups are queued), the
 * acknowledgement goes first, empty, and the answer is worked out as a follow-up (FollowUps): Slack cancels a command
 * not acknowledged within 3 s, while its answer may follow for 30 minutes.
 *
 * Either way the listener returns once it has acknowledged, handing what follows to `deps.inFlight` (see InFlight),
 * so that the request is not kept alive while its answer waits.
 */
export function registerAipathCommand(app: App, deps: SlackDeps): void {
  app.command('/aipath', async ({ command, ack, client, logger, respond }) => {
    const payload = SlashCommandPayload.safeParse(command);
    if (!payload.success) {
      logger.warn(`slash command with unexpected fields: ${payload.error.issues[0]?.path.join('.')}`);
      await ack(toAck(SORRY));
      return;
    }
    const p = payload.data;
    if (deps.followUps.overloaded) {
      // Refused before anything ran: no write can be half done, and the learner is told to try again.
      logger.warn(`refusing "/aipath ${p.text.slice(0, 40)}": ${deps.followUps.pending} follow-ups are behind by more than they may wait`);
      await ack(toAck(BUSY));
      return;
    }
    const workspaceId = workspaceKey(p.team_id, p.enterprise_id);
    const ids = { workspaceId, userId: p.user_id, channelId: p.channel_id, inDirectMessage: isDirectMessage(p.channel_id, p.channel_name) };
    // A reply meant for the caller's DM (a practice exam) is posted there before the command is answered.
    const work = () =>
      withDatabase(deps.database, deps.logger, () => answerCommandText(deps.study, callerOf(deps, client, ids), p.text, commandSlack(client, deps.logger)))
        .then((reply) => deliverInDm(deps, client, { ...ids, now: deps.clock.now() }, reply))
        .catch((err: unknown) => failureReply(err, logger, '/aipath'));
    const refresh = async (reply: Reply) => {
      if (!reply.refreshHome) return;
      await deps.followUps
        .run(() => refreshHome(deps, client, workspaceId, p.user_id))
        .catch((err: unknown) => logger.error('could not refresh the Home tab after /aipath', err));
    };
    // The holding reply's clock starts with the work, not with a wait for a follow-up's turn.
    const answerLater = async (answer: Promise<Reply>, started: Promise<void> = Promise.resolve()) => {
      try {
        await started;
        const early = await within(answer, HOLDING_AFTER_MS);
        if (!early) await respond(toAck(STILL_WORKING));
        await respond({ ...toAck(await answer), replace_original: !early });
      } catch (err) {
        logger.error(`could not send the answer to "/aipath ${p.text.slice(0, 40)}" by response_url`, err);
        return;
      }
      await refresh(await answer);
    };
    if (await deps.followUps.crowded()) {
      await ack();
      let start = () => {};
      const started = new Promise<void>((resolve) => (start = resolve));
      const answer = deps.followUps.run(() => {
        start();
        return work();
      });
      deps.inFlight.add(answerLater(answer, started));
      return;
    }
    const answer = work();
    // Tracked from its start: should the acknowledgement fail (a Socket Mode connection that just dropped), a stop
    // still waits for the work under way. (A command answered later is tracked twice, with its answer below: a stop's
    // count of what it left running may name it twice.)
    deps.inFlight.add(answer);
    const ready = await withoutWaiting(answer);
    if (ready) {
      await ack(toAck(ready));
      deps.inFlight.add(refresh(ready));
      return;
    }
    await ack();
    deps.inFlight.add(answerLater(answer));
  });
}

export const toAck = (r: Reply) => ({ response_type: r.responseType, text: r.text, blocks: r.blocks });
