-- When each learner's next review reminder is due (SQLite 010): their nudge time on their next study day,
-- so one indexed range query finds every reminder due across timezones. Learners with reminders on start
-- due now: the scheduler moves them to their next slot without a reminder.
ALTER TABLE users ADD COLUMN next_reminder_at timestamptz;
UPDATE users SET next_reminder_at = now() WHERE reviews_on;
CREATE INDEX users_reminder_due ON users (next_reminder_at) WHERE reviews_on;
