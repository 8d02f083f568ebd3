/** test/slack/progress.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/progress', () => import('../slack/progress.test.js'));
