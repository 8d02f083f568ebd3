/** test/slack/admin.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/admin', () => import('../slack/admin.test.js'));
