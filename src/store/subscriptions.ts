import type { Db } from './db.js';

export interface SubscriptionRow {
  workspace_id: string;
  channel_id: string;
  post_time: string;
  tz: string;
  track_id: string | null;
  status: 'active' | 'paused';
  status_reason: string | null;
  next_daily_at: string | null;
  next_weekly_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type SubscriptionsStore = ReturnType<typeof createSubscriptionsStore>;

export function createSubscriptionsStore(db: Db) {
  const get = db.prepare<[string, string], SubscriptionRow>('SELECT * FROM subscriptions WHERE workspace_id = ? AND channel_id = ?');
  const upsert = db.prepare(
    `INSERT INTO subscriptions (workspace_id, channel_id, post_time, tz, track_id, status, next_daily_at, next_weekly_at, created_by, created_at, updated_at)
     VALUES (@ws, @channel, @time, @tz, @track, 'active', @nextDaily, @nextWeekly, @by, @now, @now)
     ON CONFLICT (workspace_id, channel_id) DO UPDATE SET
       post_time = excluded.post_time, tz = excluded.tz, track_id = excluded.track_id,
       next_daily_at = excluded.next_daily_at, next_weekly_at = excluded.next_weekly_at,
       status = 'active', status_reason = NULL, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM subscriptions WHERE workspace_id = ? AND channel_id = ?');
  const pause = db.prepare("UPDATE subscriptions SET status = 'paused', status_reason = ?, updated_at = ? WHERE workspace_id = ? AND channel_id = ?");
  const dueDaily = db.prepare<[string, number], SubscriptionRow>(
    "SELECT * FROM subscriptions WHERE status = 'active' AND next_daily_at <= ? ORDER BY next_daily_at LIMIT ?",
  );
  const advanceDaily = db.prepare('UPDATE subscriptions SET next_daily_at = ? WHERE workspace_id = ? AND channel_id = ? AND next_daily_at = ?');
  const dueWeekly = db.prepare<[string, number], SubscriptionRow>(
    "SELECT * FROM subscriptions WHERE status = 'active' AND next_weekly_at <= ? ORDER BY next_weekly_at LIMIT ?",
  );
  const advanceWeekly = db.prepare('UPDATE subscriptions SET next_weekly_at = ? WHERE workspace_id = ? AND channel_id = ? AND next_weekly_at = ?');
  const inWorkspace = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE workspace_id = ? ORDER BY channel_id');

  return {
    get: (ws: string, channel: string): SubscriptionRow | undefined => get.get(ws, channel),
    upsert(
      s: { ws: string; channel: string; time: string; tz: string; track: string | null; by: string; nextDaily: string; nextWeekly: string },
      now: Date,
    ): SubscriptionRow {
      upsert.run({ ...s, now: now.toISOString() });
      return get.get(s.ws, s.channel)!;
    },
    remove: (ws: string, channel: string): boolean => remove.run(ws, channel).changes > 0,
    pause: (ws: string, channel: string, reason: string, now: Date) => void pause.run(reason, now.toISOString(), ws, channel),
    inWorkspace: (ws: string): SubscriptionRow[] => inWorkspace.all(ws),
    dueDaily: (now: Date, limit: number): SubscriptionRow[] => dueDaily.all(now.toISOString(), limit),
    dueWeekly: (now: Date, limit: number): SubscriptionRow[] => dueWeekly.all(now.toISOString(), limit),
    advanceWeekly: (row: SubscriptionRow, next: string): boolean => advanceWeekly.run(next, row.workspace_id, row.channel_id, row.next_weekly_at).changes > 0,
    /** Moves the daily due time on, only if no other process already did (compare-and-set). */
    advanceDaily: (row: SubscriptionRow, next: string): boolean => advanceDaily.run(next, row.workspace_id, row.channel_id, row.next_daily_at).changes > 0,
  };
}
