import { weeklyRecap } from '../../services/recap.js';
import { errorMessage } from '../../shared/errors.js';
import { escapeMrkdwn } from '../../slack/views/blocks.js';
import { recapLearners, weeklyRecapView } from '../../slack/views/leaderboard.js';
import type { Subscription } from '../../ports/store.js';
import { pauseChannel } from './channel.js';
import type { DeliveryKindSpec, KindContext } from './kind.js';

/** How a learner is named when Slack cannot tell us their name: still no mention. */
const UNNAMED = 'a teammate';

/**
 * Monday's team post: last week's top learners, the longest streak, the most improved and the totals. Learners are
 * @-mentioned unless their workspace turned the recap's mentions off; then they are named in plain text, from their
 * Slack profiles (users.info), each read at most once a pass (the kinds live for one pass) however many channels
 * name them.
 */
export function weeklyLeaderboard(): DeliveryKindSpec<Subscription> {
  const names = new Map<string, Promise<string>>();
  const nameOf = ({ slack, logger }: KindContext, ws: string, userId: string) => {
    const key = `${ws}:${userId}`;
    let name = names.get(key);
    if (!name) {
      name = slack.userProfile(userId).then(
        (p) => (p.name ? escapeMrkdwn(p.name) : UNNAMED),
        (err: unknown) => {
          logger.warn(`users.info for ${userId} failed; the recap names them "${UNNAMED}": ${errorMessage(err)}`);
          return UNNAMED;
        },
      );
      names.set(key, name);
    }
    return name;
  };
  return {
    kind: 'weekly_leaderboard',
    async compose(ctx, sub, row) {
      const { content, store } = ctx.services;
      const recap = await weeklyRecap(store, content, sub, row.dueAt);
      if ((await store.workspaceSettings.get(sub.workspaceId)).recapMentions) {
        return { channel: sub.channelId, message: weeklyRecapView(recap), contentId: null };
      }
      const named = new Map(await Promise.all(recapLearners(recap).map(async (id) => [id, await nameOf(ctx, sub.workspaceId, id)] as const)));
      return { channel: sub.channelId, message: weeklyRecapView(recap, (id) => named.get(id) ?? UNNAMED), contentId: null };
    },
    onTargetError: pauseChannel,
  };
}
