import type { DueNudge, Enrolment, EnrolmentStatus, EnrolmentsRepository, PausedBy } from '../../ports/store.js';
import { first, isoArray, movedFlags, type Queryable } from './connection.js';
import { claimLock, DUE_SETS } from './due-sets.js';

// Compare-and-set for many at once (distinct enrolments): `m.i` says which of the moves given took.
// The due times live in a narrow table (migration 015): moving one writes a small row and two index entries.
// `= ANY($1)` names the rows to the planner: with the join alone, it read the whole table into a hash to join a
// thousand moves against it (95 of 112 ms a batch of 1,000 among 100,000, EXPLAIN ANALYZE); now a thousand
// primary-key look-ups (15 ms).
const ADVANCE_NUDGES = `UPDATE enrolment_nudges n SET next_nudge_at = m.next
  FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS m(id, prev, next, i)
  WHERE n.enrolment_id = ANY($1::bigint[]) AND n.enrolment_id = m.id AND n.next_nudge_at IS NOT DISTINCT FROM m.prev
  RETURNING m.i`;

interface EnrolmentRow {
  id: number;
  workspace_id: string;
  user_id: string;
  track_id: string;
  started_on: string;
  status: EnrolmentStatus;
  paused_until: Date | null;
  status_reason: string | null;
  paused_by: PausedBy | null;
  is_current: boolean;
  next_nudge_at: Date | null;
  created_at: Date;
  updated_at: Date;
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
  pausedUntil: r.paused_until,
  nextNudgeAt: r.next_nudge_at,
});

const toEnrolment = (r: EnrolmentRow): Enrolment =>
  Object.assign(nudgeFields(r), {
    statusReason: r.status_reason,
    pausedBy: r.paused_by,
    isCurrent: r.is_current,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

// Properties added to one object: an enrolment's record spread into a copy with three properties more took 7–30 ms for
// 3,333 rows, against 0.2–0.6 ms (bench/README.md, "Issue 15, eleventh round"); a claim maps thousands.
const toDueNudge = (r: DueNudgeRow): DueNudge => Object.assign(nudgeFields(r), { tzOverride: r.tz_override, slackTz: r.slack_tz, nudgeTime: r.nudge_time });

export const DUE_NUDGE_COLUMNS =
  'e.id, e.workspace_id, e.user_id, e.track_id, e.started_on, e.status, e.paused_until, n.next_nudge_at, u.tz_override, u.slack_tz, u.nudge_time';

/** An enrolment with its weekly nudge's due time (a narrow table of its own, migration 015). */
const WITH_NUDGE = 'SELECT e.*, n.next_nudge_at FROM enrolments e LEFT JOIN enrolment_nudges n ON n.enrolment_id = e.id';
const BY_TRACK = `${WITH_NUDGE} WHERE e.workspace_id = $1 AND e.user_id = $2 AND e.track_id = $3`;

export function postgresEnrolments(q: Queryable): EnrolmentsRepository {
  return {
    async current(ws, user) {
      const row = first(await q.rows<EnrolmentRow>(`${WITH_NUDGE} WHERE e.workspace_id = $1 AND e.user_id = $2 AND e.is_current`, [ws, user]));
      return row ? toEnrolment(row) : undefined;
    },
    switchTo: (ws, user, trackId, startedOn, now) =>
      q.atomic(async (t) => {
        // Two switches for one learner at once (two replicas, a double click) take turns on the learner's row:
        // under READ COMMITTED the second would otherwise miss the first one's new current enrolment when it
        // clears the current flag, and then break the one-current-enrolment index.
        await t.rows('SELECT 1 FROM users WHERE workspace_id = $1 AND user_id = $2 FOR UPDATE', [ws, user]);
        await t.run('UPDATE enrolments SET is_current = false, updated_at = $1 WHERE workspace_id = $2 AND user_id = $3 AND is_current', [now, ws, user]);
        const earlier = first(await t.rows<EnrolmentRow>(BY_TRACK, [ws, user, trackId]));
        if (earlier) {
          await t.run(
            `UPDATE enrolments SET is_current = true, status = CASE WHEN status = 'finished' THEN 'finished' ELSE 'active' END,
               paused_until = NULL, status_reason = NULL, paused_by = NULL, updated_at = $1
             WHERE id = $2`,
            [now, earlier.id],
          );
        } else {
          await t.run(
            `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'active', true, $5, $5)`,
            [ws, user, trackId, startedOn, now],
          );
        }
        // Read back with the due time, which the triggers of migration 015 keep beside the enrolment.
        const row = first(await t.rows<EnrolmentRow>(BY_TRACK, [ws, user, trackId]));
        return { enrolment: toEnrolment(row!), resumed: earlier !== undefined };
      }),
    async setStatus(id, status, now, opts = {}) {
      await q.run('UPDATE enrolments SET status = $1, paused_until = $2, status_reason = $3, paused_by = $4, updated_at = $5 WHERE id = $6', [
        status,
        opts.pausedUntil ?? null,
        opts.reason ?? null,
        status === 'paused' ? (opts.by ?? 'learner') : null,
        now,
        id,
      ]);
    },
    async markDone(enrolmentId, week, now) {
      return (
        (await q.run('INSERT INTO milestones_done (enrolment_id, week, done_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [enrolmentId, week, now])) > 0
      );
    },
    async doneWeeks(enrolmentId) {
      return (await q.rows<{ week: number }>('SELECT week FROM milestones_done WHERE enrolment_id = $1 ORDER BY week', [enrolmentId])).map((r) => r.week);
    },
    async setNextNudge(id, at) {
      await q.run('UPDATE enrolment_nudges SET next_nudge_at = $1 WHERE enrolment_id = $2', [at, id]);
    },
    // Compare-and-set: under READ COMMITTED a second writer waits for the first's row lock, then re-checks the
    // WHERE against the committed row, so only one of two processes that saw the same due time moves it on.
    async advanceNudge(e, next) {
      return (
        (await q.run('UPDATE enrolment_nudges SET next_nudge_at = $1 WHERE enrolment_id = $2 AND next_nudge_at IS NOT DISTINCT FROM $3', [
          next,
          e.id,
          e.nextNudgeAt,
        ])) > 0
      );
    },
    async advanceNudges(moves) {
      if (moves.length === 0) return [];
      const moved = await q.rows<{ i: number }>(
        ADVANCE_NUDGES,
        [moves.map((m) => m.target.id), isoArray(moves.map((m) => m.target.nextNudgeAt)), isoArray(moves.map((m) => m.next))],
        'aipath_advance_nudges',
      );
      return movedFlags(moves.length, moved);
    },
    async dueNudges(now, limit) {
      const rows = await q.rows<DueNudgeRow>(
        `SELECT ${DUE_NUDGE_COLUMNS} ${DUE_SETS['learner-weekly']('$1')}
         ORDER BY n.next_nudge_at, n.enrolment_id LIMIT $2${claimLock(q, 'n')}`,
        [now, limit],
        // Prepared, one name per text (locked in a claim, or not): planning the three-table join took 2 of its 11 ms
        // a batch of 1,000 (EXPLAIN ANALYZE); its generic plan is the same index walk.
        q.inTransaction ? 'aipath_due_nudges_locked' : 'aipath_due_nudges',
      );
      return rows.map(toDueNudge);
    },
  };
}
