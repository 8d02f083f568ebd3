-- The weekly nudge's due time moves to a narrow table of its own (SQLite 020 is the same). Each claim moves the due
-- times of thousands of learners on (a timezone's Monday 09:00); as a column of enrolments, each move wrote a new
-- version of a wide row and four index entries. Here a row is an id, an instant and a flag, with two indexes.
-- `live` says the enrolment is in the due set (current, active or paused), so the due index stays partial as
-- before; the triggers keep it in step with enrolments, whoever writes them. Every enrolment has its row
-- (next_nudge_at NULL: no nudge planned), deleted with it.
CREATE TABLE enrolment_nudges (
  enrolment_id  bigint      PRIMARY KEY REFERENCES enrolments (id) ON DELETE CASCADE,
  next_nudge_at timestamptz,             -- when the next weekly nudge falls due (recomputed in code, DST-aware)
  live          boolean     NOT NULL
);
INSERT INTO enrolment_nudges (enrolment_id, next_nudge_at, live)
  SELECT id, next_nudge_at, is_current AND status IN ('active', 'paused') FROM enrolments ORDER BY id;
-- In the due query's order (due time, then id: see 011), so that a batch reads only its own rows.
CREATE INDEX enrolment_nudges_due ON enrolment_nudges (next_nudge_at, enrolment_id) WHERE live;

DROP INDEX enrolments_nudge_due;
ALTER TABLE enrolments DROP COLUMN next_nudge_at;

CREATE FUNCTION enrolment_nudges_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO enrolment_nudges (enrolment_id, next_nudge_at, live)
    VALUES (NEW.id, NULL, NEW.is_current AND NEW.status IN ('active', 'paused'));
  ELSE
    UPDATE enrolment_nudges SET live = (NEW.is_current AND NEW.status IN ('active', 'paused')) WHERE enrolment_id = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER enrolment_nudges_new AFTER INSERT ON enrolments FOR EACH ROW EXECUTE FUNCTION enrolment_nudges_keep();
CREATE TRIGGER enrolment_nudges_live AFTER UPDATE OF is_current, status ON enrolments
  FOR EACH ROW WHEN (OLD.is_current IS DISTINCT FROM NEW.is_current OR OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION enrolment_nudges_keep();
