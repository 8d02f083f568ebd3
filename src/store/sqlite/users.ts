import type { ReviewDays, User, UsersRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface UserRow {
  workspace_id: string;
  user_id: string;
  slack_tz: string | null;
  tz_override: string | null;
  nudge_time: string;
  on_leaderboard: number;
  is_workspace_admin: number;
  profile_fetched_at: string | null;
  created_at: string;
  dm_channel: string | null;
  exam_cert: string | null;
  exam_date: string | null;
  reviews_on: number;
  review_days: ReviewDays;
}

const toUser = (r: UserRow): User => ({
  workspaceId: r.workspace_id,
  userId: r.user_id,
  slackTz: r.slack_tz,
  tzOverride: r.tz_override,
  nudgeTime: r.nudge_time,
  onLeaderboard: r.on_leaderboard === 1,
  isWorkspaceAdmin: r.is_workspace_admin === 1,
  profileFetchedAt: dateOrNull(r.profile_fetched_at),
  createdAt: new Date(r.created_at),
  dmChannel: r.dm_channel,
  examCert: r.exam_cert,
  examDate: r.exam_date,
  reviewsOn: r.reviews_on === 1,
  reviewDays: r.review_days,
});

/** What stands in a row that must stay (a channel's subscription) for a user who asked to be forgotten. */
export const FORGOTTEN_USER = 'forgotten-user';

export function sqliteUsers(db: Db): Synchronous<UsersRepository> {
  const get = db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE workspace_id = ? AND user_id = ?');
  const ensure = db.prepare('INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const setProfile = db.prepare('UPDATE users SET slack_tz = ?, is_workspace_admin = ?, profile_fetched_at = ? WHERE workspace_id = ? AND user_id = ?');
  const setNudgeTime = db.prepare('UPDATE users SET nudge_time = ? WHERE workspace_id = ? AND user_id = ?');
  const setTzOverride = db.prepare('UPDATE users SET tz_override = ? WHERE workspace_id = ? AND user_id = ?');
  const setDmChannel = db.prepare('UPDATE users SET dm_channel = ? WHERE workspace_id = ? AND user_id = ? AND dm_channel IS NOT ?');
  const setOnLeaderboard = db.prepare('UPDATE users SET on_leaderboard = ? WHERE workspace_id = ? AND user_id = ?');
  const setExamTarget = db.prepare('UPDATE users SET exam_cert = ?, exam_date = ? WHERE workspace_id = ? AND user_id = ?');
  const setReviewsOn = db.prepare('UPDATE users SET reviews_on = ? WHERE workspace_id = ? AND user_id = ?');
  const setReviewDays = db.prepare('UPDATE users SET review_days = ? WHERE workspace_id = ? AND user_id = ?');
  // Memory cards, the review log and practice exams go with the row (ON DELETE CASCADE).
  const remove = db.prepare('DELETE FROM users WHERE workspace_id = ? AND user_id = ?');
  // DMs to the user, of every kind (weekly nudge, review reminder…): nothing to deliver to a forgotten
  // learner, so the ledger keeps none of them. A channel's target is a channel id, never a user id.
  const removeDeliveries = db.prepare('DELETE FROM deliveries WHERE workspace_id = ? AND target = ?');
  // A channel's subscription outlives the admin who made it; who made it does not.
  const anonymiseSubscriptions = db.prepare('UPDATE subscriptions SET created_by = ? WHERE workspace_id = ? AND created_by = ?');
  // secure_delete (connection.ts) zeroes the freed bytes; the store's purgeDeleted clears the WAL.
  const forget = db.transaction((ws: string, user: string) => {
    const removed = remove.run(ws, user).changes > 0;
    const other = removeDeliveries.run(ws, user).changes + anonymiseSubscriptions.run(FORGOTTEN_USER, ws, user).changes;
    return removed || other > 0;
  });

  return {
    get(ws, user) {
      const row = get.get(ws, user);
      return row ? toUser(row) : undefined;
    },
    ensure(ws, user, now) {
      // Nearly every request's user is known already: a read, without the write lock an INSERT takes even when it
      // changes nothing (another process's insert in between is still met by ON CONFLICT DO NOTHING).
      const known = get.get(ws, user);
      if (known) return toUser(known);
      ensure.run(ws, user, iso(now));
      return toUser(get.get(ws, user)!);
    },
    setProfile(ws, user, profile, now) {
      setProfile.run(profile.tz, profile.isWorkspaceAdmin ? 1 : 0, iso(now), ws, user);
    },
    setNudgeTime: (ws, user, hhmm) => void setNudgeTime.run(hhmm, ws, user),
    setTzOverride: (ws, user, tz) => void setTzOverride.run(tz, ws, user),
    setDmChannel: (ws, user, channel) => void setDmChannel.run(channel, ws, user, channel),
    setOnLeaderboard: (ws, user, on) => void setOnLeaderboard.run(on ? 1 : 0, ws, user),
    setExamTarget: (ws, user, target) => void setExamTarget.run(target?.cert ?? null, target?.date ?? null, ws, user),
    setReviewsOn: (ws, user, on) => void setReviewsOn.run(on ? 1 : 0, ws, user),
    setReviewDays: (ws, user, days) => void setReviewDays.run(days, ws, user),
    forget: (ws, user) => forget.immediate(ws, user),
  };
}
