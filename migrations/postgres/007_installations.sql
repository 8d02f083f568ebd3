-- Multi-workspace mode (issue 14): one installation per workspace that added aipath through OAuth v2, or per
-- enterprise for an Enterprise Grid org-wide install (SQLite 013, with the differences of type listed in
-- 001_init.sql: the flag is boolean, instants timestamptz; the scopes stay a JSON array in text, as in SQLite).
-- workspace_id is the key the rest of the schema uses for the workspace (the team id, "E…:T…" inside a Grid org),
-- or the enterprise id for an org-wide install. The bot token is kept only sealed (AES-256-GCM,
-- src/shared/secret-box.ts), never in clear. An uninstall or revocation deletes the token at once and marks the
-- installation inactive; its workspace's data is purged a retention period after inactive_since.
CREATE TABLE installations (
  workspace_id          text        PRIMARY KEY,
  team_id               text,                            -- NULL for an org-wide install
  enterprise_id         text,                            -- NULL outside Enterprise Grid
  is_enterprise_install boolean     NOT NULL,
  team_name             text,
  bot_user_id           text        NOT NULL,
  bot_id                text,
  scopes                text        NOT NULL,            -- the granted scopes, a JSON array of strings
  installer_user_id     text        NOT NULL,
  token_ciphertext      text,                            -- the sealed bot token; NULL once uninstalled or revoked
  state                 text        NOT NULL CHECK (state IN ('active', 'inactive')),
  installed_at          timestamptz NOT NULL,
  inactive_since        timestamptz,                     -- when it was uninstalled or revoked; NULL while active
  CHECK ((state = 'inactive') = (inactive_since IS NOT NULL)),
  CHECK (state = 'active' OR token_ciphertext IS NULL)
);
-- The retention purge's one query per scheduler pass: with no inactive installation it reads no index entry.
CREATE INDEX installations_inactive ON installations (inactive_since) WHERE state = 'inactive';
