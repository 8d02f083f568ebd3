import type { PointsKind } from '../../domain/scoring.js';
import type { BoardEntry, PointsRepository } from '../../ports/store.js';
import type { Queryable } from './connection.js';

interface BoardRow {
  user_id: string;
  points: number;
  rank: number;
}

const toEntry = (r: BoardRow): BoardEntry => ({ userId: r.user_id, points: r.points, rank: r.rank });

// The points once per (learner, kind, ref) and the learner's running total with them, in one statement: both or
// neither. A second award of the same thing waits for the first's transaction, then does nothing.
const AWARD = `WITH p AS (
    INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT DO NOTHING RETURNING points
  ), total AS (
    UPDATE users SET points_total = users.points_total + p.points FROM p WHERE users.workspace_id = $1 AND users.user_id = $2 RETURNING 1
  )
  SELECT count(*) AS n FROM p`;

const STANDING = `SELECT u.points_total, u.on_leaderboard,
    (SELECT count(*) FROM users o WHERE o.workspace_id = u.workspace_id AND o.on_leaderboard AND o.points_total > u.points_total) AS ahead
  FROM users u WHERE u.workspace_id = $1 AND u.user_id = $2`;

const TEAM_SCORES = `SELECT s.user_id, s.points
  FROM (SELECT user_id, sum(points) AS points FROM points WHERE workspace_id = $1 AND earned_at >= $2 AND earned_at < $3 GROUP BY user_id) s
  JOIN quiz_team t ON t.workspace_id = $1 AND t.channel_id = $4 AND t.user_id = s.user_id
  JOIN users u ON u.workspace_id = $1 AND u.user_id = s.user_id AND u.on_leaderboard
  WHERE s.points > 0`;

/**
 * Boards rank in SQL and return only the top ranks and the caller, whatever the workspace's size; hidden
 * learners (few) are left out by a small NOT IN set. `$n` numbers of the workspace, channel, caller and limit.
 */
const rankedTail = (ws: number, channel: number, me: number, limit: number) => `v AS (
    SELECT user_id, points FROM s
    WHERE points > 0
      AND user_id NOT IN (SELECT user_id FROM users WHERE workspace_id = $${ws} AND NOT on_leaderboard)
      AND ($${channel}::text IS NULL OR EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = $${ws} AND t.channel_id = $${channel} AND t.user_id = s.user_id))
  ), r AS (SELECT user_id, points, rank() OVER (ORDER BY points DESC) AS rank FROM v)
  SELECT user_id, points, rank FROM r WHERE rank <= $${limit} OR user_id = $${me} ORDER BY rank, user_id COLLATE "C"`;

const PERIOD_BOARD = `WITH s AS (SELECT user_id, sum(points) AS points FROM points WHERE workspace_id = $1 AND earned_at >= $2 AND earned_at < $3 GROUP BY user_id),
  ${rankedTail(1, 4, 5, 6)}`;
const ALL_TIME_BOARD = `WITH s AS (SELECT user_id, points_total AS points FROM users WHERE workspace_id = $1 AND points_total > 0),
  ${rankedTail(1, 2, 3, 4)}`;

const TEAM_TOTALS = `SELECT a.answered, a.correct, m.milestones
  FROM (SELECT count(*) AS answered, count(*) FILTER (WHERE a.correct) AS correct
        FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
        WHERE q.workspace_id = $1 AND q.channel_id = $2 AND a.answered_at >= $3 AND a.answered_at < $4) a,
       (SELECT count(*) AS milestones FROM points p
        WHERE p.workspace_id = $1 AND p.kind = 'milestone' AND p.earned_at >= $3 AND p.earned_at < $4
          AND p.user_id IN (SELECT user_id FROM quiz_team WHERE workspace_id = $1 AND channel_id = $2)) m`;

export function postgresPoints(q: Queryable): PointsRepository {
  return {
    async award(ws, user, kind, ref, points, now, channel = null) {
      const [row] = await q.rows<{ n: number }>(AWARD, [ws, user, kind, ref, points, channel, now]);
      return (row?.n ?? 0) > 0;
    },
    async standing(ws, user) {
      const [row] = await q.rows<{ points_total: number; on_leaderboard: boolean; ahead: number }>(STANDING, [ws, user]);
      if (!row) return { points: 0, rank: undefined };
      const visible = row.on_leaderboard && row.points_total > 0;
      return { points: row.points_total, rank: visible ? row.ahead + 1 : undefined };
    },
    async teamScores(ws, channel, period) {
      const rows = await q.rows<{ user_id: string; points: number }>(TEAM_SCORES, [ws, period.from, period.to, channel]);
      return rows.map((r) => ({ userId: r.user_id, points: r.points }));
    },
    async userPoints(ws, user, period) {
      const [row] = await q.rows<{ points: number }>(
        'SELECT coalesce(sum(points), 0) AS points FROM points WHERE workspace_id = $1 AND user_id = $2 AND earned_at >= $3 AND earned_at < $4',
        [ws, user, period.from, period.to],
      );
      return row?.points ?? 0;
    },
    async board(ws, period, opts) {
      const channel = opts.channel ?? null;
      const rows =
        period === 'all'
          ? await q.rows<BoardRow>(ALL_TIME_BOARD, [ws, channel, opts.me, opts.limit])
          : await q.rows<BoardRow>(PERIOD_BOARD, [ws, period.from, period.to, channel, opts.me, opts.limit]);
      const entries = rows.map(toEntry);
      return { top: entries.filter((r) => r.rank <= opts.limit), me: entries.find((r) => r.userId === opts.me) };
    },
    async earnedBy(ws, user) {
      const rows = await q.rows<{ kind: PointsKind; ref: string; points: number; channel_id: string | null; earned_at: Date }>(
        'SELECT kind, ref, points, channel_id, earned_at FROM points WHERE workspace_id = $1 AND user_id = $2 ORDER BY id',
        [ws, user],
      );
      return rows.map((p) => ({ kind: p.kind, ref: p.ref, points: p.points, channelId: p.channel_id, earnedAt: p.earned_at }));
    },
    async markStudyDay(ws, user, localDate) {
      await q.run('INSERT INTO study_days (workspace_id, user_id, local_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [ws, user, localDate]);
    },
    async studyDays(ws, user, since) {
      const rows = await q.rows<{ local_date: string }>(
        'SELECT local_date FROM study_days WHERE workspace_id = $1 AND user_id = $2 AND local_date COLLATE "C" >= $3',
        [ws, user, since],
      );
      return new Set(rows.map((r) => r.local_date));
    },
    async teamTotals(ws, channel, period) {
      const [row] = await q.rows<{ answered: number; correct: number; milestones: number }>(TEAM_TOTALS, [ws, channel, period.from, period.to]);
      return { answered: row!.answered, correct: row!.correct, milestones: row!.milestones };
    },
  };
}
