-- Quizzes, points, streaks and what leaderboards are computed from.

-- A quiz question posted in a channel; it closes when the next one is posted there.
CREATE TABLE quiz_posts (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  channel_id   TEXT    NOT NULL,
  question_id  TEXT    NOT NULL,
  delivery_id  INTEGER REFERENCES deliveries (id),
  message_ts   TEXT,
  posted_at    TEXT    NOT NULL,
  closed_at    TEXT
);
CREATE INDEX quiz_posts_open ON quiz_posts (workspace_id, channel_id) WHERE closed_at IS NULL;

-- One scored answer per learner per channel post, and per personal question.
CREATE TABLE quiz_answers (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  question_id  TEXT    NOT NULL,
  quiz_post_id INTEGER REFERENCES quiz_posts (id) ON DELETE CASCADE,   -- NULL: a personal quiz
  option_index INTEGER NOT NULL CHECK (option_index >= 0),
  correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
  answered_at  TEXT    NOT NULL,
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX quiz_answers_once_per_post ON quiz_answers (quiz_post_id, user_id) WHERE quiz_post_id IS NOT NULL;
CREATE UNIQUE INDEX quiz_answers_once_personal ON quiz_answers (workspace_id, user_id, question_id) WHERE quiz_post_id IS NULL;
CREATE INDEX quiz_answers_by_user ON quiz_answers (workspace_id, user_id, question_id);

-- A channel's team: everyone who has answered its quizzes (kept apart so boards need no scan of answers).
CREATE TABLE quiz_team (
  workspace_id TEXT NOT NULL,
  channel_id   TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  PRIMARY KEY (workspace_id, channel_id, user_id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Every point ever earned, keyed by what earned it so that nothing scores twice.
CREATE TABLE points (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('channel_quiz', 'personal_quiz', 'milestone', 'streak_7', 'streak_30')),
  ref          TEXT    NOT NULL,
  points       INTEGER NOT NULL,
  channel_id   TEXT,                    -- the channel whose quiz earned it
  earned_at    TEXT    NOT NULL,        -- UTC instant
  UNIQUE (workspace_id, user_id, kind, ref),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX points_by_time ON points (workspace_id, earned_at, user_id, points);

-- Local days with at least one study action: the stuff streaks are made of.
CREATE TABLE study_days (
  workspace_id TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  local_date   TEXT NOT NULL,
  PRIMARY KEY (workspace_id, user_id, local_date),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Running all-time totals, so a learner's rank is one indexed count rather than a full aggregate.
ALTER TABLE users ADD COLUMN points_total INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_by_points ON users (workspace_id, on_leaderboard, points_total);
