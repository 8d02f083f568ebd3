/** test/scheduler/mock-time-up.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/mock-time-up', () => import('../scheduler/mock-time-up.test.js'));
