/** test/slack/buttons.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/buttons', () => import('../slack/buttons.test.js'));
