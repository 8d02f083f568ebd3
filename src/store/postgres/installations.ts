import type { InstallationRecord, InstallationsRepository, InstallationState } from '../../ports/store.js';
import { first, type Queryable } from './connection.js';

interface InstallationRow {
  workspace_id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  team_name: string | null;
  bot_user_id: string;
  bot_id: string | null;
  scopes: string;
  installer_user_id: string;
  token_ciphertext: string | null;
  state: InstallationState;
  installed_at: Date;
  inactive_since: Date | null;
}

const toInstallation = (r: InstallationRow): InstallationRecord => ({
  workspaceId: r.workspace_id,
  teamId: r.team_id,
  enterpriseId: r.enterprise_id,
  isEnterpriseInstall: r.is_enterprise_install,
  teamName: r.team_name,
  botUserId: r.bot_user_id,
  botId: r.bot_id,
  scopes: JSON.parse(r.scopes) as string[],
  installerUserId: r.installer_user_id,
  tokenCiphertext: r.token_ciphertext,
  state: r.state,
  installedAt: r.installed_at,
  inactiveSince: r.inactive_since,
});

const SAVE = `INSERT INTO installations (workspace_id, team_id, enterprise_id, is_enterprise_install, team_name, bot_user_id, bot_id, scopes,
                                         installer_user_id, token_ciphertext, state, installed_at, inactive_since)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11, NULL)
  ON CONFLICT (workspace_id) DO UPDATE SET
    team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, is_enterprise_install = excluded.is_enterprise_install,
    team_name = excluded.team_name, bot_user_id = excluded.bot_user_id, bot_id = excluded.bot_id, scopes = excluded.scopes,
    installer_user_id = excluded.installer_user_id, token_ciphertext = excluded.token_ciphertext, state = 'active',
    installed_at = excluded.installed_at, inactive_since = NULL`;

/**
 * The retention purge's query, run by every scheduler pass: the partial index installations_inactive answers it, so a
 * pass with no inactive installation reads no row (test/store/workspace-purge.test.ts checks the plan).
 */
export const EXPIRED_SQL = `SELECT workspace_id FROM installations WHERE state = 'inactive' AND inactive_since < $1
  ORDER BY inactive_since, workspace_id COLLATE "C"`;

/** Installations (migrations/postgres/007): the bot token only ever as the sealed text it is given. */
export function postgresInstallations(q: Queryable): InstallationsRepository {
  return {
    async save(i) {
      await q.run(SAVE, [
        i.workspaceId,
        i.teamId,
        i.enterpriseId,
        i.isEnterpriseInstall,
        i.teamName,
        i.botUserId,
        i.botId,
        JSON.stringify(i.scopes),
        i.installerUserId,
        i.tokenCiphertext,
        i.installedAt,
      ]);
    },
    async find(workspaceId) {
      const row = first(await q.rows<InstallationRow>('SELECT * FROM installations WHERE workspace_id = $1', [workspaceId]));
      return row ? toInstallation(row) : undefined;
    },
    async deactivate(workspaceId, now) {
      const changed = await q.run(
        "UPDATE installations SET state = 'inactive', token_ciphertext = NULL, inactive_since = $1 WHERE workspace_id = $2 AND state = 'active'",
        [now, workspaceId],
      );
      return changed > 0;
    },
    async sealedTokens() {
      const rows = await q.rows<{ workspace_id: string; token_ciphertext: string }>(
        'SELECT workspace_id, token_ciphertext FROM installations WHERE token_ciphertext IS NOT NULL ORDER BY workspace_id COLLATE "C"',
      );
      return rows.map((r) => ({ workspaceId: r.workspace_id, tokenCiphertext: r.token_ciphertext }));
    },
    // Compare-and-set: of two rotations racing on the row, the second re-checks the WHERE once the first commits.
    async reseal(workspaceId, previous, next) {
      return (
        (await q.run('UPDATE installations SET token_ciphertext = $1 WHERE workspace_id = $2 AND token_ciphertext = $3', [next, workspaceId, previous])) > 0
      );
    },
    async expired(before) {
      const rows = await q.rows<{ workspace_id: string }>(EXPIRED_SQL, [before]);
      return rows.map((r) => r.workspace_id);
    },
    // The DELETE locks the row and re-checks its WHERE once a concurrent reinstall commits: then it deletes nothing.
    async discardExpired(workspaceId, before) {
      return (await q.run("DELETE FROM installations WHERE workspace_id = $1 AND state = 'inactive' AND inactive_since < $2", [workspaceId, before])) > 0;
    },
  };
}
