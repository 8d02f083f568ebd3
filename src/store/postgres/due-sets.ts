import type { DueSet } from '../../ports/store.js';
import type { Queryable } from './connection.js';

/**
 * Each due set's condition, shared by its due query and by the ledger's look-up of pending work (ledger.ts), so
 * that the two never disagree about what is due. `now` names the parameter holding the pass's instant.
 */
export const DUE_SETS: Record<DueSet, (now: string) => string> = {
  'channel-daily': (now) => `FROM subscriptions WHERE status = 'active' AND next_daily_at <= ${now}`,
  'channel-weekly': (now) => `FROM subscriptions WHERE status = 'active' AND next_weekly_at <= ${now}`,
  // `live`: the enrolment is current, active or paused (kept by migration 015's triggers).
  'learner-weekly': (now) => `FROM enrolment_nudges n JOIN enrolments e ON e.id = n.enrolment_id
    JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
    WHERE n.live AND n.next_nudge_at <= ${now}`,
  'learner-daily': (now) => `FROM users u
    WHERE u.reviews_on AND u.next_reminder_at <= ${now}
      AND EXISTS (SELECT 1 FROM enrolments e
                  WHERE e.workspace_id = u.workspace_id AND e.user_id = u.user_id AND e.is_current
                    AND (e.status IN ('active', 'finished') OR (e.status = 'paused' AND e.paused_until <= ${now})))`,
  // Read down the partial index mock_exams_time_up (unfinished exams only, by ends_at).
  'mock-time-up': (now) => `FROM mock_exams WHERE finished_at IS NULL AND ends_at <= ${now}`,
};

/**
 * For each due set, the earliest due time its query could ever find, in a statement without parameters: a statement
 * that names no instant has one plan, prepared once per connection, where the exact look-up (EXISTS … <= now) would be
 * planned at every pass, and planning it costs more than running it. Each is one step down its due-time index. It
 * may be earlier than anything the due query finds at `now` (a learner whose timed pause ends later), never later:
 * the pass then looks and finds nothing.
 */
export const EARLIEST_DUE: Record<DueSet, string> = {
  'channel-daily': `SELECT min(next_daily_at) FROM subscriptions WHERE status = 'active'`,
  'channel-weekly': `SELECT min(next_weekly_at) FROM subscriptions WHERE status = 'active'`,
  // Every due time has its enrolment, and every enrolment its user (foreign keys): the due query's joins leave none out.
  'learner-weekly': `SELECT min(next_nudge_at) FROM enrolment_nudges WHERE live`,
  // ORDER BY … LIMIT 1, not min(): with the EXISTS, min() is planned as a join over every learner.
  'learner-daily': `SELECT u.next_reminder_at FROM users u
    WHERE u.reviews_on AND u.next_reminder_at IS NOT NULL
      AND EXISTS (SELECT 1 FROM enrolments e
                  WHERE e.workspace_id = u.workspace_id AND e.user_id = u.user_id AND e.is_current
                    AND (e.status IN ('active', 'finished') OR (e.status = 'paused' AND e.paused_until IS NOT NULL)))
    ORDER BY u.next_reminder_at LIMIT 1`,
  // The first entry of the partial index mock_exams_time_up.
  'mock-time-up': `SELECT min(ends_at) FROM mock_exams WHERE finished_at IS NULL`,
};

/**
 * What a due query appends inside a transaction (a claim): each row found stays locked until the transaction ends, and
 * a row another transaction holds is skipped, left to that one, so that passes running at once (replicas, ticks) each
 * take targets of their own instead of queueing behind one another for the same rows. NO KEY UPDATE, the lock an
 * UPDATE of non-key columns takes, so that inserts referencing the row (foreign keys) do not wait on it. Outside a
 * transaction a lock would end with the statement: nothing is appended.
 */
export const claimLock = (q: Queryable, of?: string): string => (q.inTransaction ? ` FOR NO KEY UPDATE${of ? ` OF ${of}` : ''} SKIP LOCKED` : '');
