-- When each learner's next review reminder is due: their nudge time on their next study day, as a UTC
-- instant, so one indexed range query finds every reminder due across timezones (as next_nudge_at does).
-- Learners with reminders on start due now: the scheduler moves them to their next slot without a reminder.
ALTER TABLE users ADD COLUMN next_reminder_at TEXT;
UPDATE users SET next_reminder_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE reviews_on = 1;
CREATE INDEX users_reminder_due ON users (next_reminder_at) WHERE reviews_on = 1;
