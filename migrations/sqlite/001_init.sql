-- aipath schema, version 1. Never edit this file once applied: add 002_… instead.
-- workspace_id is the Slack team ID, prefixed with the enterprise ID on Enterprise Grid
-- ("E123:T456"), so that nothing from one workspace is visible from another.

CREATE TABLE users (
  workspace_id       TEXT    NOT NULL,
  user_id            TEXT    NOT NULL,
  slack_tz           TEXT,              -- from users.info
  tz_override        TEXT,              -- /aipath settings tz
  nudge_time         TEXT    NOT NULL DEFAULT '09:00' CHECK (nudge_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  on_leaderboard     INTEGER NOT NULL DEFAULT 1 CHECK (on_leaderboard IN (0, 1)),
  is_workspace_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_workspace_admin IN (0, 1)),
  profile_fetched_at TEXT,              -- when slack_tz / is_workspace_admin were last read
  created_at         TEXT    NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) WITHOUT ROWID;

CREATE TABLE enrolments (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  track_id     TEXT    NOT NULL,
  started_on   TEXT    NOT NULL,       -- local date (YYYY-MM-DD) on which week 1 began
  status       TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'stopped', 'finished')),
  paused_until TEXT,                   -- instant (ISO-8601, UTC) when a timed pause ends; NULL = indefinite
  status_reason TEXT,                  -- why it is paused or stopped (a user's words or a Slack error)
  is_current   INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  UNIQUE (workspace_id, user_id, track_id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
);
-- A learner follows one track at a time; old tracks keep their progress.
CREATE UNIQUE INDEX enrolments_one_current ON enrolments (workspace_id, user_id) WHERE is_current = 1;

CREATE TABLE milestones_done (
  enrolment_id INTEGER NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
  week         INTEGER NOT NULL CHECK (week >= 1),
  done_at      TEXT    NOT NULL,
  PRIMARY KEY (enrolment_id, week)
) WITHOUT ROWID;

CREATE TABLE subscriptions (
  workspace_id TEXT    NOT NULL,
  channel_id   TEXT    NOT NULL,
  post_time    TEXT    NOT NULL DEFAULT '09:00' CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  tz           TEXT    NOT NULL,
  track_id     TEXT,                   -- NULL = tips from every track
  status       TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  status_reason TEXT,
  created_by   TEXT    NOT NULL,
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  PRIMARY KEY (workspace_id, channel_id)
) WITHOUT ROWID;
