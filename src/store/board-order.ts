import type { BoardEntry } from '../ports/store.js';

/** The order both engines list a board's top in: by rank, then by user id (bytewise, as PostgreSQL with COLLATE "C"). */
export const byRankThenUser = (a: BoardEntry, b: BoardEntry): number => a.rank - b.rank || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
