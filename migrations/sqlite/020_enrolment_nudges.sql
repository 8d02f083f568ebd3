-- The weekly nudge's due time moves to a narrow table of its own. Each claim moves the due times of thousands of
-- learners on (a timezone's Monday 09:00); as a column of enrolments, each move rewrote a wide row on a page of its
-- own, so a claim of 3,333 learners dirtied 3,333 pages. Here a row is an id, an instant and a flag: a hundred rows
-- share a page. `live` says the enrolment is in the due set (current, active or paused), so the due index stays
-- partial as before; the triggers keep it in step with enrolments, whoever writes them. Every enrolment has its
-- row (next_nudge_at NULL: no nudge planned), deleted with it. PostgreSQL 015 is the same.
CREATE TABLE enrolment_nudges (
  enrolment_id  INTEGER PRIMARY KEY REFERENCES enrolments (id) ON DELETE CASCADE,
  next_nudge_at TEXT,                  -- instant (ISO-8601, UTC) the next weekly nudge falls due (DST-aware, in code)
  live          INTEGER NOT NULL CHECK (live IN (0, 1))
);
INSERT INTO enrolment_nudges (enrolment_id, next_nudge_at, live)
  SELECT id, next_nudge_at, is_current = 1 AND status IN ('active', 'paused') FROM enrolments ORDER BY id;
CREATE INDEX enrolment_nudges_due ON enrolment_nudges (next_nudge_at) WHERE live = 1;

DROP INDEX enrolments_nudge_due;
ALTER TABLE enrolments DROP COLUMN next_nudge_at;

CREATE TRIGGER enrolment_nudges_new AFTER INSERT ON enrolments
BEGIN
  INSERT INTO enrolment_nudges (enrolment_id, next_nudge_at, live)
  VALUES (NEW.id, NULL, NEW.is_current = 1 AND NEW.status IN ('active', 'paused'));
END;
CREATE TRIGGER enrolment_nudges_live AFTER UPDATE OF is_current, status ON enrolments
  WHEN OLD.is_current IS NOT NEW.is_current OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE enrolment_nudges SET live = (NEW.is_current = 1 AND NEW.status IN ('active', 'paused')) WHERE enrolment_id = NEW.id;
END;
