import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../src/store/postgres/migrate.js';

/**
 * For data-migration tests: temporary folders (removed after each test) and `migrationsBefore`, the migrations of
 * `dir` that come before `version`, copied into one of them, to build a database as it was before the migration.
 */
export function migrationFolders(prefix: string): {
  tempDir: () => string;
  migrationsBefore: (dir: string, version: string) => string;
  seedPostgresBefore: (url: string, version: string, seed: (client: pg.Client) => Promise<void>) => Promise<void>;
} {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const migrationsBefore = (dir: string, version: string) => {
    const before = tempDir();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.sql') && f < version)) cpSync(join(dir, f), join(before, f));
    return before;
  };
  /** Migrates the PostgreSQL database at `url` up to before `version`, and writes its rows as that schema held them. */
  const seedPostgresBefore = async (url: string, version: string, seed: (client: pg.Client) => Promise<void>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migratePostgres(client, migrationsBefore(POSTGRES_MIGRATIONS_DIR, version));
      await seed(client);
    } finally {
      await client.end();
    }
  };
  return { tempDir, migrationsBefore, seedPostgresBefore };
}
