import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { MigrationError, type MigrationResult, readMigrations } from '../sqlite/migrate.js';
import { redactSecrets } from './connection.js';

/** src/store/postgres and dist/store/postgres both sit three levels below the package root, beside migrations/. */
export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));

/**
 * The one advisory lock key every aipath process takes before migrating ('aipath' in ASCII, then 0001): replicas
 * that start together queue on it, so one applies the pending files and the others then find nothing to do.
 */
export const MIGRATION_LOCK_KEY = '7019265058100740097';

export interface MigrateOptions {
  /** How long to wait for another process that is migrating (the advisory lock). */
  lockWaitMs?: number;
  /**
   * How long one migration statement waits for a table lock. Running replicas hold short locks only; a DDL
   * statement queued behind a long one would hold up every query on its table meanwhile, so it gives up instead.
   */
  statementLockWaitMs?: number;
  /** Only for error messages: the URL whose password must never show. */
  url?: string;
}

/**
 * Applies every migration in `dir` not yet recorded in schema_migrations, in order, each in its own transaction
 * with its bookkeeping row, all under one session-level advisory lock. Refuses, changing nothing, a migration
 * that was edited after it was applied, or a database that has migrations this aipath does not know.
 */
export async function migratePostgres(client: pg.Client, dir: string = POSTGRES_MIGRATIONS_DIR, opts: MigrateOptions = {}): Promise<MigrationResult> {
  const files = readMigrations(dir);
  const redact = (text: string) => (opts.url ? redactSecrets(text, opts.url) : text);
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.lockWaitMs ?? 300_000))}`);
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  } catch (err) {
    if ((err as { code?: string }).code === '55P03')
      throw new MigrationError(`another aipath process has been migrating this database for too long (it holds advisory lock ${MIGRATION_LOCK_KEY})`);
    throw err;
  }
  try {
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.statementLockWaitMs ?? 30_000))}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const applied: string[] = [];
    let alreadyApplied = 0;

    for (const file of files) {
      await client.query('BEGIN');
      try {
        const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations WHERE version = $1', [
          file.version,
        ]);
        const row = rows[0];
        if (row) {
          if (row.checksum !== file.checksum) {
            throw new MigrationError(
              `migration ${file.name} was changed after it was applied (as ${row.name}); migrations are never edited once applied: restore it and add a new numbered file instead`,
            );
          }
          await client.query('ROLLBACK');
          alreadyApplied += 1;
          continue;
        }
        try {
          // No parameters: the file goes as one simple query, every statement in it inside this transaction.
          await client.query(file.sql);
        } catch (err) {
          const e = err as { code?: string; message?: string };
          const waited = e.code === '55P03' ? ' (a table it changes stayed locked by running queries: try again when the database is quieter)' : '';
          throw new MigrationError(`migration ${file.name} failed and was rolled back: ${redact(e.message ?? String(err))}${waited}`);
        }
        await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, now())', [
          file.version,
          file.name,
          file.checksum,
        ]);
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }

    const known = new Set(files.map((f) => f.version));
    const { rows: recorded } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    const missing = recorded.filter((r) => !known.has(r.version));
    if (missing.length > 0) {
      throw new MigrationError(
        `the database has migrations this version of aipath does not know (${missing.map((m) => m.name).join(', ')}): run a newer aipath or restore a backup`,
      );
    }
    return { applied, alreadyApplied };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => {});
  }
}
