import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Opens the SQLite file the bot and `aipath tick` share. WAL lets readers run beside one writer,
 * and the busy timeout makes a second process wait for a write lock instead of failing at once.
 */
export function openDatabase(path: string): Db {
  const inMemory = path === ':memory:' || path.startsWith('file::memory:');
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}
