import type { WorkspacesRepository } from '../../ports/store.js';
import { enterprisePrefix, WORKSPACE_TABLES } from '../workspace-tables.js';
import type { Db } from './connection.js';
import { iso, type Synchronous } from './sync.js';

/** The key just past every key that starts with `prefix` (its last character raised by one), for a range scan. */
const pastPrefix = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

export function sqliteWorkspaces(db: Db): Synchronous<WorkspacesRepository> {
  const get = db.prepare<[string], { reason: string; paused_at: string; probed_at: string }>(
    'SELECT reason, paused_at, probed_at FROM workspace_pauses WHERE workspace_id = ?',
  );
  const pause = db.prepare(
    `INSERT INTO workspace_pauses (workspace_id, reason, paused_at, probed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET reason = excluded.reason, probed_at = excluded.probed_at`,
  );
  const resume = db.prepare('DELETE FROM workspace_pauses WHERE workspace_id = ?');
  const takeProbe = db.prepare('UPDATE workspace_pauses SET probed_at = ? WHERE workspace_id = ? AND probed_at <= ?');
  const purgeOne = WORKSPACE_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE workspace_id = ?`));
  // An org-wide install's workspaces ("E…:T…"): a range on the key (SQLite compares text bytewise), leaving out any
  // with an installation of its own, which decides their fate itself.
  const purgeEnterprise = WORKSPACE_TABLES.map((table) =>
    db.prepare(
      `DELETE FROM ${table} WHERE workspace_id >= @from AND workspace_id < @to
         AND workspace_id NOT IN (SELECT workspace_id FROM installations WHERE workspace_id >= @from AND workspace_id < @to)`,
    ),
  );
  // secure_delete (connection.ts) zeroes the freed bytes; the caller's purgeDeleted clears the WAL.
  const purge = db.transaction((ws: string) => {
    const prefix = enterprisePrefix(ws);
    for (const [i, one] of purgeOne.entries()) {
      one.run(ws);
      if (prefix) purgeEnterprise[i]!.run({ from: prefix, to: pastPrefix(prefix) });
    }
  });
  return {
    pause: (ws, reason, now) => void pause.run(ws, reason, iso(now), iso(now)),
    takeProbe: (ws, dueBy, now) => takeProbe.run(iso(now), ws, iso(dueBy)).changes > 0,
    resume: (ws) => resume.run(ws).changes > 0,
    pauseOf(ws) {
      const row = get.get(ws);
      return row ? { reason: row.reason, pausedAt: new Date(row.paused_at), probedAt: new Date(row.probed_at) } : undefined;
    },
    purge: (ws) => purge.immediate(ws),
  };
}
