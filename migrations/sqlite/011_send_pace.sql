-- Slack's pace per workspace, shared by every process that sends for it (src/scheduler/rate-limit.ts): when
-- the workspace's next send slot begins, in milliseconds since 1970 (UTC). A send reserves a slot by moving it
-- on with one statement; a 429 moves it past Retry-After. PostgreSQL 005 is the same table.
CREATE TABLE send_pace (
  workspace_id TEXT PRIMARY KEY,
  next_slot_ms INTEGER NOT NULL
);
