import type { EnrolmentStatus, LearnerRecord, WorkspaceReportsRepository } from '../../ports/store.js';
import { first, type Queryable } from './connection.js';

interface LearnerRow {
  user_id: string;
  tz_override: string | null;
  slack_tz: string | null;
  on_leaderboard: boolean;
  points_total: number;
  track_id: string | null;
  started_on: string | null;
  status: EnrolmentStatus | null;
  paused_until: Date | null;
  is_current: boolean | null;
  done_weeks: number[] | null;
}

const toLearner = (r: LearnerRow): LearnerRecord => ({
  userId: r.user_id,
  tzOverride: r.tz_override,
  slackTz: r.slack_tz,
  onLeaderboard: r.on_leaderboard,
  points: r.points_total,
  enrolment:
    r.track_id === null
      ? null
      : {
          trackId: r.track_id,
          startedOn: r.started_on!,
          status: r.status!,
          pausedUntil: r.paused_until,
          isCurrent: r.is_current === true,
          doneWeeks: r.done_weeks ?? [],
        },
});

const ACTIVE = `SELECT count(DISTINCT user_id) AS n FROM (
    SELECT u.user_id FROM quiz_answers a JOIN users u ON u.id = a.learner WHERE a.answered_at >= $2 AND u.workspace_id = $1
    UNION ALL
    SELECT user_id FROM review_log WHERE workspace_id = $1 AND reviewed_at >= $2
    UNION ALL
    SELECT e.user_id FROM milestones_done m JOIN enrolments e ON e.id = m.enrolment_id WHERE e.workspace_id = $1 AND m.done_at >= $2
  ) a`;

// A page of learners first, then their enrolments: a learner is never split. Text compared and ordered bytewise
// (COLLATE "C"), as SQLite does, whatever the database's collation.
const LEARNERS = `WITH page AS (
    SELECT user_id FROM users u
    WHERE u.workspace_id = $1 AND u.user_id COLLATE "C" > $2
      AND (u.points_total > 0 OR EXISTS (SELECT 1 FROM enrolments x WHERE x.workspace_id = u.workspace_id AND x.user_id = u.user_id))
    ORDER BY u.user_id COLLATE "C" LIMIT $3
  )
  SELECT u.user_id, u.tz_override, u.slack_tz, u.on_leaderboard, u.points_total,
    e.track_id, e.started_on, e.status, e.paused_until, e.is_current,
    (SELECT array_agg(m.week ORDER BY m.week) FROM milestones_done m WHERE m.enrolment_id = e.id) AS done_weeks
  FROM page JOIN users u ON u.workspace_id = $1 AND u.user_id = page.user_id
  LEFT JOIN enrolments e ON e.workspace_id = u.workspace_id AND e.user_id = u.user_id
  ORDER BY u.user_id COLLATE "C", e.is_current DESC, e.track_id COLLATE "C"`;

export function postgresReports(q: Queryable): WorkspaceReportsRepository {
  return {
    async enrolmentCounts(ws) {
      const out: Record<EnrolmentStatus, number> = { active: 0, paused: 0, stopped: 0, finished: 0 };
      const rows = await q.rows<{ status: EnrolmentStatus; n: number }>(
        'SELECT status, count(*) AS n FROM enrolments WHERE workspace_id = $1 AND is_current GROUP BY status',
        [ws],
      );
      for (const r of rows) out[r.status] = r.n;
      return out;
    },
    async activeLearners(ws, since) {
      return first(await q.rows<{ n: number }>(ACTIVE, [ws, since]))?.n ?? 0;
    },
    async learners(ws, page) {
      return (await q.rows<LearnerRow>(LEARNERS, [ws, page.after, page.limit])).map(toLearner);
    },
  };
}
