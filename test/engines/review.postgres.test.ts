/** test/slack/review.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/review', () => import('../slack/review.test.js'));
