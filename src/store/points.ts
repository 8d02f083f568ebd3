import type { PointsKind } from '../core/scoring.js';
import type { Db } from './db.js';

export interface ScoreRow {
  user_id: string;
  points: number;
  on_leaderboard: number;
}

export type PointsStore = ReturnType<typeof createPointsStore>;

export function createPointsStore(db: Db) {
  const award = db.prepare(
    'INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const markDay = db.prepare('INSERT INTO study_days (workspace_id, user_id, local_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const days = db.prepare<[string, string, string], { local_date: string }>('SELECT local_date FROM study_days WHERE workspace_id = ? AND user_id = ? AND local_date >= ?');
  const missedDays = db.prepare<[string, string], { period: string }>(
    "SELECT DISTINCT period FROM deliveries WHERE workspace_id = ? AND status = 'missed' AND kind IN ('daily_tip', 'daily_quiz') AND period >= ?",
  );
  const workspaceScores = db.prepare<[string, string, string], ScoreRow>(
    `SELECT p.user_id, SUM(p.points) AS points, u.on_leaderboard FROM points p
     JOIN users u ON u.workspace_id = p.workspace_id AND u.user_id = p.user_id
     WHERE p.workspace_id = ? AND p.earned_at >= ? AND p.earned_at < ?
     GROUP BY p.user_id`,
  );
  const teamScores = db.prepare<[string, string, string, string, string], ScoreRow>(
    `WITH team AS (
       SELECT DISTINCT a.user_id FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
       WHERE q.workspace_id = ? AND q.channel_id = ?
     )
     SELECT t.user_id, COALESCE(SUM(p.points), 0) AS points, u.on_leaderboard FROM team t
     JOIN users u ON u.workspace_id = ? AND u.user_id = t.user_id
     LEFT JOIN points p ON p.workspace_id = u.workspace_id AND p.user_id = t.user_id AND p.earned_at >= ? AND p.earned_at < ?
     GROUP BY t.user_id`,
  );
  const teamTotals = db.prepare<[string, string, string, string], { answered: number; correct: number }>(
    `SELECT COUNT(*) AS answered, COALESCE(SUM(a.correct), 0) AS correct FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
     WHERE q.workspace_id = ? AND q.channel_id = ? AND a.answered_at >= ? AND a.answered_at < ?`,
  );
  const teamMilestones = db.prepare<[string, string, string, string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM points p WHERE p.workspace_id = ? AND p.kind = 'milestone' AND p.earned_at >= ? AND p.earned_at < ?
     AND p.user_id IN (SELECT DISTINCT a.user_id FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id WHERE q.workspace_id = ? AND q.channel_id = ?)`,
  );

  return {
    /** Records points once per (kind, ref); returns false when they were already earned. */
    award(ws: string, user: string, kind: PointsKind, ref: string, points: number, now: Date, channel: string | null = null): boolean {
      return award.run(ws, user, kind, ref, points, channel, now.toISOString()).changes > 0;
    },
    markStudyDay: (ws: string, user: string, localDate: string) => void markDay.run(ws, user, localDate),
    studyDays: (ws: string, user: string, since: string): Set<string> => new Set(days.all(ws, user, since).map((r) => r.local_date)),
    /** Local dates on which aipath failed to post in this workspace: they excuse a gap in a streak. */
    excusedDays: (ws: string, since: string): Set<string> => new Set(missedDays.all(ws, since).map((r) => r.period)),
    workspaceScores: (ws: string, from: string, to: string): ScoreRow[] => workspaceScores.all(ws, from, to),
    teamScores: (ws: string, channel: string, from: string, to: string): ScoreRow[] => teamScores.all(ws, channel, ws, from, to),
    teamTotals: (ws: string, channel: string, from: string, to: string) => ({
      ...teamTotals.get(ws, channel, from, to)!,
      milestones: teamMilestones.get(ws, from, to, ws, channel)!.n,
    }),
  };
}
