import { ConfigError } from '../../config.js';
import type { AppLogger } from '../../log.js';
import type { Store } from '../../ports/store.js';
import { afterMigrations, type OpenStoreOptions } from '../open.js';
import { MigrationError, type MigrationResult } from '../sqlite/migrate.js';
import { connectClient, connectError, describePostgresUrl, redactSecrets } from './connection.js';
import { postgresStore } from './index.js';
import { migratePostgres } from './migrate.js';

/** Migrates (once, under the advisory lock), then opens the pooled store. */
export async function openPostgresStore(url: string, logger: AppLogger, opts: OpenStoreOptions): Promise<Store> {
  const result = await migratePostgresDatabase(url);
  if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
  const store = postgresStore(url, logger, {
    poolSize: opts.poolSize,
    lockTimeoutMs: opts.lockTimeoutMs ?? opts.busyTimeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
  });
  try {
    await afterMigrations(store, result.applied, logger, opts);
  } catch (err) {
    await store.database.close();
    throw err;
  }
  return store;
}

/** One connection under an advisory lock, so that replicas starting together migrate once. */
export async function migratePostgresDatabase(url: string): Promise<MigrationResult> {
  const client = await connectClient(url);
  try {
    return await migratePostgres(client, undefined, { url });
  } catch (err) {
    throw migrationFailure(err, url);
  } finally {
    await client.end().catch(() => {});
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
