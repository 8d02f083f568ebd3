-- How often each card's question was answered, and right: readiness reads them with the cards instead of
-- counting the whole review log on every request.
ALTER TABLE memory_cards ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memory_cards ADD COLUMN right_answers INTEGER NOT NULL DEFAULT 0;
UPDATE memory_cards SET
  answered = (SELECT COUNT(*) FROM review_log l
              WHERE l.workspace_id = memory_cards.workspace_id AND l.user_id = memory_cards.user_id AND l.question_id = memory_cards.question_id),
  right_answers = (SELECT COUNT(*) FROM review_log l
                   WHERE l.workspace_id = memory_cards.workspace_id AND l.user_id = memory_cards.user_id AND l.question_id = memory_cards.question_id
                     AND l.rating <> 'again');
