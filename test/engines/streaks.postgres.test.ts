/** test/slack/streaks.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('slack/streaks', () => import('../slack/streaks.test.js'));
