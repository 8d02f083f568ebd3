-- Who paused a learner's nudges, as a value of its own (SQLite 009): until now a "Slack: " prefix on
-- the reason said so. A channel's subscription is only ever paused because of Slack: its reason loses the prefix.
ALTER TABLE enrolments ADD COLUMN paused_by text CHECK (paused_by IN ('learner', 'slack'));
UPDATE enrolments SET paused_by = 'slack', status_reason = substr(status_reason, 8) WHERE status_reason LIKE 'Slack: %';
UPDATE enrolments SET paused_by = 'learner' WHERE status = 'paused' AND paused_by IS NULL;
UPDATE subscriptions SET status_reason = substr(status_reason, 8) WHERE status_reason LIKE 'Slack: %';
