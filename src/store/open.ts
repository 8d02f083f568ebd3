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
  /**
   * The default timezone (AIPATH_TIMEZONE): when the migration that introduced running totals of leaderboards has
   * just been applied, they are built for it and for every subscribed channel's timezone (default UTC).
   */
  boardZone?: string;
}

/** The migration whose data half (running totals, built from the points in code: SQL has no timezone rules) follows it. */
const TOTALS_MIGRATION = /^\d+_points_totals\.sql$/;

/** Builds the running totals after the migration that introduced them, so that no leaderboard request has to. */
export async function afterMigrations(store: Store, applied: readonly string[], logger: AppLogger, opts: OpenStoreOptions): Promise<void> {
  if (!applied.some((name) => TOTALS_MIGRATION.test(name))) return;
  const started = performance.now();
  const built = await store.points.keepZones(opts.boardZone ?? 'UTC');
  logger.info(`built leaderboard totals for ${built} workspace timezones in ${Math.round(performance.now() - started)} ms`);
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
  let result: MigrationResult;
  try {
    result = migrate(db);
    if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
  } catch (err) {
    db.close();
    throw err;
  }
  const store = sqliteStore(db, dbPath);
  try {
    await afterMigrations(store, result.applied, logger, opts);
  } catch (err) {
    await store.database.close();
    throw err;
  }
  if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
  return store;
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
