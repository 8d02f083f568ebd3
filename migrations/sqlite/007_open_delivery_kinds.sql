-- aipath:foreign-keys-off
-- Delivery kinds are an open set (src/scheduler/kinds/): the ledger no longer lists them in a CHECK,
-- so a new kind needs no table rebuild. This rebuild is the last one for that reason. SQLite cannot
-- drop a CHECK in place, so the table is copied (the runner turns foreign keys off around this
-- file, as SQLite's documented procedure requires, and checks them before committing).
CREATE TABLE deliveries_new (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  kind         TEXT    NOT NULL,                 -- a kind registered in src/scheduler/kinds/index.ts
  target       TEXT    NOT NULL,
  period       TEXT    NOT NULL,
  due_at       TEXT    NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
  claimed_by   TEXT,
  claimed_at   TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  late         INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  content_id   TEXT,
  channel      TEXT,
  message_ts   TEXT,
  error        TEXT,
  updated_at   TEXT    NOT NULL,
  lease_until  TEXT,
  fence        INTEGER NOT NULL DEFAULT 1,
  UNIQUE (workspace_id, kind, target, period)
);
INSERT INTO deliveries_new (id, workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, attempts, late, content_id, channel, message_ts, error, updated_at, lease_until, fence)
  SELECT id, workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, attempts, late, content_id, channel, message_ts, error, updated_at, lease_until, fence FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_open ON deliveries (status, claimed_at) WHERE status = 'claimed';
CREATE INDEX deliveries_by_target ON deliveries (workspace_id, target, kind, content_id);

-- The DM channel with a learner never changes: kept after the first conversations.open.
ALTER TABLE users ADD COLUMN dm_channel TEXT;
