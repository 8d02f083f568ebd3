import type { Db } from './db.js';

export type EnrolmentStatus = 'active' | 'paused' | 'stopped' | 'finished';

export interface EnrolmentRow {
  id: number;
  workspace_id: string;
  user_id: string;
  track_id: string;
  started_on: string;
  status: EnrolmentStatus;
  paused_until: string | null;
  status_reason: string | null;
  is_current: number;
  next_nudge_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DueNudgeRow extends EnrolmentRow {
  tz_override: string | null;
  slack_tz: string | null;
  nudge_time: string;
}

export type EnrolmentsStore = ReturnType<typeof createEnrolmentsStore>;

export function createEnrolmentsStore(db: Db) {
  const current = db.prepare<[string, string], EnrolmentRow>('SELECT * FROM enrolments WHERE workspace_id = ? AND user_id = ? AND is_current = 1');
  const byTrack = db.prepare<[string, string, string], EnrolmentRow>('SELECT * FROM enrolments WHERE workspace_id = ? AND user_id = ? AND track_id = ?');
  const clearCurrent = db.prepare('UPDATE enrolments SET is_current = 0, updated_at = ? WHERE workspace_id = ? AND user_id = ? AND is_current = 1');
  const insert = db.prepare(
    `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'active', 1, ?, ?)`,
  );
  const reactivate = db.prepare(
    "UPDATE enrolments SET is_current = 1, status = CASE WHEN status = 'finished' THEN 'finished' ELSE 'active' END, paused_until = NULL, status_reason = NULL, updated_at = ? WHERE id = ?",
  );
  const setStatus = db.prepare('UPDATE enrolments SET status = ?, paused_until = ?, status_reason = ?, updated_at = ? WHERE id = ?');
  const setNextNudge = db.prepare('UPDATE enrolments SET next_nudge_at = ? WHERE id = ?');
  const advanceNudge = db.prepare('UPDATE enrolments SET next_nudge_at = ? WHERE id = ? AND next_nudge_at = ?');
  const dueNudges = db.prepare<[string, number], DueNudgeRow>(
    `SELECT e.*, u.tz_override, u.slack_tz, u.nudge_time FROM enrolments e
     JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
     WHERE e.is_current = 1 AND e.status IN ('active', 'paused') AND e.next_nudge_at <= ?
     ORDER BY e.next_nudge_at LIMIT ?`,
  );
  const markDone = db.prepare('INSERT INTO milestones_done (enrolment_id, week, done_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const doneWeeks = db.prepare<[number], { week: number }>('SELECT week FROM milestones_done WHERE enrolment_id = ? ORDER BY week');

  /** Makes `trackId` the learner's current track; an earlier enrolment in it resumes with its progress. */
  const switchTo = db.transaction(
    (ws: string, user: string, trackId: string, startedOn: string, now: string): { enrolment: EnrolmentRow; resumed: boolean } => {
      clearCurrent.run(now, ws, user);
      const earlier = byTrack.get(ws, user, trackId);
      if (earlier) {
        reactivate.run(now, earlier.id);
        return { enrolment: byTrack.get(ws, user, trackId)!, resumed: true };
      }
      insert.run(ws, user, trackId, startedOn, now, now);
      return { enrolment: byTrack.get(ws, user, trackId)!, resumed: false };
    },
  );

  return {
    current: (ws: string, user: string): EnrolmentRow | undefined => current.get(ws, user),
    switchTo: (ws: string, user: string, trackId: string, startedOn: string, now: Date) => switchTo.immediate(ws, user, trackId, startedOn, now.toISOString()),
    setStatus(id: number, status: EnrolmentStatus, now: Date, opts: { pausedUntil?: string | null; reason?: string | null } = {}): void {
      setStatus.run(status, opts.pausedUntil ?? null, opts.reason ?? null, now.toISOString(), id);
    },
    /** True when this call recorded the milestone, false when it was already done. */
    markDone: (enrolmentId: number, week: number, now: Date): boolean => markDone.run(enrolmentId, week, now.toISOString()).changes > 0,
    doneWeeks: (enrolmentId: number): number[] => doneWeeks.all(enrolmentId).map((r) => r.week),
    setNextNudge: (id: number, at: string | null) => void setNextNudge.run(at, id),
    /** Moves the nudge due time on, only if no other process already did (compare-and-set). */
    advanceNudge: (row: EnrolmentRow, next: string | null): boolean => advanceNudge.run(next, row.id, row.next_nudge_at).changes > 0,
    dueNudges: (now: Date, limit: number): DueNudgeRow[] => dueNudges.all(now.toISOString(), limit),
  };
}
