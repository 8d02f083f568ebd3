import type { PointsKind } from '../../domain/scoring.js';
import type { BoardEntry, PointsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { iso, type Synchronous } from './sync.js';

interface BoardParams {
  ws: string;
  from: string;
  to: string;
  channel: string | null;
  me: string;
  limit: number;
}

interface BoardRow {
  user_id: string;
  points: number;
  rank: number;
}

const toEntry = (r: BoardRow): BoardEntry => ({ userId: r.user_id, points: r.points, rank: r.rank });

export function sqlitePoints(db: Db): Synchronous<PointsRepository> {
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
  const earnedBy = db.prepare<[string, string], { kind: PointsKind; ref: string; points: number; channel_id: string | null; earned_at: string }>(
    'SELECT kind, ref, points, channel_id, earned_at FROM points WHERE workspace_id = ? AND user_id = ? ORDER BY id',
  );
  const markDay = db.prepare('INSERT INTO study_days (workspace_id, user_id, local_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const days = db.prepare<[string, string, string], { local_date: string }>(
    'SELECT local_date FROM study_days WHERE workspace_id = ? AND user_id = ? AND local_date >= ?',
  );
  // CROSS JOIN keeps SQLite from driving the join from the (much larger) team table.
  const teamPeriodScores = db.prepare<[string, string, string, string, string], { user_id: string; points: number }>(
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
    award: (ws, user, kind, ref, points, now, channel = null) => awardOnce.immediate(ws, user, kind, ref, points, channel, iso(now)),
    standing(ws, user) {
      const row = total.get(ws, user);
      if (!row) return { points: 0, rank: undefined };
      const visible = row.on_leaderboard === 1 && row.points_total > 0;
      return { points: row.points_total, rank: visible ? ahead.get(ws, row.points_total)!.n + 1 : undefined };
    },
    teamScores: (ws, channel, period) =>
      teamPeriodScores.all(ws, iso(period.from), iso(period.to), ws, channel).map((r) => ({ userId: r.user_id, points: r.points })),
    userPoints: (ws, user, period) => userPeriodPoints.get(ws, user, iso(period.from), iso(period.to))?.points ?? 0,
    board(ws, period, opts) {
      const params: BoardParams = { ws, from: '', to: '', channel: opts.channel ?? null, me: opts.me, limit: opts.limit };
      const rows = (period === 'all' ? allTimeBoard.all(params) : periodBoard.all({ ...params, from: iso(period.from), to: iso(period.to) })).map(toEntry);
      return { top: rows.filter((r) => r.rank <= opts.limit), me: rows.find((r) => r.userId === opts.me) };
    },
    earnedBy: (ws, user) =>
      earnedBy.all(ws, user).map((p) => ({ kind: p.kind, ref: p.ref, points: p.points, channelId: p.channel_id, earnedAt: new Date(p.earned_at) })),
    markStudyDay: (ws, user, localDate) => void markDay.run(ws, user, localDate),
    studyDays: (ws, user, since) => new Set(days.all(ws, user, since).map((r) => r.local_date)),
    teamTotals(ws, channel, period) {
      const from = iso(period.from);
      const to = iso(period.to);
      return { ...teamTotals.get(ws, channel, from, to)!, milestones: teamMilestones.get(ws, from, to, ws, channel)!.n };
    },
  };
}
