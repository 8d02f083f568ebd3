import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../config.js';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * How long a statement waits for another process's write lock. better-sqlite3 waits
   * synchronously, so a process that serves Slack keeps this short and retries asynchronously.
   */
  busyTimeoutMs?: number;
}

/** What the file at the configured path was when it was opened, to notice it being deleted or replaced. */
interface FileIdentity {
  dev: number;
  ino: number;
}

export const isInMemory = (path: string) => path === ':memory:' || path.startsWith('file::memory:');

/**
 * Opens the SQLite file the bot and `aipath tick` share. WAL lets readers run beside one writer.
 * A path that cannot be opened as a writable database is a configuration error naming AIPATH_DB.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const inMemory = isInMemory(path);
  let db: Db | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // Before the switch to WAL: a new file then converts under NORMAL rather than FULL, a few fsyncs fewer at its
    // first start (on an existing WAL file the switch is a no-op). NORMAL is what the file runs with anyway.
    db.pragma('synchronous = NORMAL');
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    // Deleted rows are overwritten, not left in free pages: forget-me must leave no trace in the file.
    db.pragma('secure_delete = ON');
    // Reading the schema proves the file is a database; the write proves we may change it.
    db.prepare('SELECT COUNT(*) FROM sqlite_schema').get();
    db.exec('BEGIN IMMEDIATE; ROLLBACK');
    return db;
  } catch (err) {
    db?.close();
    throw new ConfigError(`AIPATH_DB ${describeOpenError(err, path)}`);
  }
}

function describeOpenError(err: unknown, path: string): string {
  const code = (err as { code?: string }).code ?? '';
  const where = JSON.stringify(path);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return `${where} is not a SQLite database (or is damaged)`;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return `${where} is read-only: aipath needs to write to it and its folder`;
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST')
    return `${where} cannot be opened or created (${code})`;
  if (code.startsWith('SQLITE_BUSY')) return `${where} is locked by another process`;
  return `${where} could not be opened: ${(err as Error).message}`;
}

export type DatabaseState = { ok: true; detail: string } | { ok: false; detail: string };

/**
 * The health of the database as the bot uses it: still the file that was opened, a real table
 * readable, and the write lock obtainable (or busy: another process holds it, which is not a fault).
 */
export class DatabaseWatch {
  private readonly identity: FileIdentity | undefined;

  constructor(
    private readonly db: Db,
    readonly path: string,
  ) {
    this.identity = isInMemory(path) ? undefined : identityOf(path);
  }

  /** Why the file aipath writes to is no longer the one at the configured path, if it is not. */
  fileProblem(): string | undefined {
    if (!this.identity) return undefined;
    const now = identityOf(this.path);
    if (!now) return `the database file ${this.path} was deleted while aipath was running; restore it (or restart to start empty)`;
    if (now.dev !== this.identity.dev || now.ino !== this.identity.ino)
      return `the database file ${this.path} was replaced while aipath was running; restart aipath to open it`;
    return undefined;
  }

  check(): DatabaseState {
    const lost = this.fileProblem();
    if (lost) return { ok: false, detail: lost };
    try {
      this.db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM schema_migrations LIMIT 1)').get();
      this.db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM deliveries ORDER BY id DESC LIMIT 1)').get();
    } catch (err) {
      return { ok: false, detail: `cannot read: ${(err as Error).message}` };
    }
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
    } catch (err) {
      if (isBusy(err)) return { ok: true, detail: 'ok (another process holds the write lock)' };
      return { ok: false, detail: `cannot write: ${(err as Error).message}` };
    }
    return { ok: true, detail: 'ok' };
  }
}

function identityOf(path: string): FileIdentity | undefined {
  try {
    const s = statSync(path);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY…): another connection holds a lock. */
export const isBusy = (err: unknown) => String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
