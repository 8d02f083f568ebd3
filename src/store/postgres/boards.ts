import { BOARD_UNITS, type BoardPeriod, boardPeriodsAt, boardPeriodsBetween, isBoardPeriod, isZone } from '../../domain/boards.js';
import type { Period } from '../../ports/store.js';
import type { Queryable } from './connection.js';

/** Where a period's scores come from: a board's running totals, nothing (a kept period nobody scored in), or the points. */
export type BoardSource = { kind: 'board'; id: number } | { kind: 'empty' } | { kind: 'points' };

/**
 * The first key of the advisory locks over a workspace's running totals ('aipb'); the second is a hash of the
 * workspace id. Awards take it shared, so they run side by side; building a zone takes it alone, so that no award
 * can slip between the points it sums and the zone it adds (an award reads the zones after its lock).
 */
const BOARD_LOCK = 0x61697062;

/** The boards of these periods (distinct), as two arrays for unnest. */
function bounds(periods: BoardPeriod[]): [Date[], Date[]] {
  const seen = new Map<string, BoardPeriod>();
  for (const p of periods) seen.set(`${p.from.getTime()}/${p.to.getTime()}`, p);
  return [[...seen.values()].map((p) => p.from), [...seen.values()].map((p) => p.to)];
}

const CREATE_BOARDS = `INSERT INTO boards (workspace_id, starts_at, ends_at)
  SELECT $1, s, e FROM unnest($2::timestamptz[], $3::timestamptz[]) AS x(s, e) ON CONFLICT DO NOTHING`;

// Sums the workspace's points into the boards created now: each point's board is found by where it falls among the
// periods' starts (contiguous, ending at $4); a null id is a board that was kept already.
const SUM_INTO_NEW = `INSERT INTO board_points (learner, board_id, points)
  SELECT learner, board, sum(points) FROM (
    SELECT p.learner, ($3::bigint[])[width_bucket(p.earned_at, $2::timestamptz[])] AS board, p.points
    FROM users u JOIN points p ON p.learner = u.id
    WHERE u.workspace_id = $1 AND p.earned_at < $4
  ) x WHERE board IS NOT NULL GROUP BY learner, board`;

/** The running totals behind week and month leaderboards (see the SQLite adapter's boards.ts and migration 014). */
export const postgresBoards = {
  /**
   * Within the award's transaction, before its points go in: takes the workspace's lock shared, and makes sure the
   * boards that will count points earned at `at` exist. Returns their bounds, for the award's statement.
   */
  async prepareAward(tx: Queryable, ws: string, at: Date): Promise<[Date[], Date[]]> {
    await tx.rows('SELECT pg_advisory_xact_lock_shared($1, hashtext($2))', [BOARD_LOCK, ws]);
    const zones = await tx.rows<{ zone: string }>('SELECT zone FROM board_zones WHERE workspace_id = $1', [ws]);
    const [from, to] = bounds(zones.flatMap(({ zone }) => boardPeriodsAt(at, zone)));
    // A statement of its own: one that read the boards in the same snapshot could miss a board a concurrent award
    // created (this insert waits for that one to commit, and the award's next statement then sees it).
    if (from.length > 0) await tx.run(CREATE_BOARDS, [ws, from, to]);
    return [from, to];
  },

  /** See PointsRepository.keepZone. */
  async keepZone(q: Queryable, ws: string, zone: string): Promise<boolean> {
    if (!isZone(zone)) return false;
    if ((await q.rows('SELECT 1 FROM board_zones WHERE workspace_id = $1 AND zone = $2', [ws, zone])).length > 0) return false;
    return q.atomic(async (tx) => {
      await tx.rows('SELECT pg_advisory_xact_lock($1, hashtext($2))', [BOARD_LOCK, ws]);
      // Summing a large workspace's points groups millions of (learner, board) pairs: in memory, not spilled to disk.
      await tx.run("SET LOCAL work_mem = '256MB'");
      const added = await tx.run('INSERT INTO board_zones (workspace_id, zone) VALUES ($1, $2) ON CONFLICT DO NOTHING', [ws, zone]);
      if (added === 0) return false;
      const [span] = await tx.rows<{ first: Date | null; last: Date | null }>(
        'SELECT min(p.earned_at) AS first, max(p.earned_at) AS last FROM users u JOIN points p ON p.learner = u.id WHERE u.workspace_id = $1',
        [ws],
      );
      if (!span?.first || !span.last) return true;
      for (const unit of BOARD_UNITS) {
        const periods = boardPeriodsBetween(unit, span.first, span.last, zone);
        const [from, to] = [periods.map((p) => p.from), periods.map((p) => p.to)];
        const created = await tx.rows<{ id: number; starts_at: Date }>(`${CREATE_BOARDS} RETURNING id, starts_at`, [ws, from, to]);
        const ids = new Map(created.map((b) => [b.starts_at.getTime(), b.id]));
        const boardIds = periods.map((p) => ids.get(p.from.getTime()) ?? null);
        await tx.run(SUM_INTO_NEW, [ws, from, boardIds, to.at(-1)]);
      }
      return true;
    });
  },

  /** The board of `period` when it is a week or month of the zone it names (kept from now on), else the points. */
  async source(q: Queryable, ws: string, period: Period): Promise<BoardSource> {
    if (!period.zone || !isBoardPeriod(period, period.zone)) return { kind: 'points' };
    const find = async () =>
      (
        await q.rows<{ kept: boolean; id: number | null }>(
          `SELECT EXISTS (SELECT 1 FROM board_zones WHERE workspace_id = $1 AND zone = $2) AS kept,
                  (SELECT id FROM boards WHERE workspace_id = $1 AND starts_at = $3 AND ends_at = $4) AS id`,
          [ws, period.zone, period.from, period.to],
        )
      )[0]!;
    let found = await find();
    if (!found.kept) {
      await postgresBoards.keepZone(q, ws, period.zone);
      found = await find();
    }
    return found.id !== null ? { kind: 'board', id: found.id } : { kind: 'empty' };
  },
};
