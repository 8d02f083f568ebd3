import { ConfigError } from '../config.js';
import type { AppLogger } from '../log.js';
import type { Store } from '../ports/store.js';
import { connectClient, connectError, describePostgresUrl, isPostgresUrl, redactSecrets } from './postgres/connection.js';
import { postgresStore } from './postgres/index.js';
import { migratePostgres } from './postgres/migrate.js';
import { openDatabase } from './sqlite/connection.js';
import { sqliteStore } from './sqlite/index.js';
import { MigrationError, type MigrationResult, migrate } from './sqlite/migrate.js';

export { MigrationError } from './sqlite/migrate.js';
export { isPostgresUrl } from './postgres/connection.js';

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

/** Opens the database AIPATH_DB names, brings its schema up to date, and returns the store over it. */
export async function openStore(dbPath: string, logger: AppLogger, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(dbPath)) {
    const result = await migrateDatabase(dbPath);
    if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
    return postgresStore(dbPath, logger, {
      poolSize: opts.poolSize,
      lockTimeoutMs: opts.lockTimeoutMs ?? opts.busyTimeoutMs,
      connectTimeoutMs: opts.connectTimeoutMs,
    });
  }
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
  if (isPostgresUrl(dbPath)) {
    const client = await connectClient(dbPath);
    try {
      return await migratePostgres(client, undefined, { url: dbPath });
    } catch (err) {
      throw migrationFailure(err, dbPath);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const db = openDatabase(dbPath);
  try {
    return migrate(db);
  } finally {
    db.close();
  }
}

/**
 * What a failure during PostgreSQL migrations becomes: losing the connection is a ConfigError about AIPATH_DB,
 * like failing to connect; any other error of the server's (a missing privilege, say) a MigrationError; both one
 * line without the password.
 */
function migrationFailure(err: unknown, url: string): unknown {
  if (err instanceof MigrationError || err instanceof ConfigError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (/^E[A-Z]+$/.test(code) || /Connection terminated|connection.*(ended|closed)/i.test(message)) return connectError(err, url);
  if (/^[0-9A-Z]{5}$/.test(code)) return new MigrationError(`could not migrate ${describePostgresUrl(url)}: ${redactSecrets(message, url)} (SQLSTATE ${code})`);
  return err;
}
