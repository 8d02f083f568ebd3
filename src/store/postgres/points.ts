import type { PointsKind } from '../../domain/scoring.js';
import type { Board, BoardEntry, PointsRepository } from '../../ports/store.js';
import { byRankThenUser } from '../board-order.js';
import { postgresBoards } from './boards.js';
import type { Queryable } from './connection.js';

interface BoardRow {
  user_id: string;
  points: number;
  rank: number;
}

const toEntry = (r: BoardRow): BoardEntry => ({ userId: r.user_id, points: r.points, rank: r.rank });

// The points once per (learner, kind, ref), the learner's all-time total and the running totals of the boards that
// count them ($8/$9: their bounds, made sure of by postgresBoards.prepareAward), in one statement: all or nothing.
// A second award of the same thing waits for the first's transaction, then does nothing.
const AWARD = `WITH p AS (
    INSERT INTO points (learner, kind, ref, points, channel_id, earned_at)
    VALUES ((SELECT id FROM users WHERE workspace_id = $1 AND user_id = $2), $3, $4, $5, $6, $7)
    ON CONFLICT DO NOTHING RETURNING learner, points
  ), total AS (
    UPDATE users SET points_total = users.points_total + p.points FROM p WHERE users.id = p.learner RETURNING 1
  ), counted AS (
    INSERT INTO board_points (learner, board_id, points)
    SELECT p.learner, b.id, p.points
    FROM p JOIN unnest($8::timestamptz[], $9::timestamptz[]) AS x(s, e) ON true
    JOIN boards b ON b.workspace_id = $1 AND b.starts_at = x.s AND b.ends_at = x.e
    ON CONFLICT (learner, board_id) DO UPDATE SET points = board_points.points + EXCLUDED.points
    RETURNING 1
  )
  SELECT count(*) AS n FROM p`;

const STANDING = `SELECT u.points_total, u.on_leaderboard,
    (SELECT count(*) FROM users o WHERE o.workspace_id = u.workspace_id AND o.on_leaderboard AND o.points_total > u.points_total) AS ahead
  FROM users u WHERE u.workspace_id = $1 AND u.user_id = $2`;

/** A learner (`u`) in the channel's team; `$n` numbers of the workspace and the channel (null: the whole workspace). */
const inTeam = (u: string, ws: number, channel: number) =>
  `($${channel}::text IS NULL OR EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = $${ws} AND t.channel_id = $${channel} AND t.user_id = ${u}.user_id))`;

// ---- a board's running totals: $1 board, $2 workspace, $3 channel, $4 limit, $5 caller (or null).
// The top is the first `$4` + 1 learners of board_points_ranked (one more, to tell whether another ties with the last).
const visibleOnBoard = `b.board_id = $1 AND b.points > 0 AND u.on_leaderboard AND ${inTeam('u', 2, 3)}`;
const BOARD_TOP = `SELECT user_id, points, rank() OVER (ORDER BY points DESC) AS rank FROM (
    SELECT u.user_id, b.points FROM board_points b JOIN users u ON u.id = b.learner
    WHERE ${visibleOnBoard} ORDER BY b.points DESC, b.learner DESC LIMIT $4 + 1) t`;
// The caller's entry: in the whole workspace everyone above less the learners hidden from boards (few, found by
// users_by_points); in a channel, its team's members above.
const BOARD_ME = `SELECT b.points, (CASE WHEN $3::text IS NULL
      THEN (SELECT count(*) FROM board_points o WHERE o.board_id = $1 AND o.points > b.points)
         - (SELECT count(*) FROM users h JOIN board_points hb ON hb.learner = h.id AND hb.board_id = $1
            WHERE h.workspace_id = $2 AND NOT h.on_leaderboard AND hb.points > b.points)
      ELSE (SELECT count(*) FROM board_points o JOIN users ou ON ou.id = o.learner
            WHERE o.board_id = $1 AND o.points > b.points AND ou.on_leaderboard AND ${inTeam('ou', 2, 3)})
    END) AS ahead
  FROM users u JOIN board_points b ON b.learner = u.id AND b.board_id = $1
  WHERE u.workspace_id = $2 AND u.user_id = $5 AND u.on_leaderboard AND b.points > 0 AND ${inTeam('u', 2, 3)}`;
const BOARD_TEAM = `SELECT u.user_id, b.points FROM quiz_team t JOIN users u ON u.workspace_id = t.workspace_id AND u.user_id = t.user_id
  JOIN board_points b ON b.learner = u.id AND b.board_id = $1
  WHERE t.workspace_id = $2 AND t.channel_id = $3 AND u.on_leaderboard AND b.points > 0`;

// ---- all time (users.points_total): $1 workspace, $2 channel, $3 limit, $4 caller (or null).
const visibleAllTime = `u.workspace_id = $1 AND u.on_leaderboard AND u.points_total > 0 AND ${inTeam('u', 1, 2)}`;
const ALL_TOP = `SELECT user_id, points, rank() OVER (ORDER BY points DESC) AS rank FROM (
    SELECT u.user_id, u.points_total AS points FROM users u
    WHERE ${visibleAllTime} ORDER BY u.points_total DESC LIMIT $3 + 1) t`;
const ALL_ME = `SELECT u.points_total AS points,
    (SELECT count(*) FROM users o WHERE o.workspace_id = $1 AND o.on_leaderboard AND o.points_total > u.points_total AND ${inTeam('o', 1, 2)}) AS ahead
  FROM users u WHERE u.workspace_id = $1 AND u.user_id = $4 AND u.on_leaderboard AND u.points_total > 0 AND ${inTeam('u', 1, 2)}`;

/** The top ranks and the caller's entry in one round trip: rows with a rank are the top, the one with `ahead` the caller. */
const withCaller = (top: string, me: string) => `SELECT user_id, points, rank, NULL::bigint AS ahead FROM (${top}) t
  UNION ALL SELECT NULL, points, NULL, ahead FROM (${me}) m`;
const BOARD = withCaller(BOARD_TOP, BOARD_ME);
const ALL = withCaller(ALL_TOP, ALL_ME);

// ---- any other period, summed from the points: $1 workspace, $2 from, $3 to, $4 channel, $5 caller, $6 limit.
const SUMMED = `SELECT u.user_id, sum(p.points)::integer AS points FROM users u JOIN points p ON p.learner = u.id
  WHERE u.workspace_id = $1 AND u.on_leaderboard AND p.earned_at >= $2 AND p.earned_at < $3 AND ${inTeam('u', 1, 4)}
  GROUP BY u.id, u.user_id HAVING sum(p.points) > 0`;
const SUMMED_BOARD = `WITH s AS (${SUMMED})
  SELECT user_id, points, rank, n FROM (
    SELECT user_id, points, rank() OVER (ORDER BY points DESC) AS rank, row_number() OVER (ORDER BY points DESC, user_id COLLATE "C") AS n FROM s
  ) r WHERE n <= $6 + 1 OR user_id = $5`;

const TEAM_TOTALS = `SELECT a.answered, a.correct, m.milestones
  FROM (SELECT count(*) AS answered, count(*) FILTER (WHERE a.correct) AS correct
        FROM quiz_answers a JOIN quiz_posts q ON q.id = a.quiz_post_id
        WHERE q.workspace_id = $1 AND q.channel_id = $2 AND a.answered_at >= $3 AND a.answered_at < $4) a,
       (SELECT count(*) AS milestones FROM points p JOIN users u ON u.id = p.learner
        WHERE p.kind = 'milestone' AND p.earned_at >= $3 AND p.earned_at < $4 AND u.workspace_id = $1
          AND EXISTS (SELECT 1 FROM quiz_team t WHERE t.workspace_id = $1 AND t.channel_id = $2 AND t.user_id = u.user_id)) m`;

export function postgresPoints(q: Queryable): PointsRepository {
  const keepZone = (ws: string, zone: string) => postgresBoards.keepZone(q, ws, zone);
  return {
    award: (ws, user, kind, ref, points, now, channel = null) =>
      q.atomic(async (tx) => {
        const [from, to] = await postgresBoards.prepareAward(tx, ws, now);
        const [row] = await tx.rows<{ n: number }>(AWARD, [ws, user, kind, ref, points, channel, now, from, to]);
        return (row?.n ?? 0) > 0;
      }),
    async standing(ws, user) {
      const [row] = await q.rows<{ points_total: number; on_leaderboard: boolean; ahead: number }>(STANDING, [ws, user]);
      if (!row) return { points: 0, rank: undefined };
      const visible = row.on_leaderboard && row.points_total > 0;
      return { points: row.points_total, rank: visible ? row.ahead + 1 : undefined };
    },
    async teamScores(ws, channel, period) {
      const source = await postgresBoards.source(q, ws, period);
      if (source.kind === 'empty') return [];
      const rows =
        source.kind === 'board'
          ? await q.rows<{ user_id: string; points: number }>(BOARD_TEAM, [source.id, ws, channel])
          : await q.rows<{ user_id: string; points: number }>(SUMMED, [ws, period.from, period.to, channel]);
      return rows.map((r) => ({ userId: r.user_id, points: r.points }));
    },
    async userPoints(ws, user, period) {
      const [row] = await q.rows<{ points: number }>(
        `SELECT coalesce(sum(p.points), 0)::integer AS points FROM users u JOIN points p ON p.learner = u.id
         WHERE u.workspace_id = $1 AND u.user_id = $2 AND p.earned_at >= $3 AND p.earned_at < $4`,
        [ws, user, period.from, period.to],
      );
      return row?.points ?? 0;
    },
    async board(ws, period, { channel = null, me, limit }) {
      /** The top from `ranked` (up to limit + 1 rows, ranked): the first `limit` by points, and whether the next ties. */
      const board = (ranked: BoardRow[], caller: BoardEntry | undefined): Board => {
        const sorted = [...ranked].sort((a, b) => b.points - a.points);
        const top = sorted.slice(0, limit).map(toEntry);
        return { top: [...top].sort(byRankThenUser), moreTied: sorted.length > limit && sorted[limit]!.points === top.at(-1)!.points, me: caller };
      };
      /** Rows of the top and the caller's, told apart by `ahead` (only the caller's has it). */
      const topAndMe = (rows: (BoardRow & { ahead: number | null })[]) => {
        const caller = rows.find((r) => r.ahead !== null);
        return board(
          rows.filter((r) => r.ahead === null),
          caller && me !== undefined ? { userId: me, points: caller.points, rank: caller.ahead! + 1 } : undefined,
        );
      };
      if (period === 'all') return topAndMe(await q.rows(ALL, [ws, channel, limit, me ?? null]));
      const source = await postgresBoards.source(q, ws, period);
      if (source.kind === 'empty') return { top: [], moreTied: false, me: undefined };
      if (source.kind === 'board') return topAndMe(await q.rows(BOARD, [source.id, ws, channel, limit, me ?? null]));
      const summed = await q.rows<BoardRow & { n: number }>(SUMMED_BOARD, [ws, period.from, period.to, channel, me ?? null, limit]);
      const caller = summed.find((r) => r.user_id === me);
      return board(
        summed.filter((r) => r.n <= limit + 1),
        caller && toEntry(caller),
      );
    },
    keepZone,
    async keepZones(defaultZone) {
      const zones = await q.rows<{ workspace_id: string; zone: string }>(
        'SELECT DISTINCT workspace_id, $1::text AS zone FROM users UNION SELECT DISTINCT workspace_id, tz FROM subscriptions',
        [defaultZone],
      );
      let built = 0;
      for (const z of zones) if (await keepZone(z.workspace_id, z.zone)) built++;
      return built;
    },
    async earnedBy(ws, user) {
      const rows = await q.rows<{ kind: PointsKind; ref: string; points: number; channel_id: string | null; earned_at: Date }>(
        `SELECT p.kind, p.ref, p.points, p.channel_id, p.earned_at FROM users u JOIN points p ON p.learner = u.id
         WHERE u.workspace_id = $1 AND u.user_id = $2 ORDER BY p.earned_at, p.kind COLLATE "C", p.ref COLLATE "C"`,
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
