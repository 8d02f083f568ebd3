import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { withDatabase } from './database-guard.js';
import type { SlackDeps } from './deps.js';
import { classifySlackError } from './errors.js';
import { webClientSlack } from './gateway.js';
import type { Reply } from './presenters/reply.js';

const Posted = z.object({ channel: z.string().optional(), ts: z.string().optional() });

/**
 * A reply whose content belongs in the caller's DM with the bot (`reply.dm`): posts it there through the request's
 * own client, and answers with the reply (`postedHere` when the caller asked in that DM). The DM channel is the one
 * kept on the user, else conversations.open (Tier 3), kept for next time. When Slack refuses (no DM allowed, rate
 * limited, an error), the refusal is logged and the answer is what the use case makes of it. Any other reply
 * passes unchanged.
 */
export async function deliverInDm(
  deps: Pick<SlackDeps, 'study' | 'database' | 'logger'>,
  client: WebClient,
  at: { workspaceId: string; userId: string; channelId: string; now: Date },
  reply: Reply,
): Promise<Reply> {
  const { dm, ...answer } = reply;
  if (!dm) return reply;
  const { store } = deps.study;
  const kept = (await withDatabase(deps.database, deps.logger, () => store.users.get(at.workspaceId, at.userId)))?.dmChannel ?? undefined;
  let channel: string;
  let ts: string | undefined;
  try {
    channel = kept ?? (await webClientSlack(client).openDm(at.userId));
    const posted = Posted.parse(await client.chat.postMessage({ channel, text: dm.message.text, blocks: dm.message.blocks }));
    channel = posted.channel ?? channel;
    ts = posted.ts;
  } catch (err) {
    const failure = classifySlackError(err);
    deps.logger.warn(`could not post in the DM of ${at.userId}: ${failure.reason}`);
    return withDatabase(deps.database, deps.logger, () => dm.undelivered(failure));
  }
  if (ts && dm.posted) {
    try {
      await withDatabase(deps.database, deps.logger, () => dm.posted!({ channel, ts }));
    } catch (err) {
      // The message is out; only what would have been kept of it is lost.
      deps.logger.warn(`could not keep the DM message of ${at.userId}: ${(err as Error).message}`);
    }
  }
  if (!kept) {
    try {
      await withDatabase(deps.database, deps.logger, async () => {
        await store.users.ensure(at.workspaceId, at.userId, at.now);
        await store.users.setDmChannel(at.workspaceId, at.userId, channel);
      });
    } catch (err) {
      // Only a saved conversations.open call is lost: the message is out.
      deps.logger.warn(`could not keep the DM channel of ${at.userId}: ${(err as Error).message}`);
    }
  }
  return channel === at.channelId ? dm.postedHere : answer;
}
