-- Each due query reads its due set in the order it names (due time, then key, compared bytewise like SQLite), LIMIT
-- a batch: with the due time alone in the index, every target due at one instant (a timezone's Monday 09:00: thousands)
-- had to be read and sorted for each batch. With the tie-breakers in the index, a batch reads only its own rows.
-- Same names as before (and as SQLite's, whose indexes end with the rowid and so already keep this order).
DROP INDEX enrolments_nudge_due;
CREATE INDEX enrolments_nudge_due ON enrolments (next_nudge_at, id) WHERE is_current AND status IN ('active', 'paused');

DROP INDEX subscriptions_daily_due;
CREATE INDEX subscriptions_daily_due ON subscriptions (next_daily_at, workspace_id COLLATE "C", channel_id COLLATE "C") WHERE status = 'active';
DROP INDEX subscriptions_weekly_due;
CREATE INDEX subscriptions_weekly_due ON subscriptions (next_weekly_at, workspace_id COLLATE "C", channel_id COLLATE "C") WHERE status = 'active';

DROP INDEX users_reminder_due;
CREATE INDEX users_reminder_due ON users (next_reminder_at, workspace_id COLLATE "C", user_id COLLATE "C") WHERE reviews_on;
