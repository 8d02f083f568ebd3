import type { PointsKind } from '../core/scoring.js';
import type { Db } from './db.js';

/** A learner's points in a period; boards only ever see learners who show on them. */
export interface ScoreRow {
  user_id: string;
  points: number;
}

export interface BoardRow extends ScoreRow {
  rank: number;
}

interface BoardParams {
  ws: string;
  from: string;
  to: string;
  channel: string | null;
  me: string;
  limit: number;
}

export type PointsStore = ReturnType<typeof createPointsStore>;

export function createPointsStore(db: Db) {
  const award = db.prepare(
    'INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const addTotal = db.prepare('UPDATE users SET points_total = points_total + ? WHERE workspace_id = ? AND user_id = ?');
  const awardOnce = db.transaction((ws: string, user: string, kind: PointsKind, ref: string, points: number, channel: string | null, at: string): boolean => {
    if (award.run(ws, user, kind, ref, points, channel, at).changes === 0) return false;
    addTotal.run(points, ws, user);
    return true;
  });
  const total = db.prepare<[string, string], { points_total: number; on_leaderboard: number }>(
    'SELECT points_total, on_leaderboard FROM users WHERE workspace_id = ? AND user_id = ?',
  );
  const ahead = db.prepare<[string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM users WHERE workspace_id = ? AND on_leaderboard = 1 AND points_total > ?',
  );
  const markDay = db.prepare('INSERT INTO study_days (workspace_id, user_id, local_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const days = db.prepare<[string, string, string], { local_date: string }>(
    'SELECT local_date FROM study_days WHERE workspace_id = ? AND user_id = ? AND local_date >= ?',
  );
  const missedDays = db.prepare<[string, string], { period: string }>(
    "SELECT DISTINCT period FROM deliveries WHERE workspace_id = ? AND status = 'missed' AND kind IN ('daily_tip', 'daily_quiz') AND period >= ?",
  );
  // CROSS JOIN keeps SQLite from driving the join from the (much larger) team table.
  const teamPeriodScores = db.prepare<[string, string, string, string, string], ScoreRow>(
    `SELECT s.user_id, s.points
     FROM (SELECT user_id, SUM(points) AS points FROM points WHERE workspace_id = ? AND earned_at >= ? AND earned_at < ? GROUP BY user_id) s
     CROSS JOIN quiz_team t ON t.workspace_id = ? AND t.channel_id = ? AND t.user_id = s.user_id
     CROSS JOIN users u ON u.workspace_id = t.workspace_id AND u.user_id = s.user_id AND u.on_leaderboard = 1
     WHERE s.points > 0`,
  );
  const userPeriodPoints = db.prepare<[string, string, string, string], { points: number | null }>(
    'SELECT SUM(points) AS points FROM points WHERE workspace_id = ? AND user_id = ? AND earned_at >= ? AND earned_at < ?',
  );
  // Boards rank in SQL and return only the top ranks and the caller, whatever the workspace's size.
  // Hidden learners (few) are excluded by a small NOT IN set rather than a lookup per scorer.
  const rankedTail = `v AS (
       SELECT user_id, points FROM s
       WHERE points > 0
         AND user_id NOT IN (SELECT user_id FROM users WHERE workspace_id = @ws AND on_leaderboard = 0)
         AND (@channel IS NULL OR EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = @ws AND t.channel_id = @channel AND t.user_id = s.user_id))
     ), r AS (SELECT user_id, points, RANK() OVER (ORDER BY points DESC) AS rank FROM v)
     SELECT user_id, points, rank FROM r WHERE rank <= @limit OR user_id = @me ORDER BY rank, user_id`;
  const periodBoard = db.prepare<[BoardParams], BoardRow>(
    `WITH s AS (SELECT user_id, SUM(points) AS points FROM points WHERE workspace_id = @ws AND earned_at >= @from AND earned_at < @to GROUP BY user_id),
     ${rankedTail}`,
  );
  const allTimeBoard = db.prepare<[BoardParams], BoardRow>(
    `WITH s AS (SELECT user_id, points_total AS points FROM users WHERE workspace_id = @ws AND points_total > 0),
     ${rankedTail}`,
  );
  const teamTotals = db.prepare<[string, string, string, string], { answered: number; correct: number }>(
    `SELECT COUNT(*) AS answered, COALESCE(SUM(a.correct), 0) AS correct FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
     WHERE q.workspace_id = ? AND q.channel_id = ? AND a.answered_at >= ? AND a.answered_at < ?`,
  );
  const teamMilestones = db.prepare<[string, string, string, string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM points p WHERE p.workspace_id = ? AND p.kind = 'milestone' AND p.earned_at >= ? AND p.earned_at < ?
     AND p.user_id IN (SELECT user_id FROM quiz_team WHERE workspace_id = ? AND channel_id = ?)`,
  );

  return {
    /** Records points once per (kind, ref); returns false when they were already earned. */
    award(ws: string, user: string, kind: PointsKind, ref: string, points: number, now: Date, channel: string | null = null): boolean {
      return awardOnce.immediate(ws, user, kind, ref, points, channel, now.toISOString());
    },
    /** All-time points and workspace rank (ties share it); no rank for hidden or pointless learners. */
    standing(ws: string, user: string): { points: number; rank: number | undefined } {
      const row = total.get(ws, user);
      if (!row) return { points: 0, rank: undefined };
      const visible = row.on_leaderboard === 1 && row.points_total > 0;
      return { points: row.points_total, rank: visible ? ahead.get(ws, row.points_total)!.n + 1 : undefined };
    },
    /** Every visible learner of a channel's team with points in [from, to): the Monday recap's input. */
    teamScores: (ws: string, channel: string, period: { from: string; to: string }): ScoreRow[] =>
      teamPeriodScores.all(ws, period.from, period.to, ws, channel),
    userPoints: (ws: string, user: string, from: string, to: string): number => userPeriodPoints.get(ws, user, from, to)?.points ?? 0,
    /** The top `limit` ranks (ties share a rank) and the caller's own row if they show on boards and scored. */
    board(
      ws: string,
      period: { from: string; to: string } | 'all',
      opts: { channel?: string; me: string; limit: number },
    ): { top: BoardRow[]; me: BoardRow | undefined } {
      const params: BoardParams = { ws, from: '', to: '', channel: opts.channel ?? null, me: opts.me, limit: opts.limit };
      const rows = period === 'all' ? allTimeBoard.all(params) : periodBoard.all({ ...params, from: period.from, to: period.to });
      return { top: rows.filter((r) => r.rank <= opts.limit), me: rows.find((r) => r.user_id === opts.me) };
    },
    markStudyDay: (ws: string, user: string, localDate: string) => void markDay.run(ws, user, localDate),
    studyDays: (ws: string, user: string, since: string): Set<string> => new Set(days.all(ws, user, since).map((r) => r.local_date)),
    /** Local dates on which aipath failed to post in this workspace: they excuse a gap in a streak. */
    excusedDays: (ws: string, since: string): Set<string> => new Set(missedDays.all(ws, since).map((r) => r.period)),
    teamTotals: (ws: string, channel: string, from: string, to: string) => ({
      ...teamTotals.get(ws, channel, from, to)!,
      milestones: teamMilestones.get(ws, from, to, ws, channel)!.n,
    }),
  };
}
