-- Readiness reads, for each of a learner's cards, its question, state, stability, last review and answer counts
-- (answerTallies): thousands of rows for a learner who studies, each on a heap page of its own or nearly (a card's
-- every review writes a new version of its row, wherever there is room). With those columns in the primary key's
-- entries (INCLUDE: stored, not part of the key), the read is an index-only scan of the learner's range, visiting the
-- heap only for pages changed since the last VACUUM. Every review already writes a new primary-key entry (it moves
-- due_at, which memory_cards_learner_due holds, so no update is HOT): the entries get wider, no write is added.
ALTER TABLE memory_cards
  DROP CONSTRAINT memory_cards_pkey,
  ADD CONSTRAINT memory_cards_pkey PRIMARY KEY (workspace_id, user_id, question_id) INCLUDE (state, stability, last_review_at, answered, right_answers);
