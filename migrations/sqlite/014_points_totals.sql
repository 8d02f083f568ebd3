-- aipath:foreign-keys-off
-- Leaderboards from running totals, and answers and points in half the space (issue 15).
--
-- 1. Every learner gets a number, users.id, given on insert by a trigger (the highest so far plus one). Answers,
--    points and totals refer to the learner by it instead of repeating the workspace and user ids, 20 bytes of
--    text, in every row and every index entry; deleting the user still deletes them all (ON DELETE CASCADE).
-- 2. quiz_answers and points are rebuilt WITHOUT ROWID, clustered by learner: the primary key is the lookup by
--    learner that an index did before (the row ids and that index go), and instants are integers (milliseconds
--    since 1970, UTC) rather than 24 characters of ISO-8601. An answer's key is (learner, question, post_key):
--    post_key is its quiz post, or 0 for a personal question, so a learner answers a personal question once;
--    once per channel post is still the partial unique index on (quiz_post_id, learner).
-- 3. Running totals per board. A board is one workspace's points earned in [starts_at, ends_at), a week or a
--    month of some timezone's calendar (src/domain/boards.ts); board_zones lists the timezones whose boards a
--    workspace keeps. Awarding points adds them to every board of the workspace that counts them, in the same
--    transaction. The totals are built from the points already earned by the application when a workspace first
--    keeps a zone, and right after this migration for the zones of existing subscriptions and the default
--    timezone (src/store/open.ts): SQL has no timezone rules here, so that half of the migration is code.
--    All-time totals stay in users.points_total.

ALTER TABLE users ADD COLUMN id INTEGER;
UPDATE users SET id = n.rn
  FROM (SELECT workspace_id AS w, user_id AS u, row_number() OVER (ORDER BY workspace_id, user_id) AS rn FROM users) AS n
  WHERE n.w = users.workspace_id AND n.u = users.user_id;
CREATE UNIQUE INDEX users_by_id ON users (id);
CREATE TRIGGER users_numbered AFTER INSERT ON users WHEN NEW.id IS NULL
BEGIN
  UPDATE users SET id = (SELECT coalesce(max(id), 0) + 1 FROM users) WHERE workspace_id = NEW.workspace_id AND user_id = NEW.user_id;
END;

CREATE TABLE quiz_answers_by_learner (
  learner      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  question_id  TEXT    NOT NULL,
  post_key     INTEGER NOT NULL,                                          -- quiz_post_id, or 0 for a personal question
  quiz_post_id INTEGER REFERENCES quiz_posts (id) ON DELETE CASCADE,      -- NULL: a personal quiz
  option_index INTEGER NOT NULL CHECK (option_index >= 0),
  correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
  answered_at  INTEGER NOT NULL CHECK (typeof(answered_at) = 'integer'),  -- UTC, milliseconds since 1970
  response     TEXT,
  PRIMARY KEY (learner, question_id, post_key),
  CHECK (post_key = coalesce(quiz_post_id, 0))
) WITHOUT ROWID;
INSERT INTO quiz_answers_by_learner (learner, question_id, post_key, quiz_post_id, option_index, correct, answered_at, response)
  SELECT u.id, a.question_id, coalesce(a.quiz_post_id, 0), a.quiz_post_id, a.option_index, a.correct,
         CAST(round(unixepoch(a.answered_at, 'subsec') * 1000) AS INTEGER), a.response
  FROM quiz_answers a JOIN users u ON u.workspace_id = a.workspace_id AND u.user_id = a.user_id
  ORDER BY u.id, a.question_id, coalesce(a.quiz_post_id, 0);
DROP TABLE quiz_answers;
ALTER TABLE quiz_answers_by_learner RENAME TO quiz_answers;
CREATE UNIQUE INDEX quiz_answers_once_per_post ON quiz_answers (quiz_post_id, learner) WHERE quiz_post_id IS NOT NULL;

CREATE TABLE points_by_learner (
  learner    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind       TEXT    NOT NULL CHECK (kind IN ('channel_quiz', 'personal_quiz', 'milestone', 'streak_7', 'streak_30')),
  ref        TEXT    NOT NULL,
  points     INTEGER NOT NULL,
  channel_id TEXT,                                                    -- the channel whose quiz earned it
  earned_at  INTEGER NOT NULL CHECK (typeof(earned_at) = 'integer'),  -- UTC, milliseconds since 1970
  PRIMARY KEY (learner, kind, ref)
) WITHOUT ROWID;
INSERT INTO points_by_learner (learner, kind, ref, points, channel_id, earned_at)
  SELECT u.id, p.kind, p.ref, p.points, p.channel_id, CAST(round(unixepoch(p.earned_at, 'subsec') * 1000) AS INTEGER)
  FROM points p JOIN users u ON u.workspace_id = p.workspace_id AND u.user_id = p.user_id
  ORDER BY u.id, p.kind, p.ref;
DROP TABLE points;
ALTER TABLE points_by_learner RENAME TO points;
-- The Monday team post counts milestones done in the week: few rows, found by time.
CREATE INDEX points_milestones ON points (earned_at) WHERE kind = 'milestone';

CREATE TABLE board_zones (
  workspace_id TEXT NOT NULL,
  zone         TEXT NOT NULL,   -- an IANA timezone
  PRIMARY KEY (workspace_id, zone)
) WITHOUT ROWID;

CREATE TABLE boards (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  starts_at    INTEGER NOT NULL,   -- UTC, milliseconds since 1970
  ends_at      INTEGER NOT NULL,
  UNIQUE (workspace_id, starts_at, ends_at)
);

-- A learner's points on a board; no row for none.
CREATE TABLE board_points (
  learner  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  points   INTEGER NOT NULL,
  PRIMARY KEY (learner, board_id)
) WITHOUT ROWID;
-- A board's top, and how many are above a score: one range of this index.
CREATE INDEX board_points_ranked ON board_points (board_id, points, learner);
