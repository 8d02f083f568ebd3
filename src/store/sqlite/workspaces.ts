import type { WorkspacesRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { iso, type Synchronous } from './sync.js';

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
  return {
    pause: (ws, reason, now) => void pause.run(ws, reason, iso(now), iso(now)),
    takeProbe: (ws, dueBy, now) => takeProbe.run(iso(now), ws, iso(dueBy)).changes > 0,
    resume: (ws) => resume.run(ws).changes > 0,
    pauseOf(ws) {
      const row = get.get(ws);
      return row ? { reason: row.reason, pausedAt: new Date(row.paused_at), probedAt: new Date(row.probed_at) } : undefined;
    },
  };
}
