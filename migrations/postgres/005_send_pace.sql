-- Slack's pace per workspace, shared by every replica and `aipath tick` that sends for it
-- (src/scheduler/rate-limit.ts): when the workspace's next send slot begins, in milliseconds since 1970 (UTC).
-- A send reserves a slot by moving it on with one statement (the row lock orders concurrent reservations); a 429
-- moves it past Retry-After. SQLite 011 is the same table.
CREATE TABLE send_pace (
  workspace_id text PRIMARY KEY,
  next_slot_ms bigint NOT NULL
);
