import type { AppLogger } from '../log.js';
import type { Store } from '../ports/store.js';
import { describePostgresUrl, isPostgresUrl } from './postgres/url.js';
import { openDatabase } from './sqlite/connection.js';
import { sqliteStore } from './sqlite/index.js';
import { type MigrationResult, migrate } from './sqlite/migrate.js';

export { MigrationError } from './sqlite/migrate.js';
export { isPostgresUrl } from './postgres/url.js';

export interface OpenStoreOptions {
  /**
   * How long one statement waits for another process's write lock once started; the embedded
   * engine waits synchronously, so a process that serves Slack keeps this short and retries
   * asynchronously. Migrations always wait the full 5 s. On PostgreSQL it is the lock timeout
   * (unless `lockTimeoutMs` says otherwise): the same meaning, a wait that ends in StoreBusyError.
   */
  busyTimeoutMs?: number;
  /** PostgreSQL: how long a statement waits for a row or table lock (default: busyTimeoutMs, else 5 s). */
  lockTimeoutMs?: number;
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /** PostgreSQL: how long to wait for a connection, new or free in the pool (default 10 s). */
  connectTimeoutMs?: number;
}

/**
 * How AIPATH_DB is shown in messages, logs and /healthz: a SQLite path as it is, a PostgreSQL URL without its
 * password or query (scheme, user, host, port, database).
 */
export function describeDatabase(dbPath: string): string {
  return isPostgresUrl(dbPath) ? describePostgresUrl(dbPath) : dbPath;
}

/**
 * Opens the database AIPATH_DB names, brings its schema up to date, and returns the store over it. The
 * PostgreSQL adapter (and its driver) is loaded only when AIPATH_DB names PostgreSQL.
 */
export async function openStore(dbPath: string, logger: AppLogger, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(dbPath)) return (await import('./postgres/open.js')).openPostgresStore(dbPath, logger, opts);
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

/**
 * `aipath migrate`: brings the schema of the database AIPATH_DB names up to date, and nothing else. On
 * PostgreSQL, one connection (a failure to connect is a ConfigError naming AIPATH_DB, without the password)
 * under an advisory lock, so that replicas starting together migrate once.
 */
export async function migrateDatabase(dbPath: string): Promise<MigrationResult> {
  if (isPostgresUrl(dbPath)) return (await import('./postgres/open.js')).migratePostgresDatabase(dbPath);
  const db = openDatabase(dbPath);
  try {
    return migrate(db);
  } finally {
    db.close();
  }
}
