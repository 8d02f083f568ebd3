import type { Subscription, SubscriptionsRepository } from '../../ports/store.js';
import { first, isoArray, movedFlags, type Queryable } from './connection.js';
import { claimLock, DUE_SETS } from './due-sets.js';

interface SubscriptionRow {
  workspace_id: string;
  channel_id: string;
  post_time: string;
  tz: string;
  track_id: string | null;
  status: 'active' | 'paused';
  status_reason: string | null;
  next_daily_at: Date | null;
  next_weekly_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toSubscription = (r: SubscriptionRow): Subscription => ({
  workspaceId: r.workspace_id,
  channelId: r.channel_id,
  postTime: r.post_time,
  tz: r.tz,
  trackId: r.track_id,
  status: r.status,
  statusReason: r.status_reason,
  nextDailyAt: r.next_daily_at,
  nextWeeklyAt: r.next_weekly_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const UPSERT = `INSERT INTO subscriptions (workspace_id, channel_id, post_time, tz, track_id, status, next_daily_at, next_weekly_at, created_by, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8, $9, $9)
  ON CONFLICT (workspace_id, channel_id) DO UPDATE SET
    post_time = excluded.post_time, tz = excluded.tz, track_id = excluded.track_id,
    next_daily_at = excluded.next_daily_at, next_weekly_at = excluded.next_weekly_at,
    status = 'active', status_reason = NULL, updated_at = excluded.updated_at
  RETURNING *`;

// Ties in due time come in key order, as SQLite's index returns them; text compared bytewise (COLLATE "C"),
// as SQLite compares it, whatever the database's own collation.
const DUE_DAILY = `SELECT * ${DUE_SETS['channel-daily']('$1')}
  ORDER BY next_daily_at, workspace_id COLLATE "C", channel_id COLLATE "C" LIMIT $2`;
const DUE_WEEKLY = `SELECT * ${DUE_SETS['channel-weekly']('$1')}
  ORDER BY next_weekly_at, workspace_id COLLATE "C", channel_id COLLATE "C" LIMIT $2`;

// Compare-and-set for many at once: `m.i` says which of the moves given took (of distinct subscriptions; a second
// move of one row in the same statement would be ignored).
const advanceMany = (column: 'next_daily_at' | 'next_weekly_at') => `UPDATE subscriptions s SET ${column} = m.next
  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS m(ws, channel, prev, next, i)
  WHERE s.workspace_id = m.ws AND s.channel_id = m.channel AND s.${column} IS NOT DISTINCT FROM m.prev
  RETURNING m.i`;
const ADVANCE_DAILY_MANY = advanceMany('next_daily_at');
const ADVANCE_WEEKLY_MANY = advanceMany('next_weekly_at');

export function postgresSubscriptions(q: Queryable): SubscriptionsRepository {
  return {
    async get(ws, channel) {
      const row = first(await q.rows<SubscriptionRow>('SELECT * FROM subscriptions WHERE workspace_id = $1 AND channel_id = $2', [ws, channel]));
      return row ? toSubscription(row) : undefined;
    },
    async upsert(s, now) {
      const [row] = await q.rows<SubscriptionRow>(UPSERT, [s.ws, s.channel, s.time, s.tz, s.track, s.nextDaily, s.nextWeekly, s.by, now]);
      return toSubscription(row!);
    },
    async remove(ws, channel) {
      return (await q.run('DELETE FROM subscriptions WHERE workspace_id = $1 AND channel_id = $2', [ws, channel])) > 0;
    },
    async pause(ws, channel, reason, now) {
      await q.run("UPDATE subscriptions SET status = 'paused', status_reason = $1, updated_at = $2 WHERE workspace_id = $3 AND channel_id = $4", [
        reason,
        now,
        ws,
        channel,
      ]);
    },
    async inWorkspace(ws) {
      return (await q.rows<SubscriptionRow>('SELECT * FROM subscriptions WHERE workspace_id = $1 ORDER BY channel_id COLLATE "C"', [ws])).map(toSubscription);
    },
    dueDaily: async (now, limit) => (await q.rows<SubscriptionRow>(DUE_DAILY + claimLock(q), [now, limit])).map(toSubscription),
    dueWeekly: async (now, limit) => (await q.rows<SubscriptionRow>(DUE_WEEKLY + claimLock(q), [now, limit])).map(toSubscription),
    async advanceMany(schedule, moves) {
      if (moves.length === 0) return [];
      const subs = moves.map((m) => m.target);
      const moved = await q.rows<{ i: number }>(schedule === 'daily' ? ADVANCE_DAILY_MANY : ADVANCE_WEEKLY_MANY, [
        subs.map((s) => s.workspaceId),
        subs.map((s) => s.channelId),
        isoArray(subs.map((s) => (schedule === 'daily' ? s.nextDailyAt : s.nextWeeklyAt))),
        isoArray(moves.map((m) => m.next)),
      ]);
      return movedFlags(moves.length, moved);
    },
    // Compare-and-set, correct under READ COMMITTED: a second writer re-checks the WHERE once the first commits.
    async advanceDaily(s, next) {
      return (
        (await q.run('UPDATE subscriptions SET next_daily_at = $1 WHERE workspace_id = $2 AND channel_id = $3 AND next_daily_at IS NOT DISTINCT FROM $4', [
          next,
          s.workspaceId,
          s.channelId,
          s.nextDailyAt,
        ])) > 0
      );
    },
    async advanceWeekly(s, next) {
      return (
        (await q.run('UPDATE subscriptions SET next_weekly_at = $1 WHERE workspace_id = $2 AND channel_id = $3 AND next_weekly_at IS NOT DISTINCT FROM $4', [
          next,
          s.workspaceId,
          s.channelId,
          s.nextWeeklyAt,
        ])) > 0
      );
    },
  };
}
