-- The delivery ledger: SQLite, not node-cron, is the truth about what is due and what was sent.

-- When each target's next delivery falls due, as a UTC instant, so that one indexed range query
-- finds everything due across every timezone. Recomputed after each claim (DST-aware, in code).
ALTER TABLE subscriptions ADD COLUMN next_daily_at TEXT;
ALTER TABLE subscriptions ADD COLUMN next_weekly_at TEXT;
ALTER TABLE enrolments ADD COLUMN next_nudge_at TEXT;
CREATE INDEX subscriptions_daily_due ON subscriptions (next_daily_at) WHERE status = 'active';
CREATE INDEX subscriptions_weekly_due ON subscriptions (next_weekly_at) WHERE status = 'active';
CREATE INDEX enrolments_nudge_due ON enrolments (next_nudge_at) WHERE is_current = 1 AND status IN ('active', 'paused');

CREATE TABLE deliveries (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('daily_tip', 'daily_quiz', 'weekly_nudge', 'weekly_leaderboard')),
  target       TEXT    NOT NULL,                 -- channel ID, or user ID for DMs
  period       TEXT    NOT NULL,                 -- local date (daily) or ISO week such as 2026-W48 (weekly)
  due_at       TEXT    NOT NULL,                 -- UTC instant it fell due
  status       TEXT    NOT NULL CHECK (status IN ('claimed', 'sent', 'missed', 'failed')),
  claimed_by   TEXT,                             -- process that claimed it (host:pid:start)
  claimed_at   TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  late         INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  content_id   TEXT,                             -- the tip or milestone week delivered
  channel      TEXT,                             -- where it was posted (DM channel for nudges)
  message_ts   TEXT,                             -- Slack's timestamp of the posted message
  error        TEXT,
  updated_at   TEXT    NOT NULL,
  UNIQUE (workspace_id, kind, target, period)
);
CREATE INDEX deliveries_open ON deliveries (status, claimed_at) WHERE status = 'claimed';
-- Which tips a channel has seen, so none repeats until every eligible tip has been shown.
CREATE INDEX deliveries_by_target ON deliveries (workspace_id, target, kind, content_id);
