import type { EnrolmentStatus, LearnerRecord, WorkspaceReportsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface LearnerRow {
  user_id: string;
  tz_override: string | null;
  slack_tz: string | null;
  on_leaderboard: number;
  points_total: number;
  track_id: string | null;
  started_on: string | null;
  status: EnrolmentStatus | null;
  paused_until: string | null;
  is_current: number | null;
  /** The done weeks, comma-separated; NULL for none. */
  done_weeks: string | null;
}

const toLearner = (r: LearnerRow): LearnerRecord => ({
  userId: r.user_id,
  tzOverride: r.tz_override,
  slackTz: r.slack_tz,
  onLeaderboard: r.on_leaderboard === 1,
  points: r.points_total,
  enrolment:
    r.track_id === null
      ? null
      : {
          trackId: r.track_id,
          startedOn: r.started_on!,
          status: r.status!,
          pausedUntil: dateOrNull(r.paused_until),
          isCurrent: r.is_current === 1,
          doneWeeks: r.done_weeks
            ? r.done_weeks
                .split(',')
                .map(Number)
                .sort((a, b) => a - b)
            : [],
        },
});

export function sqliteReports(db: Db): Synchronous<WorkspaceReportsRepository> {
  const counts = db.prepare<[string], { status: EnrolmentStatus; n: number }>(
    'SELECT status, COUNT(*) AS n FROM enrolments WHERE workspace_id = ? AND is_current = 1 GROUP BY status',
  );
  // Instants are ISO-8601 UTC text, which sorts as time does. UNION ALL and one DISTINCT let each branch read a
  // range of its time index (quiz_answers_by_time, review_log_by_time); UNION would sort by user id instead.
  // Answers are the learner's number and integer milliseconds (migration 014).
  const active = db.prepare<{ ws: string; since: string; sinceMs: number }, { n: number }>(
    `SELECT COUNT(DISTINCT user_id) AS n FROM (
       SELECT u.user_id FROM quiz_answers a JOIN users u ON u.id = a.learner WHERE a.answered_at >= @sinceMs AND u.workspace_id = @ws
       UNION ALL
       SELECT user_id FROM review_log WHERE workspace_id = @ws AND reviewed_at >= @since
       UNION ALL
       SELECT e.user_id FROM milestones_done m JOIN enrolments e ON e.id = m.enrolment_id
       WHERE e.workspace_id = @ws AND m.done_at >= @since
     )`,
  );
  // A page of learners first (by the users' primary key), then their enrolments: a learner is never split.
  const learners = db.prepare<{ ws: string; after: string; limit: number }, LearnerRow>(
    `WITH page AS (
       SELECT user_id FROM users u
       WHERE u.workspace_id = @ws AND u.user_id > @after
         AND (u.points_total > 0 OR EXISTS (SELECT 1 FROM enrolments x WHERE x.workspace_id = u.workspace_id AND x.user_id = u.user_id))
       ORDER BY u.user_id LIMIT @limit
     )
     SELECT u.user_id, u.tz_override, u.slack_tz, u.on_leaderboard, u.points_total,
            e.track_id, e.started_on, e.status, e.paused_until, e.is_current,
            (SELECT group_concat(m.week) FROM milestones_done m WHERE m.enrolment_id = e.id) AS done_weeks
     FROM page JOIN users u ON u.workspace_id = @ws AND u.user_id = page.user_id
     LEFT JOIN enrolments e ON e.workspace_id = u.workspace_id AND e.user_id = u.user_id
     ORDER BY u.user_id, e.is_current DESC, e.track_id`,
  );
  return {
    enrolmentCounts(ws) {
      const out: Record<EnrolmentStatus, number> = { active: 0, paused: 0, stopped: 0, finished: 0 };
      for (const r of counts.all(ws)) out[r.status] = r.n;
      return out;
    },
    activeLearners: (ws, since) => active.get({ ws, since: iso(since), sinceMs: since.getTime() })!.n,
    learners: (ws, page) => learners.all({ ws, after: page.after, limit: page.limit }).map(toLearner),
  };
}
