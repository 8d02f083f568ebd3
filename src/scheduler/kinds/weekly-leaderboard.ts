import { weeklyRecap } from '../../services/recap.js';
import { weeklyRecapView } from '../../slack/views/leaderboard.js';
import type { Subscription } from '../../ports/store.js';
import { pauseChannel } from './channel.js';
import type { DeliveryKindSpec } from './kind.js';

/** Monday's team post: last week's top learners, the longest streak, the most improved and the totals. */
export const weeklyLeaderboard: DeliveryKindSpec<Subscription> = {
  kind: 'weekly_leaderboard',
  async compose({ services: { content, store } }, sub, row) {
    return { channel: sub.channelId, message: weeklyRecapView(await weeklyRecap(store, content, sub, row.dueAt)), contentId: null };
  },
  onTargetError: pauseChannel,
};
