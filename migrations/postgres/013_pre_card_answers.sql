-- Quiz answers to questions the learner has no memory card for (given before cards existed), counted per learner
-- and question, so that readiness reads one row a question instead of every answer (SQLite 018, which explains it).
CREATE TABLE pre_card_answers (
  learner       bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  question_id   text    NOT NULL,
  answered      integer NOT NULL CHECK (answered > 0),
  right_answers integer NOT NULL CHECK (right_answers BETWEEN 0 AND answered),
  PRIMARY KEY (learner, question_id)
);
INSERT INTO pre_card_answers (learner, question_id, answered, right_answers)
  SELECT a.learner, a.question_id, count(*), count(*) FILTER (WHERE a.correct) FROM quiz_answers a JOIN users u ON u.id = a.learner
  WHERE NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.question_id = a.question_id)
  GROUP BY a.learner, a.question_id;
