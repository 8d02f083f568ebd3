-- Multi-workspace mode (issue 14): one installation per workspace that added aipath through OAuth v2, or per
-- enterprise for an Enterprise Grid org-wide install. workspace_id is the key the rest of the schema uses for the
-- workspace (src/slack/payload.ts workspaceKey: the team id, "E…:T…" inside a Grid org), or the enterprise id for
-- an org-wide install. The bot token is kept only sealed (AES-256-GCM, src/shared/secret-box.ts), never in clear.
-- An uninstall or revocation deletes the token at once and marks the installation inactive; its workspace's data is
-- purged a retention period after inactive_since (AIPATH_RETENTION_DAYS). PostgreSQL 007 is the same table.
CREATE TABLE installations (
  workspace_id          TEXT    PRIMARY KEY,
  team_id               TEXT,                            -- NULL for an org-wide install
  enterprise_id         TEXT,                            -- NULL outside Enterprise Grid
  is_enterprise_install INTEGER NOT NULL CHECK (is_enterprise_install IN (0, 1)),
  team_name             TEXT,
  bot_user_id           TEXT    NOT NULL,
  bot_id                TEXT,
  scopes                TEXT    NOT NULL,                -- the granted scopes, a JSON array of strings
  installer_user_id     TEXT    NOT NULL,
  token_ciphertext      TEXT,                            -- the sealed bot token; NULL once uninstalled or revoked
  state                 TEXT    NOT NULL CHECK (state IN ('active', 'inactive')),
  installed_at          TEXT    NOT NULL,
  inactive_since        TEXT,                            -- when it was uninstalled or revoked; NULL while active
  CHECK ((state = 'inactive') = (inactive_since IS NOT NULL)),
  CHECK (state = 'active' OR token_ciphertext IS NULL)
) WITHOUT ROWID;
-- The retention purge's one query per scheduler pass: with no inactive installation it reads no index entry.
CREATE INDEX installations_inactive ON installations (inactive_since) WHERE state = 'inactive';
