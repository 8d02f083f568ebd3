import type { SendPace } from '../../ports/store.js';
import { first, type Queryable } from './connection.js';

/**
 * Slack's pace per workspace, one row each (migrations/postgres/005). A reservation is one INSERT … ON CONFLICT DO
 * UPDATE: the row lock it takes orders concurrent reservations from every replica, and each sees the slot the one
 * before it left (READ COMMITTED re-reads the row once the other commits), so no two get the same slot.
 */
export function postgresPace(q: Queryable): SendPace {
  return {
    async reserve(ws, spacingMs, now) {
      const spacing = Math.max(0, Math.ceil(spacingMs));
      const row = first(
        await q.rows<{ slot_ms: number }>(
          `INSERT INTO send_pace AS p (workspace_id, next_slot_ms) VALUES ($1, $2::bigint + $3::bigint)
           ON CONFLICT (workspace_id) DO UPDATE SET next_slot_ms = GREATEST(p.next_slot_ms, $2::bigint) + $3::bigint
           RETURNING p.next_slot_ms - $3::bigint AS slot_ms`,
          [ws, now.getTime(), spacing],
        ),
      );
      return new Date(row!.slot_ms);
    },
    async holdUntil(ws, until) {
      await q.run(
        `INSERT INTO send_pace AS p (workspace_id, next_slot_ms) VALUES ($1, $2::bigint)
         ON CONFLICT (workspace_id) DO UPDATE SET next_slot_ms = GREATEST(p.next_slot_ms, excluded.next_slot_ms)`,
        [ws, until.getTime()],
      );
    },
  };
}
