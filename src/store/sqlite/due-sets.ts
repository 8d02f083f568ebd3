import type { DueSet } from '../../ports/store.js';

/**
 * Each due set's condition, shared by its due query and by the ledger's look-up of pending work (ledger.ts), so
 * that the two never disagree about what is due. `now` names the parameter holding the pass's instant.
 */
export const DUE_SETS: Record<DueSet, (now: string) => string> = {
  'channel-daily': (now) => `FROM subscriptions WHERE status = 'active' AND next_daily_at <= ${now}`,
  'channel-weekly': (now) => `FROM subscriptions WHERE status = 'active' AND next_weekly_at <= ${now}`,
  // `live`: the enrolment is current, active or paused (kept by migration 020's triggers).
  'learner-weekly': (now) => `FROM enrolment_nudges n JOIN enrolments e ON e.id = n.enrolment_id
     JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
     WHERE n.live = 1 AND n.next_nudge_at <= ${now}`,
  'learner-daily': (now) => `FROM users u
     WHERE u.reviews_on = 1 AND u.next_reminder_at <= ${now}
       AND EXISTS (SELECT 1 FROM enrolments e
                   WHERE e.workspace_id = u.workspace_id AND e.user_id = u.user_id AND e.is_current = 1
                     AND (e.status IN ('active', 'finished') OR (e.status = 'paused' AND e.paused_until <= ${now})))`,
  // Read down the partial index mock_exams_time_up (unfinished exams only, by ends_at).
  'mock-time-up': (now) => `FROM mock_exams WHERE finished_at IS NULL AND ends_at <= ${now}`,
};
