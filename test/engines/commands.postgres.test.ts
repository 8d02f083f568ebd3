/** test/slack/commands.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/commands', () => import('../slack/commands.test.js'));
