-- As SQLite 015: every statement on memory_cards names the learner, so memory_cards_learner_due (or the primary key)
-- serves it. With statistics, the planner did pick memory_cards_due for a learner's due count or next due time
-- whose bound lies outside the table's histogram (estimating one row for the whole table); that plan scans every
-- learner's cards in the range when the statistics are stale, where the learner's index reads only theirs.
DROP INDEX IF EXISTS memory_cards_due;
