/** test/services/installs.test.ts, unchanged, on PostgreSQL (see onPostgres in test/support/postgres.ts). */
import { onPostgres } from '../support/postgres.js';

await onPostgres('services/installs', () => import('../services/installs.test.js'));
