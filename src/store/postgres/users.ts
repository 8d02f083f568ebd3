import type { ReviewDays, User, UsersRepository } from '../../ports/store.js';
import { FORGOTTEN_USER } from '../sqlite/users.js';
import { first, type Queryable } from './connection.js';

interface UserRow {
  workspace_id: string;
  user_id: string;
  slack_tz: string | null;
  tz_override: string | null;
  nudge_time: string;
  on_leaderboard: boolean;
  is_workspace_admin: boolean;
  profile_fetched_at: Date | null;
  created_at: Date;
  dm_channel: string | null;
  exam_cert: string | null;
  exam_date: string | null;
  reviews_on: boolean;
  review_days: ReviewDays;
}

const toUser = (r: UserRow): User => ({
  workspaceId: r.workspace_id,
  userId: r.user_id,
  slackTz: r.slack_tz,
  tzOverride: r.tz_override,
  nudgeTime: r.nudge_time,
  onLeaderboard: r.on_leaderboard,
  isWorkspaceAdmin: r.is_workspace_admin,
  profileFetchedAt: r.profile_fetched_at,
  createdAt: r.created_at,
  dmChannel: r.dm_channel,
  examCert: r.exam_cert,
  examDate: r.exam_date,
  reviewsOn: r.reviews_on,
  reviewDays: r.review_days,
});

const GET = 'SELECT * FROM users WHERE workspace_id = $1 AND user_id = $2';

// The new row, or the one already there, in one round trip. A row committed by another session after this
// statement's snapshot but before its insert is skipped by ON CONFLICT and not yet visible to the SELECT: then
// (rarely) a second read finds it.
const ENSURE = `WITH ins AS (
    INSERT INTO users (workspace_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *
  )
  SELECT * FROM ins
  UNION ALL
  SELECT * FROM users WHERE workspace_id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM ins)`;

// The user's row (memory cards, the review log, practice exams, answers, points… go with it: ON DELETE
// CASCADE), their DMs of every kind in the ledger (a channel's target is a channel id, never a user id), and
// their id on subscriptions they made (the channel keeps its subscription; who made it is no longer said):
// one statement, so all of it or none.
const FORGET = `WITH u AS (DELETE FROM users WHERE workspace_id = $1 AND user_id = $2 RETURNING 1),
    d AS (DELETE FROM deliveries WHERE workspace_id = $1 AND target = $2 RETURNING 1),
    s AS (UPDATE subscriptions SET created_by = $3 WHERE workspace_id = $1 AND created_by = $2 RETURNING 1)
  SELECT (SELECT count(*) FROM u) + (SELECT count(*) FROM d) + (SELECT count(*) FROM s) AS n`;

export function postgresUsers(q: Queryable): UsersRepository {
  const get = async (ws: string, user: string) => {
    // Prepared (named): read by nearly every command, planned once per connection.
    const row = first(await q.rows<UserRow>(GET, [ws, user], 'aipath_user_get'));
    return row ? toUser(row) : undefined;
  };
  const set = async (column: string, value: unknown, ws: string, user: string) => {
    await q.run(`UPDATE users SET ${column} = $1 WHERE workspace_id = $2 AND user_id = $3`, [value, ws, user]);
  };

  return {
    get,
    async ensure(ws, user, now) {
      const row = first(await q.rows<UserRow>(ENSURE, [ws, user, now]));
      return row ? toUser(row) : (await get(ws, user))!;
    },
    async setProfile(ws, user, profile, now) {
      await q.run('UPDATE users SET slack_tz = $1, is_workspace_admin = $2, profile_fetched_at = $3 WHERE workspace_id = $4 AND user_id = $5', [
        profile.tz,
        profile.isWorkspaceAdmin,
        now,
        ws,
        user,
      ]);
    },
    setNudgeTime: (ws, user, hhmm) => set('nudge_time', hhmm, ws, user),
    setTzOverride: (ws, user, tz) => set('tz_override', tz, ws, user),
    async setDmChannel(ws, user, channel) {
      // Only when it changes: the common case (the same channel again) writes nothing.
      await q.run('UPDATE users SET dm_channel = $1 WHERE workspace_id = $2 AND user_id = $3 AND dm_channel IS DISTINCT FROM $1', [channel, ws, user]);
    },
    setOnLeaderboard: (ws, user, on) => set('on_leaderboard', on, ws, user),
    async setExamTarget(ws, user, target) {
      await q.run('UPDATE users SET exam_cert = $1, exam_date = $2 WHERE workspace_id = $3 AND user_id = $4', [
        target?.cert ?? null,
        target?.date ?? null,
        ws,
        user,
      ]);
    },
    setReviewsOn: (ws, user, on) => set('reviews_on', on, ws, user),
    setReviewDays: (ws, user, days) => set('review_days', days, ws, user),
    async forget(ws, user) {
      const [row] = await q.rows<{ n: number }>(FORGET, [ws, user, FORGOTTEN_USER]);
      return (row?.n ?? 0) > 0;
    },
  };
}
