import type { Db } from './db.js';

export interface UserRow {
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
}

/** What stands in a row that must stay (a channel's subscription) for a user who asked to be forgotten. */
export const FORGOTTEN_USER = 'forgotten-user';

export type UsersStore = ReturnType<typeof createUsersStore>;

export function createUsersStore(db: Db) {
  const get = db.prepare<[string, string], UserRow>('SELECT * FROM users WHERE workspace_id = ? AND user_id = ?');
  const ensure = db.prepare('INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const setProfile = db.prepare('UPDATE users SET slack_tz = ?, is_workspace_admin = ?, profile_fetched_at = ? WHERE workspace_id = ? AND user_id = ?');
  const setNudgeTime = db.prepare('UPDATE users SET nudge_time = ? WHERE workspace_id = ? AND user_id = ?');
  const setTzOverride = db.prepare('UPDATE users SET tz_override = ? WHERE workspace_id = ? AND user_id = ?');
  const setDmChannel = db.prepare('UPDATE users SET dm_channel = ? WHERE workspace_id = ? AND user_id = ? AND dm_channel IS NOT ?');
  const setOnLeaderboard = db.prepare('UPDATE users SET on_leaderboard = ? WHERE workspace_id = ? AND user_id = ?');
  const remove = db.prepare('DELETE FROM users WHERE workspace_id = ? AND user_id = ?');
  // DMs to the user: nothing to deliver to a forgotten learner, so the ledger keeps none of them.
  const removeDeliveries = db.prepare("DELETE FROM deliveries WHERE workspace_id = ? AND target = ? AND kind = 'weekly_nudge'");
  // A channel's subscription outlives the admin who made it; who made it does not.
  const anonymiseSubscriptions = db.prepare('UPDATE subscriptions SET created_by = ? WHERE workspace_id = ? AND created_by = ?');
  const forget = db.transaction((ws: string, user: string) => {
    const removed = remove.run(ws, user).changes > 0;
    const other = removeDeliveries.run(ws, user).changes + anonymiseSubscriptions.run(FORGOTTEN_USER, ws, user).changes;
    return removed || other > 0;
  });

  return {
    get: (ws: string, user: string): UserRow | undefined => get.get(ws, user),
    /** Returns the user's row, creating it on first contact. */
    ensure(ws: string, user: string, now: Date): UserRow {
      ensure.run(ws, user, now.toISOString());
      return get.get(ws, user)!;
    },
    setProfile(ws: string, user: string, profile: { tz: string | null; isWorkspaceAdmin: boolean }, now: Date): void {
      setProfile.run(profile.tz, profile.isWorkspaceAdmin ? 1 : 0, now.toISOString(), ws, user);
    },
    setNudgeTime: (ws: string, user: string, hhmm: string) => void setNudgeTime.run(hhmm, ws, user),
    setTzOverride: (ws: string, user: string, tz: string | null) => void setTzOverride.run(tz, ws, user),
    setDmChannel: (ws: string, user: string, channel: string) => void setDmChannel.run(channel, ws, user, channel),
    setOnLeaderboard: (ws: string, user: string, on: boolean) => void setOnLeaderboard.run(on ? 1 : 0, ws, user),
    /**
     * Deletes the user, everything stored about them (foreign keys cascade), their DM deliveries,
     * and their id wherever it stays for others (subscriptions they made). secure_delete zeroes the
     * freed bytes; `checkpoint` then clears the older copies of those pages from the WAL.
     */
    forget: (ws: string, user: string): boolean => forget(ws, user),
    /**
     * Copies the WAL into the database file and empties it, so that no older copy of a deleted page
     * survives there; false while another connection's read keeps part of it in use.
     */
    checkpoint(): boolean {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      return !result || (result.busy === 0 && result.checkpointed === result.log);
    },
  };
}
