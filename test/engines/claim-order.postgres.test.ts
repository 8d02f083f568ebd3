/** test/scheduler/claim-order.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/claim-order', () => import('../scheduler/claim-order.test.js'));
