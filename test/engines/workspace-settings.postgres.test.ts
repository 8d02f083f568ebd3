/** test/scheduler/workspace-settings.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('scheduler/workspace-settings', () => import('../scheduler/workspace-settings.test.js'));
