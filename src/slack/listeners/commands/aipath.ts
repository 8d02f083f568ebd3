import type { App } from '@slack/bolt';
import { ephemeral, type Reply } from '../../presenters/reply.js';
import { answerCommandText } from '../../routes.js';
import { noticeView } from '../../views/help.js';
import { callerOf, type SlackDeps } from '../../deps.js';
import { SlashCommandPayload, workspaceKey } from '../../payload.js';
import { refreshHome } from '../events/app-home.js';
import { DatabaseUnavailable, withDatabase } from '../../database-guard.js';
import { deliverInDm } from '../../dm.js';

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
/** Past this, a slash command is acknowledged with a holding reply and answered by response_url. */
const ACK_BUDGET_MS = 2000;

/** The reply for a failure of request work: a friendly notice, with the cause in the log. */
export function failureReply(err: unknown, logger: { error(m: string, e?: unknown): void }, what: string): Reply {
  if (err instanceof DatabaseUnavailable) return UNAVAILABLE;
  logger.error(`${what} failed`, err);
  return SORRY;
}

/** `/aipath …`: parse, answer, and acknowledge with the answer itself (one round trip, well inside 3 s). */
export function registerAipathCommand(app: App, deps: SlackDeps): void {
  app.command('/aipath', async ({ command, ack, client, logger, respond }) => {
    const payload = SlashCommandPayload.safeParse(command);
    if (!payload.success) {
      logger.warn(`slash command with unexpected fields: ${payload.error.issues[0]?.path.join('.')}`);
      await ack(toAck(SORRY));
      return;
    }
    const p = payload.data;
    const workspaceId = workspaceKey(p.team_id, p.enterprise_id);
    const ids = { workspaceId, userId: p.user_id, channelId: p.channel_id };
    // A caller for each try: one whose profile lookup met a busy database must not keep that failure for the retry.
    // A reply meant for the caller's DM (a practice exam) is posted there before the command is answered.
    const answer = withDatabase(deps.database, deps.logger, () => answerCommandText(deps.study, callerOf(deps, client, ids), p.text))
      .then((reply) => deliverInDm(deps, client, { ...ids, now: deps.clock.now() }, reply))
      .catch((err: unknown) => failureReply(err, logger, '/aipath'));
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([answer, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ACK_BUDGET_MS)))]);
    clearTimeout(timer);
    if (early) {
      await ack(toAck(early));
    } else {
      // Slack waits 3 s for the acknowledgement; the answer follows when the database is free.
      await ack(toAck(STILL_WORKING));
      await respond({ ...toAck(await answer), replace_original: true });
    }
    const reply = await answer;
    if (reply.refreshHome) await refreshHome(deps, client, workspaceId, p.user_id);
  });
}

export const toAck = (r: Reply) => ({ response_type: r.responseType, text: r.text, blocks: r.blocks });
