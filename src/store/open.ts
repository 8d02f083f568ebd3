import type { AppLogger } from '../log.js';
import type { Store } from '../ports/store.js';
import { openDatabase } from './sqlite/connection.js';
import { sqliteStore } from './sqlite/index.js';
import { type MigrationResult, migrate } from './sqlite/migrate.js';

export { MigrationError } from './sqlite/migrate.js';

export interface OpenStoreOptions {
  /**
   * How long one statement waits for another process's write lock once started; the embedded
   * engine waits synchronously, so a process that serves Slack keeps this short and retries
   * asynchronously. Migrations always wait the full 5 s.
   */
  busyTimeoutMs?: number;
}

/** Opens the database AIPATH_DB names, brings its schema up to date, and returns the store over it. */
export async function openStore(dbPath: string, logger: AppLogger, opts: OpenStoreOptions = {}): Promise<Store> {
  const db = openDatabase(dbPath);
  try {
    const result = migrate(db);
    if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
  } catch (err) {
    db.close();
    throw err;
  }
  if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
  return sqliteStore(db, dbPath);
}

/** `aipath migrate`: brings the schema of the database AIPATH_DB names up to date, and nothing else. */
export async function migrateDatabase(dbPath: string): Promise<MigrationResult> {
  const db = openDatabase(dbPath);
  try {
    return migrate(db);
  } finally {
    db.close();
  }
}
