import { periodBounds } from '../core/due.js';
import type { Stores } from '../store/index.js';
import type { SubscriptionRow } from '../store/subscriptions.js';
import type { WeeklyRecapInput } from '../slack/views/leaderboard.js';
import { streakOf } from './activity.js';
import { rankVisible } from './leaderboard.js';

/** Monday's recap for a channel's team: last ISO week in the channel's timezone. */
export function weeklyRecap(stores: Stores, sub: SubscriptionRow, at: Date): WeeklyRecapInput {
  const last = periodBounds('week', at, sub.tz, 1);
  const before = periodBounds('week', at, sub.tz, 2);
  const lastRows = stores.points.teamScores(sub.workspace_id, sub.channel_id, last.from, last.to);
  const beforeRows = new Map(stores.points.teamScores(sub.workspace_id, sub.channel_id, before.from, before.to).map((r) => [r.user_id, r.points]));
  const visible = lastRows.filter((r) => r.on_leaderboard === 1);

  let mostImproved: WeeklyRecapInput['mostImproved'];
  for (const r of visible) {
    const gain = r.points - (beforeRows.get(r.user_id) ?? 0);
    if (gain > 0 && (!mostImproved || gain > mostImproved.gain)) mostImproved = { userId: r.user_id, gain };
  }
  let longestStreak: WeeklyRecapInput['longestStreak'];
  for (const r of visible) {
    const days = streakOf(stores, sub.workspace_id, r.user_id, sub.tz, at);
    if (days > 1 && (!longestStreak || days > longestStreak.days)) longestStreak = { userId: r.user_id, days };
  }
  return {
    periodLabel: last.label,
    top: rankVisible(lastRows).slice(0, 10),
    mostImproved,
    longestStreak,
    totals: stores.points.teamTotals(sub.workspace_id, sub.channel_id, last.from, last.to),
  };
}
