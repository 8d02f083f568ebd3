-- Multiple-response, ordering and matching questions: the learner's whole answer, as a JSON array
-- of indices into the question as written (see src/core/question.ts). option_index keeps the
-- first of them, so single-choice answers read as before.
ALTER TABLE quiz_answers ADD COLUMN response TEXT;
