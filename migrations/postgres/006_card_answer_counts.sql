-- How often each card's question was answered, and right (SQLite 012): readiness reads them with the cards
-- instead of counting the whole review log on every request.
ALTER TABLE memory_cards ADD COLUMN answered integer NOT NULL DEFAULT 0;
ALTER TABLE memory_cards ADD COLUMN right_answers integer NOT NULL DEFAULT 0;
UPDATE memory_cards c SET
  answered = (SELECT count(*) FROM review_log l
              WHERE l.workspace_id = c.workspace_id AND l.user_id = c.user_id AND l.question_id = c.question_id),
  right_answers = (SELECT count(*) FROM review_log l
                   WHERE l.workspace_id = c.workspace_id AND l.user_id = c.user_id AND l.question_id = c.question_id AND l.rating <> 'again');
