-- memory_cards_due (due_at alone) served the first review-reminder due set, which looked for learners with a card
-- due. The reminder's due set now starts from users_reminder_due and counts each learner's cards through
-- memory_cards_learner_due, and every statement on memory_cards names the learner, so no query plan uses the index
-- (EXPLAIN QUERY PLAN of each, with and without ANALYZE). It only cost a write on every review.
DROP INDEX IF EXISTS memory_cards_due;
