/** test/scheduler/pass.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/pass', () => import('../scheduler/pass.test.js'));
