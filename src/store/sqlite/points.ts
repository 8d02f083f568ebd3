import type { PointsKind } from '../../domain/scoring.js';
import type { Board, BoardEntry, PointsRepository, Score } from '../../ports/store.js';
import { byRankThenUser } from '../board-order.js';
import { type BoardSource, sqliteBoards } from './boards.js';
import type { Db } from './connection.js';
import type { Synchronous } from './sync.js';

/** Instants of points and answers are integers here: milliseconds since 1970, UTC (migration 014). */
const ms = (d: Date): number => d.getTime();

/** How far down the workspace's board a channel's board reads before it reads its team's members instead. */
const TEAM_WALK = 2_000;

interface Row {
  user_id: string;
  points: number;
}
interface WalkRow extends Row {
  member: number;
}
interface Mine {
  points: number;
  on_leaderboard: number;
}

type Top = Pick<Board, 'top' | 'moreTied'>;

/** The first `limit` of scores ordered by points, highest first, ranked (ties share a rank), and whether more tie with the last. */
function topRanks(rows: Iterable<Row>, limit: number): Top {
  const top: BoardEntry[] = [];
  let moreTied = false;
  for (const r of rows) {
    const last = top.at(-1);
    if (top.length === limit) {
      moreTied = last !== undefined && r.points === last.points;
      break;
    }
    top.push({ userId: r.user_id, points: r.points, rank: last && last.points === r.points ? last.rank : top.length + 1 });
  }
  return { top: top.sort(byRankThenUser), moreTied };
}

/**
 * A channel's top, walking the workspace's ranking (highest first) for its team's members: quick when the team is
 * much of the workspace. Undefined when `TEAM_WALK` rows were not enough (a small team): read its members then.
 */
function walkTeam(rows: Iterable<WalkRow>, limit: number): Top | undefined {
  const members: Row[] = [];
  let walked = 0;
  for (const r of rows) {
    if (members.length > limit) break;
    if (++walked > TEAM_WALK) return undefined;
    if (r.member) members.push(r);
  }
  return topRanks(members, limit);
}

export function sqlitePoints(db: Db): Synchronous<PointsRepository> {
  const boards = sqliteBoards(db);
  const learnerOf = db.prepare<[string, string], { id: number }>('SELECT id FROM users WHERE workspace_id = ? AND user_id = ?');
  const award = db.prepare(
    `INSERT INTO points (learner, kind, ref, points, channel_id, earned_at)
     VALUES ((SELECT id FROM users WHERE workspace_id = ? AND user_id = ?), ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const addTotal = db.prepare('UPDATE users SET points_total = points_total + ? WHERE workspace_id = ? AND user_id = ?');
  const awardOnce = db.transaction((ws: string, user: string, kind: PointsKind, ref: string, points: number, channel: string | null, at: number): boolean => {
    if (award.run(ws, user, kind, ref, points, channel, at).changes === 0) return false;
    addTotal.run(points, ws, user);
    boards.add(ws, learnerOf.get(ws, user)!.id, points, at);
    return true;
  });
  const total = db.prepare<[string, string], { points_total: number; on_leaderboard: number }>(
    'SELECT points_total, on_leaderboard FROM users WHERE workspace_id = ? AND user_id = ?',
  );
  const ahead = db.prepare<[string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM users WHERE workspace_id = ? AND on_leaderboard = 1 AND points_total > ?',
  );
  const earnedBy = db.prepare<[string, string], { kind: PointsKind; ref: string; points: number; channel_id: string | null; earned_at: number }>(
    `SELECT p.kind, p.ref, p.points, p.channel_id, p.earned_at FROM users u JOIN points p ON p.learner = u.id
     WHERE u.workspace_id = ? AND u.user_id = ? ORDER BY p.earned_at, p.kind, p.ref`,
  );
  const markDay = db.prepare('INSERT INTO study_days (workspace_id, user_id, local_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const days = db.prepare<[string, string, string], { local_date: string }>(
    'SELECT local_date FROM study_days WHERE workspace_id = ? AND user_id = ? AND local_date >= ?',
  );
  const userPeriodPoints = db.prepare<[string, string, number, number], { points: number | null }>(
    `SELECT SUM(p.points) AS points FROM users u JOIN points p ON p.learner = u.id
     WHERE u.workspace_id = ? AND u.user_id = ? AND p.earned_at >= ? AND p.earned_at < ?`,
  );
  const teamTotals = db.prepare<[string, string, number, number], { answered: number; correct: number }>(
    `SELECT COUNT(*) AS answered, COALESCE(SUM(a.correct), 0) AS correct FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
     WHERE q.workspace_id = ? AND q.channel_id = ? AND a.answered_at >= ? AND a.answered_at < ?`,
  );
  const teamMilestones = db.prepare<[number, number, string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM points p CROSS JOIN users u ON u.id = p.learner
     WHERE p.kind = 'milestone' AND p.earned_at >= ? AND p.earned_at < ? AND u.workspace_id = ?
       AND EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = u.workspace_id AND t.channel_id = ? AND t.user_id = u.user_id)`,
  );
  const workspaces = db.prepare<[], { workspace_id: string }>('SELECT DISTINCT workspace_id FROM users');
  const channelZones = db.prepare<[], { workspace_id: string; tz: string }>('SELECT DISTINCT workspace_id, tz FROM subscriptions');

  const member = (learner: string) =>
    `(@channel IS NULL OR EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = @ws AND t.channel_id = @channel AND t.user_id = ${learner}))`;

  // ---- a board's running totals. CROSS JOIN fixes the order SQLite joins in: from the board's ranking (or the
  // team's members), never from every learner of the workspace.
  const boardWalk = db.prepare<[{ ws: string; board: number; channel: string | null }], WalkRow>(
    `SELECT u.user_id, b.points, ${member('u.user_id')} AS member FROM board_points b CROSS JOIN users u ON u.id = b.learner
     WHERE b.board_id = @board AND b.points > 0 AND u.on_leaderboard = 1 ORDER BY b.points DESC`,
  );
  const boardTeam = db.prepare<[{ ws: string; board: number; channel: string }], Row>(
    `SELECT u.user_id, b.points FROM quiz_team t CROSS JOIN users u ON u.workspace_id = t.workspace_id AND u.user_id = t.user_id
     CROSS JOIN board_points b ON b.learner = u.id AND b.board_id = @board
     WHERE t.workspace_id = @ws AND t.channel_id = @channel AND u.on_leaderboard = 1 AND b.points > 0 ORDER BY b.points DESC`,
  );
  const boardMine = db.prepare<[{ ws: string; board: number; me: string }], Mine>(
    `SELECT b.points, u.on_leaderboard FROM users u JOIN board_points b ON b.learner = u.id AND b.board_id = @board
     WHERE u.workspace_id = @ws AND u.user_id = @me`,
  );
  // Everyone above, less the learners who hide from boards (few, found by users_by_points).
  const boardAhead = db.prepare<[{ ws: string; board: number; points: number }], { n: number }>(
    `SELECT (SELECT COUNT(*) FROM board_points WHERE board_id = @board AND points > @points)
          - (SELECT COUNT(*) FROM users h INDEXED BY users_by_points CROSS JOIN board_points b ON b.learner = h.id AND b.board_id = @board
             WHERE h.workspace_id = @ws AND h.on_leaderboard = 0 AND b.points > @points) AS n`,
  );
  const boardTeamAhead = db.prepare<[{ ws: string; board: number; channel: string; points: number }], { n: number }>(
    `SELECT COUNT(*) AS n FROM board_points b CROSS JOIN users u ON u.id = b.learner
     WHERE b.board_id = @board AND b.points > @points AND u.on_leaderboard = 1 AND ${member('u.user_id')}`,
  );

  // ---- all-time totals (users.points_total)
  const allWalk = db.prepare<[{ ws: string; channel: string | null }], WalkRow>(
    `SELECT u.user_id, u.points_total AS points, ${member('u.user_id')} AS member FROM users u
     WHERE u.workspace_id = @ws AND u.on_leaderboard = 1 AND u.points_total > 0 ORDER BY u.points_total DESC`,
  );
  const allTeam = db.prepare<[{ ws: string; channel: string }], Row>(
    `SELECT u.user_id, u.points_total AS points FROM quiz_team t CROSS JOIN users u ON u.workspace_id = t.workspace_id AND u.user_id = t.user_id
     WHERE t.workspace_id = @ws AND t.channel_id = @channel AND u.on_leaderboard = 1 AND u.points_total > 0 ORDER BY u.points_total DESC`,
  );
  const allTeamAhead = db.prepare<[{ ws: string; channel: string; points: number }], { n: number }>(
    `SELECT COUNT(*) AS n FROM users u WHERE u.workspace_id = @ws AND u.on_leaderboard = 1 AND u.points_total > @points AND ${member('u.user_id')}`,
  );

  // ---- any other period: summed from the points
  const summed = db.prepare<[{ ws: string; channel: string | null; from: number; to: number }], Row>(
    `SELECT u.user_id, SUM(p.points) AS points FROM users u JOIN points p ON p.learner = u.id
     WHERE u.workspace_id = @ws AND u.on_leaderboard = 1 AND p.earned_at >= @from AND p.earned_at < @to AND ${member('u.user_id')}
     GROUP BY u.id HAVING SUM(p.points) > 0 ORDER BY points DESC`,
  );
  const isMember = db.prepare<[{ ws: string; channel: string; me: string }], { n: number }>(
    'SELECT 1 AS n FROM quiz_team WHERE workspace_id = @ws AND channel_id = @channel AND user_id = @me',
  );

  /** The caller's entry: their score if they show on boards, scored, and (for a channel) are in its team; rank from those above. */
  const entry = (ws: string, channel: string | undefined, me: string, mine: Mine | undefined, above: (points: number) => number) => {
    if (mine?.on_leaderboard !== 1 || mine.points <= 0) return undefined;
    if (channel && !isMember.get({ ws, channel, me })) return undefined;
    return { userId: me, points: mine.points, rank: above(mine.points) + 1 };
  };

  const fromBoard = (ws: string, board: number, channel: string | undefined, me: string | undefined, limit: number): Board => {
    const top = channel
      ? (walkTeam(boardWalk.iterate({ ws, board, channel }), limit) ?? topRanks(boardTeam.iterate({ ws, board, channel }), limit))
      : topRanks(boardWalk.iterate({ ws, board, channel: null }), limit);
    if (me === undefined) return { ...top, me: undefined };
    const above = (points: number) => (channel ? boardTeamAhead.get({ ws, board, channel, points })!.n : boardAhead.get({ ws, board, points })!.n);
    return { ...top, me: entry(ws, channel, me, boardMine.get({ ws, board, me }), above) };
  };

  const allTime = (ws: string, channel: string | undefined, me: string | undefined, limit: number): Board => {
    const top = channel
      ? (walkTeam(allWalk.iterate({ ws, channel }), limit) ?? topRanks(allTeam.iterate({ ws, channel }), limit))
      : topRanks(allWalk.iterate({ ws, channel: null }), limit);
    if (me === undefined) return { ...top, me: undefined };
    const row = total.get(ws, me);
    const mine = row && { points: row.points_total, on_leaderboard: row.on_leaderboard };
    const above = (points: number) => (channel ? allTeamAhead.get({ ws, channel, points })!.n : ahead.get(ws, points)!.n);
    return { ...top, me: entry(ws, channel, me, mine, above) };
  };

  const fromPoints = (ws: string, from: Date, to: Date, channel: string | undefined, me: string | undefined, limit: number): Board => {
    const all = summed.all({ ws, channel: channel ?? null, from: ms(from), to: ms(to) });
    const mine = all.find((r) => r.user_id === me);
    return {
      ...topRanks(all, limit),
      me: mine && { userId: mine.user_id, points: mine.points, rank: all.filter((r) => r.points > mine.points).length + 1 },
    };
  };

  const sourceOf = (ws: string, period: Parameters<PointsRepository['teamScores']>[2]): BoardSource => boards.source(ws, period);
  const toScore = (r: Row): Score => ({ userId: r.user_id, points: r.points });

  return {
    award: (ws, user, kind, ref, points, now, channel = null) => awardOnce.immediate(ws, user, kind, ref, points, channel, ms(now)),
    standing(ws, user) {
      const row = total.get(ws, user);
      if (!row) return { points: 0, rank: undefined };
      const visible = row.on_leaderboard === 1 && row.points_total > 0;
      return { points: row.points_total, rank: visible ? ahead.get(ws, row.points_total)!.n + 1 : undefined };
    },
    teamScores(ws, channel, period) {
      const source = sourceOf(ws, period);
      if (source.kind === 'empty') return [];
      if (source.kind === 'board') return boardTeam.all({ ws, board: source.id, channel }).map(toScore);
      return summed.all({ ws, channel, from: ms(period.from), to: ms(period.to) }).map(toScore);
    },
    userPoints: (ws, user, period) => userPeriodPoints.get(ws, user, ms(period.from), ms(period.to))?.points ?? 0,
    board(ws, period, { channel, me, limit }) {
      if (period === 'all') return allTime(ws, channel, me, limit);
      const source = sourceOf(ws, period);
      if (source.kind === 'empty') return { top: [], moreTied: false, me: undefined };
      if (source.kind === 'board') return fromBoard(ws, source.id, channel, me, limit);
      return fromPoints(ws, period.from, period.to, channel, me, limit);
    },
    keepZone: (ws, zone) => boards.keepZone(ws, zone),
    keepZones(defaultZone) {
      let built = 0;
      for (const { workspace_id } of workspaces.all()) if (boards.keepZone(workspace_id, defaultZone)) built++;
      for (const { workspace_id, tz } of channelZones.all()) if (boards.keepZone(workspace_id, tz)) built++;
      return built;
    },
    earnedBy: (ws, user) =>
      earnedBy.all(ws, user).map((p) => ({ kind: p.kind, ref: p.ref, points: p.points, channelId: p.channel_id, earnedAt: new Date(p.earned_at) })),
    markStudyDay: (ws, user, localDate) => void markDay.run(ws, user, localDate),
    studyDays: (ws, user, since) => new Set(days.all(ws, user, since).map((r) => r.local_date)),
    teamTotals(ws, channel, period) {
      const from = ms(period.from);
      const to = ms(period.to);
      return { ...teamTotals.get(ws, channel, from, to)!, milestones: teamMilestones.get(from, to, ws, channel)!.n };
    },
  };
}
