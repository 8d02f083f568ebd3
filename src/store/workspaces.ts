import type { Db } from './db.js';

export interface WorkspacePause {
  reason: string;
  pausedAt: Date;
  probedAt: Date;
}

export type WorkspacesStore = ReturnType<typeof createWorkspacesStore>;

export function createWorkspacesStore(db: Db) {
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
    pause(ws: string, reason: string, now: Date): void {
      pause.run(ws, reason, now.toISOString(), now.toISOString());
    },
    /** The one delivery that may try Slack again for a paused workspace (compare-and-set on the probe time). */
    takeProbe: (ws: string, dueBy: Date, now: Date): boolean => takeProbe.run(now.toISOString(), ws, dueBy.toISOString()).changes > 0,
    /** True if the workspace was paused. */
    resume: (ws: string): boolean => resume.run(ws).changes > 0,
    pauseOf(ws: string): WorkspacePause | undefined {
      const row = get.get(ws);
      return row ? { reason: row.reason, pausedAt: new Date(row.paused_at), probedAt: new Date(row.probed_at) } : undefined;
    },
  };
}
