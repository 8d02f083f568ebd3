/** test/scheduler/overlap.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/overlap', () => import('../scheduler/overlap.test.js'));
