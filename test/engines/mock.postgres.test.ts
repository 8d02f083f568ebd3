/** test/slack/mock.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/mock', () => import('../slack/mock.test.js'));
