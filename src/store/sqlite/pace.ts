import type { SendPace } from '../../ports/store.js';
import type { Db } from './connection.js';
import type { Synchronous } from './sync.js';

/**
 * Slack's pace per workspace, one row each (migrations/sqlite/011). A reservation is one upsert, which SQLite runs
 * under its write lock: processes sharing the file each get a slot of their own.
 */
export function sqlitePace(db: Db): Synchronous<SendPace> {
  const reserve = db.prepare<{ ws: string; now: number; spacing: number }, { slot_ms: number }>(
    `INSERT INTO send_pace (workspace_id, next_slot_ms) VALUES (@ws, @now + @spacing)
     ON CONFLICT (workspace_id) DO UPDATE SET next_slot_ms = max(next_slot_ms, @now) + @spacing
     RETURNING next_slot_ms - @spacing AS slot_ms`,
  );
  const hold = db.prepare<{ ws: string; until: number }>(
    `INSERT INTO send_pace (workspace_id, next_slot_ms) VALUES (@ws, @until)
     ON CONFLICT (workspace_id) DO UPDATE SET next_slot_ms = max(next_slot_ms, excluded.next_slot_ms)`,
  );
  return {
    reserve: (ws, spacingMs, now) => new Date(reserve.get({ ws, now: now.getTime(), spacing: Math.max(0, Math.ceil(spacingMs)) })!.slot_ms),
    holdUntil: (ws, until) => void hold.run({ ws, until: until.getTime() }),
  };
}
