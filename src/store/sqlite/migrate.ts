import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './connection.js';

/** src/store/sqlite and dist/store/sqlite both sit three levels below the package root, beside migrations/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Map<number, string>();
  return files.map((name) => {
    const match = /^(\d{3,})_[a-z0-9_]+\.sql$/.exec(name);
    if (!match?.[1]) throw new MigrationError(`migration file ${name} must be named like 001_description.sql`);
    const version = Number(match[1]);
    const other = seen.get(version);
    if (other) throw new MigrationError(`migrations ${other} and ${name} share the number ${version}`);
    seen.set(version, name);
    const sql = readFileSync(join(dir, name), 'utf8');
    return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Applies every migration not yet recorded, in order, each in its own IMMEDIATE transaction so a
 * bot and a concurrent `aipath tick` starting together cannot both apply the same file.
 */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const files = readMigrations(dir);
  const recorded = db.prepare('SELECT version, name, checksum FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: string[] = [];
  let alreadyApplied = 0;

  for (const file of files) {
    const applyOne = db.transaction(() => {
      const row = recorded.get(file.version) as { name: string; checksum: string } | undefined;
      if (row) {
        if (row.checksum !== file.checksum) {
          throw new MigrationError(
            `migration ${file.name} was changed after it was applied (as ${row.name}); migrations are never edited once applied: restore it and add a new numbered file instead`,
          );
        }
        return false;
      }
      db.exec(file.sql);
      const broken = db.prepare('PRAGMA foreign_key_check').all();
      if (broken.length > 0) throw new MigrationError(`migration ${file.name} would leave ${broken.length} rows with broken references`);
      record.run(file.version, file.name, file.checksum, new Date().toISOString());
      return true;
    });
    // A file that rebuilds a table others reference runs with foreign keys off (they cannot change
    // inside a transaction), as SQLite's procedure for such changes says, and is checked before commit.
    const keysOff = file.sql.startsWith('-- aipath:foreign-keys-off');
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      if (applyOne.immediate()) applied.push(file.name);
      else alreadyApplied += 1;
    } finally {
      if (keysOff) db.pragma('foreign_keys = ON');
    }
  }

  const known = new Set(files.map((f) => f.version));
  const orphans = db.prepare('SELECT name FROM schema_migrations ORDER BY version').all() as { name: string }[];
  const missing = orphans.filter((o) => !known.has(Number(o.name.slice(0, o.name.indexOf('_')))));
  if (missing.length > 0) {
    throw new MigrationError(
      `the database has migrations this version of aipath does not know (${missing.map((m) => m.name).join(', ')}): run a newer aipath or restore a backup`,
    );
  }
  return { applied, alreadyApplied };
}
