/** test/slack/oauth.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/oauth', () => import('../slack/oauth.test.js'));
