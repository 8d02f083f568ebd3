/** test/slack/malformed.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/malformed', () => import('../slack/malformed.test.js'));
