import type { WorkspacesRepository } from '../../ports/store.js';
import { enterprisePrefix, WORKSPACE_TABLES } from '../workspace-tables.js';
import { first, type Queryable } from './connection.js';

// Every table's rows of the workspace, in WORKSPACE_TABLES's order.
const PURGE_ONE = WORKSPACE_TABLES.map((table) => `DELETE FROM ${table} WHERE workspace_id = $1`);
// For an enterprise id (an org-wide install), also those of its workspaces ("E…:T…") that have no installation of
// their own, which decides their fate itself. starts_with compares the characters themselves, whatever the
// database's collation (a range on the key would not, under ICU).
const PURGE_ENTERPRISE = WORKSPACE_TABLES.map(
  (table) =>
    `DELETE FROM ${table} WHERE starts_with(workspace_id, $1)
       AND workspace_id NOT IN (SELECT workspace_id FROM installations WHERE starts_with(workspace_id, $1))`,
);

export function postgresWorkspaces(q: Queryable): WorkspacesRepository {
  return {
    async pause(ws, reason, now) {
      await q.run(
        `INSERT INTO workspace_pauses (workspace_id, reason, paused_at, probed_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (workspace_id) DO UPDATE SET reason = excluded.reason, probed_at = excluded.probed_at`,
        [ws, reason, now],
      );
    },
    // Compare-and-set on the probe time: of two passes due to probe, the second re-checks after the first commits.
    async takeProbe(ws, dueBy, now) {
      return (await q.run('UPDATE workspace_pauses SET probed_at = $1 WHERE workspace_id = $2 AND probed_at <= $3', [now, ws, dueBy])) > 0;
    },
    async resume(ws) {
      return (await q.run('DELETE FROM workspace_pauses WHERE workspace_id = $1', [ws])) > 0;
    },
    async pauseOf(ws) {
      const row = first(
        await q.rows<{ reason: string; paused_at: Date; probed_at: Date }>(
          'SELECT reason, paused_at, probed_at FROM workspace_pauses WHERE workspace_id = $1',
          [ws],
        ),
      );
      return row ? { reason: row.reason, pausedAt: row.paused_at, probedAt: row.probed_at } : undefined;
    },
    async purge(ws) {
      const prefix = enterprisePrefix(ws);
      await q.atomic(async (tx) => {
        for (const [i, one] of PURGE_ONE.entries()) {
          await tx.run(one, [ws]);
          if (prefix) await tx.run(PURGE_ENTERPRISE[i]!, [prefix]);
        }
      });
    },
  };
}
