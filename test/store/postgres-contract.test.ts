/**
 * The repository contract (test/store/contract/store-contract.ts) against the PostgreSQL adapter, as the app opens
 * it: `openStore` on a postgres:// URL, on the run's real PostgreSQL server (test/support/postgres-server.ts);
 * skipped, saying why, when there is none.
 *
 * Twice: on a database whose default collation is "C" (the test server's), and on one whose default collation is
 * ICU's en-US, as most production servers sort text, so that nothing the adapter orders or pages depends on the
 * database's collation (SQLite compares text bytewise; so must every ORDER BY and keyset comparison here).
 *
 * One database per file, migrated once by the first `openStore`; before each test every table but
 * schema_migrations is emptied and `openStore` opens a new store over it (finding nothing to migrate). Measured on
 * the test server: a database per test (CREATE DATABASE and migrations) costs ~450 ms a test, one copied from a
 * migrated template ~210 ms, TRUNCATE ~70 ms (it replaces every table's files), DELETE ~2 ms.
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open.js';
import { describeWithPostgres } from '../support/postgres.js';
import { describeStoreContract } from './contract/store-contract.js';
import { createDatabase, ICU_EN_US, type TestDatabase } from './postgres-databases.js';

const logger = createLogger('error');

describeWithPostgres('on PostgreSQL', (serverUrl) => {
  for (const variant of [
    { title: 'database collation C', options: '' },
    { title: 'database collation en-US (ICU)', options: ICU_EN_US },
  ]) {
    describe(variant.title, () => {
      let database: TestDatabase | undefined;
      let unavailable: string | undefined;

      beforeAll(async () => {
        try {
          database = await createDatabase(serverUrl, 'contract', variant.options);
        } catch (err) {
          // Only the ICU variant can be missing (a server built without ICU): say so and skip it.
          if (!variant.options) throw err;
          unavailable = `this PostgreSQL server cannot create an ICU en-US database (${(err as Error).message}): skipped`;
          return;
        }
        const store = await openStore(database.url, logger);
        await store.database.close();
      });
      afterAll(async () => {
        await database?.drop();
      });
      beforeEach(async ({ skip }) => {
        if (unavailable) skip(unavailable);
        await database!.empty();
      });

      describeStoreContract('postgres', async () => {
        const store = await openStore(database!.url, logger);
        return { store, close: () => store.database.close() };
      });
    });
  }
});
