import type { InstallationRecord, InstallationsRepository, InstallationState } from '../../ports/store.js';
import type { Db } from './connection.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface InstallationRow {
  workspace_id: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: number;
  team_name: string | null;
  bot_user_id: string;
  bot_id: string | null;
  scopes: string;
  installer_user_id: string;
  token_ciphertext: string | null;
  state: InstallationState;
  installed_at: string;
  inactive_since: string | null;
}

const toInstallation = (r: InstallationRow): InstallationRecord => ({
  workspaceId: r.workspace_id,
  teamId: r.team_id,
  enterpriseId: r.enterprise_id,
  isEnterpriseInstall: r.is_enterprise_install === 1,
  teamName: r.team_name,
  botUserId: r.bot_user_id,
  botId: r.bot_id,
  scopes: JSON.parse(r.scopes) as string[],
  installerUserId: r.installer_user_id,
  tokenCiphertext: r.token_ciphertext,
  state: r.state,
  installedAt: new Date(r.installed_at),
  inactiveSince: dateOrNull(r.inactive_since),
});

/**
 * The retention purge's query, run by every scheduler pass: the partial index installations_inactive answers it, so a
 * pass with no inactive installation reads no row (test/store/workspace-purge.test.ts checks the plan).
 */
export const EXPIRED_SQL = "SELECT workspace_id FROM installations WHERE state = 'inactive' AND inactive_since < ? ORDER BY inactive_since, workspace_id";

/** Installations (migrations/sqlite/013): the bot token only ever as the sealed text it is given. */
export function sqliteInstallations(db: Db): Synchronous<InstallationsRepository> {
  const save = db.prepare(
    `INSERT INTO installations (workspace_id, team_id, enterprise_id, is_enterprise_install, team_name, bot_user_id, bot_id, scopes,
                                installer_user_id, token_ciphertext, state, installed_at, inactive_since)
     VALUES (@workspaceId, @teamId, @enterpriseId, @isEnterpriseInstall, @teamName, @botUserId, @botId, @scopes,
             @installerUserId, @tokenCiphertext, 'active', @installedAt, NULL)
     ON CONFLICT (workspace_id) DO UPDATE SET
       team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, is_enterprise_install = excluded.is_enterprise_install,
       team_name = excluded.team_name, bot_user_id = excluded.bot_user_id, bot_id = excluded.bot_id, scopes = excluded.scopes,
       installer_user_id = excluded.installer_user_id, token_ciphertext = excluded.token_ciphertext, state = 'active',
       installed_at = excluded.installed_at, inactive_since = NULL`,
  );
  const find = db.prepare<[string], InstallationRow>('SELECT * FROM installations WHERE workspace_id = ?');
  const deactivate = db.prepare(
    "UPDATE installations SET state = 'inactive', token_ciphertext = NULL, inactive_since = ? WHERE workspace_id = ? AND state = 'active'",
  );
  const sealedTokens = db.prepare<[], { workspace_id: string; token_ciphertext: string }>(
    'SELECT workspace_id, token_ciphertext FROM installations WHERE token_ciphertext IS NOT NULL ORDER BY workspace_id',
  );
  const reseal = db.prepare('UPDATE installations SET token_ciphertext = ? WHERE workspace_id = ? AND token_ciphertext = ?');
  const expired = db.prepare<[string], { workspace_id: string }>(EXPIRED_SQL);
  const discardExpired = db.prepare("DELETE FROM installations WHERE workspace_id = ? AND state = 'inactive' AND inactive_since < ?");

  return {
    save(i) {
      save.run({
        workspaceId: i.workspaceId,
        teamId: i.teamId,
        enterpriseId: i.enterpriseId,
        isEnterpriseInstall: i.isEnterpriseInstall ? 1 : 0,
        teamName: i.teamName,
        botUserId: i.botUserId,
        botId: i.botId,
        scopes: JSON.stringify(i.scopes),
        installerUserId: i.installerUserId,
        tokenCiphertext: i.tokenCiphertext,
        installedAt: iso(i.installedAt),
      });
    },
    find(workspaceId) {
      const row = find.get(workspaceId);
      return row ? toInstallation(row) : undefined;
    },
    deactivate: (workspaceId, now) => deactivate.run(iso(now), workspaceId).changes > 0,
    sealedTokens: () => sealedTokens.all().map((r) => ({ workspaceId: r.workspace_id, tokenCiphertext: r.token_ciphertext })),
    reseal: (workspaceId, previous, next) => reseal.run(next, workspaceId, previous).changes > 0,
    expired: (before) => expired.all(iso(before)).map((r) => r.workspace_id),
    discardExpired: (workspaceId, before) => discardExpired.run(workspaceId, iso(before)).changes > 0,
  };
}
