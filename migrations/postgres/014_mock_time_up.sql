-- Practice exams end on time (issue 12): the scheduler finishes an exam whose time ran out and tells the learner in
-- their DM, through the delivery ledger like every scheduled send. Its due set is the unfinished exams whose ends_at
-- has passed; this partial index holds only unfinished exams, so the pass's look-up of the earliest due time is one
-- step down it however many exams were ever taken. SQLite 019 is the same index.
CREATE INDEX mock_exams_time_up ON mock_exams (ends_at, id) WHERE finished_at IS NULL;

-- Where the exam's question was last posted in the learner's DM (the buttons' clicks update that message in place): at
-- the end of its time the scheduler closes it, so it no longer offers answers. NULL until a question is posted.
ALTER TABLE mock_exams ADD COLUMN message_channel text;
ALTER TABLE mock_exams ADD COLUMN message_ts text;
