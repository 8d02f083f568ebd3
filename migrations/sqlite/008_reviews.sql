-- Spaced repetition, an exam date to plan back from, and practice exams (issue 12).

-- The learner's target exam and date (both or neither), and whether and on which days they want review reminders.
-- exam_date is a local calendar date (YYYY-MM-DD) in the learner's own timezone, not an instant.
ALTER TABLE users ADD COLUMN exam_cert TEXT;
ALTER TABLE users ADD COLUMN exam_date TEXT
  CHECK (exam_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND (exam_cert IS NULL) = (exam_date IS NULL));
ALTER TABLE users ADD COLUMN reviews_on INTEGER NOT NULL DEFAULT 1 CHECK (reviews_on IN (0, 1));
ALTER TABLE users ADD COLUMN review_days TEXT NOT NULL DEFAULT 'all' CHECK (review_days IN ('all', 'weekdays'));

-- A learner's memory of one question, as FSRS schedules it (src/domain/review/memory.ts: MemoryCard, one column a
-- field). Clustered by learner, so that all of a learner's cards (readiness) are read together.
CREATE TABLE memory_cards (
  workspace_id   TEXT    NOT NULL,
  user_id        TEXT    NOT NULL,
  question_id    TEXT    NOT NULL,
  due_at         TEXT    NOT NULL,                 -- UTC instant the card is due again
  stability      REAL    NOT NULL,
  difficulty     REAL    NOT NULL,
  elapsed_days   INTEGER NOT NULL,
  scheduled_days INTEGER NOT NULL,
  learning_steps INTEGER NOT NULL,
  reps           INTEGER NOT NULL,
  lapses         INTEGER NOT NULL,
  state          TEXT    NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
  last_review_at TEXT,                             -- NULL: never reviewed
  updated_at     TEXT    NOT NULL,                 -- when the answer that last changed it was given
  PRIMARY KEY (workspace_id, user_id, question_id),
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
) WITHOUT ROWID;
-- A learner's due cards, soonest first (the next card to review, the due count, the next due time).
CREATE INDEX memory_cards_learner_due ON memory_cards (workspace_id, user_id, due_at);
-- Every learner with a card due by now, for the review reminder: a pass with nothing due reads one index entry.
CREATE INDEX memory_cards_due ON memory_cards (due_at);

-- Every review ever, as FSRS saw it (ReviewLogEntry: the card's values before the review), with what the answer
-- came from, so that FSRS parameters can be fitted to our learners later.
CREATE TABLE review_log (
  id                INTEGER PRIMARY KEY,
  workspace_id      TEXT    NOT NULL,
  user_id           TEXT    NOT NULL,
  question_id       TEXT    NOT NULL,
  source            TEXT    NOT NULL CHECK (source IN ('channel_quiz', 'personal_quiz', 'review', 'mock')),
  rating            TEXT    NOT NULL CHECK (rating IN ('again', 'hard', 'good', 'easy')),
  state             TEXT    NOT NULL CHECK (state IN ('new', 'learning', 'review', 'relearning')),
  due_at            TEXT    NOT NULL,
  stability         REAL    NOT NULL,
  difficulty        REAL    NOT NULL,
  elapsed_days      INTEGER NOT NULL,
  last_elapsed_days INTEGER NOT NULL,
  scheduled_days    INTEGER NOT NULL,
  learning_steps    INTEGER NOT NULL,
  reviewed_at       TEXT    NOT NULL,              -- UTC instant the answer was given
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX review_log_by_learner ON review_log (workspace_id, user_id, reviewed_at);

-- A timed practice exam: the questions drawn for it (a JSON array of question ids, in the order asked).
CREATE TABLE mock_exams (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  user_id      TEXT    NOT NULL,
  cert         TEXT    NOT NULL,
  question_ids TEXT    NOT NULL,
  started_at   TEXT    NOT NULL,
  ends_at      TEXT    NOT NULL,                   -- when time is up
  finished_at  TEXT,                               -- NULL: not finished (yet)
  FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX mock_exams_by_learner ON mock_exams (workspace_id, user_id, started_at);

-- The first answer to each question of a practice exam (the one that counts).
CREATE TABLE mock_answers (
  mock_id     INTEGER NOT NULL REFERENCES mock_exams (id) ON DELETE CASCADE,
  question_id TEXT    NOT NULL,
  response    TEXT    NOT NULL,                    -- the whole answer, a JSON array of option indices
  correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
  answered_at TEXT    NOT NULL,
  PRIMARY KEY (mock_id, question_id)
) WITHOUT ROWID;
