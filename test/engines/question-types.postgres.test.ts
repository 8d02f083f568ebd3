/** test/slack/question-types.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/question-types', () => import('../slack/question-types.test.js'));
