import type { DueNudge, Enrolment, EnrolmentStatus, EnrolmentsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { DUE_SETS } from './due-sets.js';
import { dateOrNull, iso, isoOrNull, type Synchronous } from './sync.js';

interface EnrolmentRow {
  id: number;
  workspace_id: string;
  user_id: string;
  track_id: string;
  started_on: string;
  status: EnrolmentStatus;
  paused_until: string | null;
  status_reason: string | null;
  paused_by: 'learner' | 'slack' | null;
  is_current: number;
  next_nudge_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns of the due query: those DueNudge holds. */
type DueNudgeRow = Pick<EnrolmentRow, 'id' | 'workspace_id' | 'user_id' | 'track_id' | 'started_on' | 'status' | 'paused_until' | 'next_nudge_at'> & {
  tz_override: string | null;
  slack_tz: string | null;
  nudge_time: string;
};

/** What an enrolment's record and a due nudge share, from the columns the due query reads. */
const nudgeFields = (r: DueNudgeRow | EnrolmentRow) => ({
  id: r.id,
  workspaceId: r.workspace_id,
  userId: r.user_id,
  trackId: r.track_id,
  startedOn: r.started_on,
  status: r.status,
  pausedUntil: dateOrNull(r.paused_until),
  nextNudgeAt: dateOrNull(r.next_nudge_at),
});

const toEnrolment = (r: EnrolmentRow): Enrolment =>
  Object.assign(nudgeFields(r), {
    statusReason: r.status_reason,
    pausedBy: r.paused_by,
    isCurrent: r.is_current === 1,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  });

// Properties added to one object: an enrolment's record spread into a copy with three properties more took 7–30 ms for
// 3,333 rows, against 0.2–0.6 ms (bench/README.md, "Issue 15, eleventh round"); a claim maps thousands.
const toDueNudge = (r: DueNudgeRow): DueNudge => Object.assign(nudgeFields(r), { tzOverride: r.tz_override, slackTz: r.slack_tz, nudgeTime: r.nudge_time });

export const DUE_NUDGE_COLUMNS =
  'e.id, e.workspace_id, e.user_id, e.track_id, e.started_on, e.status, e.paused_until, n.next_nudge_at, u.tz_override, u.slack_tz, u.nudge_time';

/** An enrolment with its weekly nudge's due time, which lives in a narrow table of its own (migration 020). */
const WITH_NUDGE = 'SELECT e.*, n.next_nudge_at FROM enrolments e LEFT JOIN enrolment_nudges n ON n.enrolment_id = e.id';

export function sqliteEnrolments(db: Db): Synchronous<EnrolmentsRepository> {
  const current = db.prepare<[string, string], EnrolmentRow>(`${WITH_NUDGE} WHERE e.workspace_id = ? AND e.user_id = ? AND e.is_current = 1`);
  const byTrack = db.prepare<[string, string, string], EnrolmentRow>(`${WITH_NUDGE} WHERE e.workspace_id = ? AND e.user_id = ? AND e.track_id = ?`);
  const clearCurrent = db.prepare('UPDATE enrolments SET is_current = 0, updated_at = ? WHERE workspace_id = ? AND user_id = ? AND is_current = 1');
  const insert = db.prepare(
    `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'active', 1, ?, ?)`,
  );
  const reactivate = db.prepare(
    "UPDATE enrolments SET is_current = 1, status = CASE WHEN status = 'finished' THEN 'finished' ELSE 'active' END, paused_until = NULL, status_reason = NULL, paused_by = NULL, updated_at = ? WHERE id = ?",
  );
  const setStatus = db.prepare('UPDATE enrolments SET status = ?, paused_until = ?, status_reason = ?, paused_by = ?, updated_at = ? WHERE id = ?');
  const setNextNudge = db.prepare('UPDATE enrolment_nudges SET next_nudge_at = ? WHERE enrolment_id = ?');
  const advanceNudge = db.prepare('UPDATE enrolment_nudges SET next_nudge_at = ? WHERE enrolment_id = ? AND next_nudge_at IS ?');
  // In the due index's order (due time, then the rowid: the enrolment's id).
  const dueNudges = db.prepare<{ now: string; limit: number }, DueNudgeRow>(
    `SELECT ${DUE_NUDGE_COLUMNS} ${DUE_SETS['learner-weekly']('@now')}
     ORDER BY n.next_nudge_at, n.enrolment_id LIMIT @limit`,
  );
  const markDone = db.prepare('INSERT INTO milestones_done (enrolment_id, week, done_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const doneWeeks = db.prepare<[number], { week: number }>('SELECT week FROM milestones_done WHERE enrolment_id = ? ORDER BY week');

  const switchTo = db.transaction((ws: string, user: string, trackId: string, startedOn: string, now: string) => {
    clearCurrent.run(now, ws, user);
    const earlier = byTrack.get(ws, user, trackId);
    if (earlier) reactivate.run(now, earlier.id);
    else insert.run(ws, user, trackId, startedOn, now, now);
    return { enrolment: toEnrolment(byTrack.get(ws, user, trackId)!), resumed: earlier !== undefined };
  });

  return {
    current(ws, user) {
      const row = current.get(ws, user);
      return row ? toEnrolment(row) : undefined;
    },
    switchTo: (ws, user, trackId, startedOn, now) => switchTo.immediate(ws, user, trackId, startedOn, iso(now)),
    setStatus(id, status, now, opts = {}) {
      setStatus.run(status, isoOrNull(opts.pausedUntil), opts.reason ?? null, status === 'paused' ? (opts.by ?? 'learner') : null, iso(now), id);
    },
    markDone: (enrolmentId, week, now) => markDone.run(enrolmentId, week, iso(now)).changes > 0,
    doneWeeks: (enrolmentId) => doneWeeks.all(enrolmentId).map((r) => r.week),
    setNextNudge: (id, at) => void setNextNudge.run(isoOrNull(at), id),
    advanceNudge: (e, next) => advanceNudge.run(isoOrNull(next), e.id, isoOrNull(e.nextNudgeAt)).changes > 0,
    advanceNudges: (moves) => moves.map(({ target: e, next }) => advanceNudge.run(isoOrNull(next), e.id, isoOrNull(e.nextNudgeAt)).changes > 0),
    // One write transaction serialises every writer: a due set read in it is the claimer's alone, nothing to lock.
    dueNudges: (now, limit) => dueNudges.all({ now: iso(now), limit }).map(toDueNudge),
  };
}
