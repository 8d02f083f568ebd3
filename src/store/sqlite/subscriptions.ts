import type { Subscription, SubscriptionsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { DUE_SETS } from './due-sets.js';
import { dateOrNull, iso, isoOrNull, type Synchronous } from './sync.js';

interface SubscriptionRow {
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

const toSubscription = (r: SubscriptionRow): Subscription => ({
  workspaceId: r.workspace_id,
  channelId: r.channel_id,
  postTime: r.post_time,
  tz: r.tz,
  trackId: r.track_id,
  status: r.status,
  statusReason: r.status_reason,
  nextDailyAt: dateOrNull(r.next_daily_at),
  nextWeeklyAt: dateOrNull(r.next_weekly_at),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export function sqliteSubscriptions(db: Db): Synchronous<SubscriptionsRepository> {
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
  const dueDaily = db.prepare<{ now: string; limit: number }, SubscriptionRow>(
    `SELECT * ${DUE_SETS['channel-daily']('@now')} ORDER BY next_daily_at LIMIT @limit`,
  );
  const advanceDaily = db.prepare('UPDATE subscriptions SET next_daily_at = ? WHERE workspace_id = ? AND channel_id = ? AND next_daily_at IS ?');
  const dueWeekly = db.prepare<{ now: string; limit: number }, SubscriptionRow>(
    `SELECT * ${DUE_SETS['channel-weekly']('@now')} ORDER BY next_weekly_at LIMIT @limit`,
  );
  const advanceWeekly = db.prepare('UPDATE subscriptions SET next_weekly_at = ? WHERE workspace_id = ? AND channel_id = ? AND next_weekly_at IS ?');
  const inWorkspace = db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE workspace_id = ? ORDER BY channel_id');

  return {
    get(ws, channel) {
      const row = get.get(ws, channel);
      return row ? toSubscription(row) : undefined;
    },
    upsert(s, now) {
      upsert.run({
        ws: s.ws,
        channel: s.channel,
        time: s.time,
        tz: s.tz,
        track: s.track,
        by: s.by,
        nextDaily: iso(s.nextDaily),
        nextWeekly: iso(s.nextWeekly),
        now: iso(now),
      });
      return toSubscription(get.get(s.ws, s.channel)!);
    },
    remove: (ws, channel) => remove.run(ws, channel).changes > 0,
    pause: (ws, channel, reason, now) => void pause.run(reason, iso(now), ws, channel),
    inWorkspace: (ws) => inWorkspace.all(ws).map(toSubscription),
    // One write transaction serialises every writer: a due set read in it is the claimer's alone, nothing to lock.
    dueDaily: (now, limit) => dueDaily.all({ now: iso(now), limit }).map(toSubscription),
    dueWeekly: (now, limit) => dueWeekly.all({ now: iso(now), limit }).map(toSubscription),
    advanceDaily: (s, next) => advanceDaily.run(iso(next), s.workspaceId, s.channelId, isoOrNull(s.nextDailyAt)).changes > 0,
    advanceWeekly: (s, next) => advanceWeekly.run(iso(next), s.workspaceId, s.channelId, isoOrNull(s.nextWeeklyAt)).changes > 0,
    advanceMany: (schedule, moves) =>
      schedule === 'daily'
        ? moves.map(({ target: s, next }) => advanceDaily.run(iso(next), s.workspaceId, s.channelId, isoOrNull(s.nextDailyAt)).changes > 0)
        : moves.map(({ target: s, next }) => advanceWeekly.run(iso(next), s.workspaceId, s.channelId, isoOrNull(s.nextWeeklyAt)).changes > 0),
  };
}
