/** test/scheduler/reminders.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/reminders', () => import('../scheduler/reminders.test.js'));
