-- Quiz answers to questions the learner has no memory card for (given before cards existed), counted per learner
-- and question, so that readiness reads one row a question instead of every answer (issue 12). The store keeps the
-- counts in the transaction that records an answer (counted only while the question has no card) and deletes a
-- question's row when its card is written (src/store/*/quiz.ts, reviews.ts); readiness still takes a row only while
-- no card exists, the definition the counts serve. Deleting the learner deletes their rows. PostgreSQL 013 is the same.
CREATE TABLE pre_card_answers (
  learner       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  question_id   TEXT    NOT NULL,
  answered      INTEGER NOT NULL CHECK (answered > 0),
  right_answers INTEGER NOT NULL CHECK (right_answers BETWEEN 0 AND answered),
  PRIMARY KEY (learner, question_id)
) WITHOUT ROWID;
INSERT INTO pre_card_answers (learner, question_id, answered, right_answers)
  SELECT a.learner, a.question_id, COUNT(*), SUM(a.correct) FROM quiz_answers a JOIN users u ON u.id = a.learner
  WHERE NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.question_id = a.question_id)
  GROUP BY a.learner, a.question_id
  ORDER BY a.learner, a.question_id;
