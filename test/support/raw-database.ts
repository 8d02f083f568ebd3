import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import type { TestEngine } from './postgres.js';

/**
 * Whether `text` is anywhere in the database's data as stored. SQLite: the raw bytes of the file and of its
 * write-ahead log and rollback journal (deleted rows and free pages included). PostgreSQL: every row of every table
 * of the public schema as text, which is what a dump (pg_dump) would hold.
 */
export async function databaseHolds(engine: TestEngine, path: string, text: string): Promise<boolean> {
  const needle = Buffer.from(text, 'utf8');
  if (engine === 'sqlite') {
    return [path, `${path}-wal`, `${path}-journal`].some((file) => existsSync(file) && readFileSync(file).includes(needle));
  }
  const client = new pg.Client({ connectionString: path });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { name } of tables.rows) {
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name.replace(/"/g, '""')}" t`);
      if (rows.rows.some((r) => r.row.includes(text))) return true;
    }
    return false;
  } finally {
    await client.end();
  }
}
