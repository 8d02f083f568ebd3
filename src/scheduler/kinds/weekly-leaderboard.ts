import { weeklyRecap } from '../../commands/recap.js';
import { weeklyRecapView } from '../../slack/views/leaderboard.js';
import type { SubscriptionRow } from '../../store/subscriptions.js';
import { pauseChannel } from './channel.js';
import type { DeliveryKindSpec } from './kind.js';

/** Monday's team post: last week's top learners, the longest streak, the most improved and the totals. */
export const weeklyLeaderboard: DeliveryKindSpec<SubscriptionRow> = {
  kind: 'weekly_leaderboard',
  async compose({ services: { stores } }, sub, row) {
    return { channel: sub.channel_id, message: weeklyRecapView(weeklyRecap(stores, sub, new Date(row.due_at))), contentId: null };
  },
  onTargetError: pauseChannel,
};
