/**
 * The repository contract (test/store/contract/store-contract.ts) against the SQLite adapter, as the app opens it:
 * `openStore` on a fresh file in a temporary folder for each test (deleted afterwards), and once more on ':memory:'.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/open.js';
import { describeStoreContract } from './contract/store-contract.js';

const logger = createLogger('error');

describe('on a file', () => {
  describeStoreContract('sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aipath-contract-'));
    try {
      const store = await openStore(join(dir, 'aipath.db'), logger);
      return {
        store,
        close: async () => {
          try {
            await store.database.close();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  });
});

describe('in memory', () => {
  describeStoreContract('sqlite', async () => {
    const store = await openStore(':memory:', logger);
    return { store, close: () => store.database.close() };
  });
});
