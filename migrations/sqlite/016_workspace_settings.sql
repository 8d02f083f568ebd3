-- Per-workspace settings (issue 14), in place of global ones: a workspace's default timezone, changed by an admin
-- (`/aipath admin tz`) or taken from the installer's profile, and two switches, the Monday recap's @-mentions and
-- the daily posts on weekends. A workspace without a row has the defaults: no timezone of its own (AIPATH_TIMEZONE
-- applies), mentions on, weekend posts on. PostgreSQL 010 is the same table.
CREATE TABLE workspace_settings (
  workspace_id   TEXT    PRIMARY KEY,
  default_tz     TEXT,                 -- an IANA name; NULL: AIPATH_TIMEZONE
  recap_mentions INTEGER NOT NULL DEFAULT 1 CHECK (recap_mentions IN (0, 1)),
  weekend_posts  INTEGER NOT NULL DEFAULT 1 CHECK (weekend_posts IN (0, 1))
) WITHOUT ROWID;

-- `/aipath admin` counts the learners who studied in the last 7 days: answers and reviews by time, each index
-- holding the user id too, so that the count reads the indexes alone (a range of the last week) instead of every
-- answer the workspace ever gave.
CREATE INDEX quiz_answers_by_time ON quiz_answers (answered_at, learner);
CREATE INDEX review_log_by_time ON review_log (workspace_id, reviewed_at, user_id);
