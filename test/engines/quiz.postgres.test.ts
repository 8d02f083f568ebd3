/** test/slack/quiz.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/quiz', () => import('../slack/quiz.test.js'));
