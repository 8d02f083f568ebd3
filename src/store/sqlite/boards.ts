import { BOARD_UNITS, type BoardPeriod, boardPeriodsAt, boardPeriodsBetween, isBoardPeriod, isZone, periodIndex } from '../../domain/boards.js';
import type { Period } from '../../ports/store.js';
import type { Db } from './connection.js';

/** Where a period's scores come from: a board's running totals, nothing (a kept period nobody scored in), or the points. */
export type BoardSource = { kind: 'board'; id: number } | { kind: 'empty' } | { kind: 'points' };

/**
 * The running totals behind week and month leaderboards (migrations/sqlite/014_points_totals.sql): which zones a
 * workspace keeps, the boards of their weeks and months, and each learner's points on them. Every method runs
 * inside the caller's transaction, or in one of its own.
 */
export interface SqliteBoards {
  /** Adds a point just recorded (at `at`, ms) to every board of the workspace that counts it. */
  add(ws: string, learner: number, points: number, at: number): void;
  /**
   * Keeps the workspace's weeks and months in `zone`'s calendar from now on, building their totals from the points
   * already earned when the zone is new to it. True when it was new.
   */
  keepZone(ws: string, zone: string): boolean;
  /** The board of `period` when it is a week or month of the zone it names (kept from now on), else the points. */
  source(ws: string, period: Period): BoardSource;
}

/** How many learners' points a build reads at a time. */
const BUILD_BATCH = 500;

export function sqliteBoards(db: Db): SqliteBoards {
  const zonesOf = db.prepare<[string], { zone: string }>('SELECT zone FROM board_zones WHERE workspace_id = ?');
  const kept = db.prepare<[string, string], { n: number }>('SELECT 1 AS n FROM board_zones WHERE workspace_id = ? AND zone = ?');
  const keep = db.prepare('INSERT INTO board_zones (workspace_id, zone) VALUES (?, ?)');
  const boardOf = db.prepare<[string, number, number], { id: number }>('SELECT id FROM boards WHERE workspace_id = ? AND starts_at = ? AND ends_at = ?');
  const createBoard = db.prepare('INSERT INTO boards (workspace_id, starts_at, ends_at) VALUES (?, ?, ?)');
  const addPoints = db.prepare(
    'INSERT INTO board_points (learner, board_id, points) VALUES (?, ?, ?) ON CONFLICT (learner, board_id) DO UPDATE SET points = points + excluded.points',
  );
  const insertTotal = db.prepare('INSERT INTO board_points (learner, board_id, points) VALUES (?, ?, ?)');
  const span = db.prepare<[string], { first: number | null; last: number | null }>(
    'SELECT min(p.earned_at) AS first, max(p.earned_at) AS last FROM users u JOIN points p ON p.learner = u.id WHERE u.workspace_id = ?',
  );
  const learnersOf = db.prepare<[string], { id: number }>('SELECT id FROM users WHERE workspace_id = ? ORDER BY id');
  // A batch of the workspace's learners at a time (a statement being read cannot be written beside on one connection).
  const pointsOf = db.prepare<[number, number, string], { learner: number; earned_at: number; points: number }>(
    'SELECT p.learner, p.earned_at, p.points FROM points p CROSS JOIN users u ON u.id = p.learner WHERE p.learner BETWEEN ? AND ? AND u.workspace_id = ?',
  );

  /** The board's id, created (empty) if it is new. */
  const boardId = (ws: string, p: BoardPeriod): number => {
    const from = p.from.getTime();
    const to = p.to.getTime();
    return boardOf.get(ws, from, to)?.id ?? Number(createBoard.run(ws, from, to).lastInsertRowid);
  };

  /** The zone's periods spanning the workspace's points, with the id of each board created now (null: kept already). */
  const newBoards = (ws: string, zone: string, first: number, last: number) =>
    BOARD_UNITS.map((unit) => {
      const periods = boardPeriodsBetween(unit, new Date(first), new Date(last), zone);
      const ids = periods.map((p) => (boardOf.get(ws, p.from.getTime(), p.to.getTime()) ? null : boardId(ws, p)));
      return { periods, ids };
    });

  const build = db.transaction((ws: string, zone: string): boolean => {
    if (kept.get(ws, zone)) return false;
    keep.run(ws, zone);
    const { first, last } = span.get(ws)!;
    if (first === null || last === null) return true;
    const units = newBoards(ws, zone, first, last);
    const learners = learnersOf.all(ws).map((l) => l.id);
    for (let i = 0; i < learners.length; i += BUILD_BATCH) {
      const batch = learners.slice(i, i + BUILD_BATCH);
      const totals = new Map<string, { learner: number; board: number; points: number }>();
      for (const p of pointsOf.all(batch[0]!, batch.at(-1)!, ws)) {
        for (const { periods, ids } of units) {
          const board = ids[periodIndex(periods, p.earned_at)];
          if (board == null) continue;
          const key = `${p.learner}/${board}`;
          const total = totals.get(key);
          if (total) total.points += p.points;
          else totals.set(key, { learner: p.learner, board, points: p.points });
        }
      }
      for (const t of totals.values()) insertTotal.run(t.learner, t.board, t.points);
    }
    return true;
  });

  // A kept zone is the usual case: it is checked without taking the write lock.
  const keepZone = (ws: string, zone: string): boolean => isZone(zone) && !kept.get(ws, zone) && build.immediate(ws, zone);

  return {
    add(ws, learner, points, at) {
      const periods = new Map<string, BoardPeriod>();
      for (const { zone } of zonesOf.all(ws)) for (const p of boardPeriodsAt(new Date(at), zone)) periods.set(`${p.from.getTime()}/${p.to.getTime()}`, p);
      for (const p of periods.values()) addPoints.run(learner, boardId(ws, p), points);
    },
    keepZone,
    source(ws, period) {
      if (!period.zone || !isBoardPeriod(period, period.zone)) return { kind: 'points' };
      keepZone(ws, period.zone);
      const board = boardOf.get(ws, period.from.getTime(), period.to.getTime());
      return board ? { kind: 'board', id: board.id } : { kind: 'empty' };
    },
  };
}
