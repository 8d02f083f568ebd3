-- Practice exams end on time (issue 12): the scheduler finishes an exam whose time ran out and tells the learner in
-- their DM, through the delivery ledger like every scheduled send. Its due set is the unfinished exams whose ends_at
-- has passed; this partial index holds only unfinished exams, so a pass with nothing due reads one entry (or none)
-- however many exams were ever taken. PostgreSQL 014 is the same index.
CREATE INDEX mock_exams_time_up ON mock_exams (ends_at, id) WHERE finished_at IS NULL;

-- Where the exam's question was last posted in the learner's DM (the buttons' clicks update that message in place): at
-- the end of its time the scheduler closes it, so it no longer offers answers. NULL until a question is posted.
ALTER TABLE mock_exams ADD COLUMN message_channel TEXT;
ALTER TABLE mock_exams ADD COLUMN message_ts TEXT;
