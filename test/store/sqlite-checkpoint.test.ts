/**
 * SQLite's checkpoints run off the event loop (src/store/sqlite/checkpointer.ts): the connection the app serves Slack
 * with only appends to the write-ahead log, and a worker thread copies it into the database file. The database file
 * itself shows where the checkpoint ran: it grows only when a checkpoint copies pages into it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { BackgroundCheckpointer } from '../../src/store/sqlite/checkpointer.js';
import { openDatabase } from '../../src/store/sqlite/connection.js';

const NOW = new Date('2026-12-01T09:00:00.000Z');
let dir: string | undefined;
let store: Store | undefined;
afterEach(async () => {
  await store?.database.close();
  store = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it('a commit that takes the log past ten thousand pages leaves the checkpoint to the worker, which soon copies it into the file', {
  timeout: 60_000,
}, async () => {
  dir = mkdtempSync(join(tmpdir(), 'aipath-checkpoint-'));
  const path = join(dir, 'aipath.db');
  store = await openStore(path, createLogger('error'));
  const before = statSync(path).size;
  // About 45 MB of rows and index entries: some 11,000 pages of log, past SQLite's default mark of 1,000 and the
  // 10,000 that was the connection's own mark until it ran during every large pass.
  await store.transaction(async (tx) => {
    for (let i = 0; i < 220_000; i++) await tx.users.ensure('T0CKPT0001', `U0CKPT${String(i).padStart(6, '0')}`, NOW);
  });
  // A checkpoint of the connection's own would have run in that commit, on this thread, and copied the pages into the file.
  expect(statSync(`${path}-wal`).size).toBeGreaterThan(10_000 * 4096);
  expect(statSync(path).size).toBe(before);
  await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 30_000_000), { timeout: 20_000, interval: 50 });
  expect(await store.users.get('T0CKPT0001', 'U0CKPT219999')).toBeDefined();
});

it('once the database is idle, the worker copies the rest of the log into the file and truncates it', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aipath-checkpoint-'));
  const path = join(dir, 'aipath.db');
  const db = openDatabase(path);
  const checkpointer = new BackgroundCheckpointer(db, path, 50);
  try {
    db.prepare('CREATE TABLE t (x)').run();
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
    })();
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_000_000);
    await vi.waitFor(() => expect(statSync(`${path}-wal`).size).toBe(0), { timeout: 10_000, interval: 20 });
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(20_000);
  } finally {
    await checkpointer.close();
    db.close();
  }
});

it('starts its worker thread at its first round, not when the store opens (a start does not pay for the thread)', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aipath-checkpoint-'));
  const path = join(dir, 'aipath.db');
  const db = openDatabase(path);
  const checkpointer = new BackgroundCheckpointer(db, path, 50);
  try {
    expect(checkpointer.started).toBe(false);
    db.prepare('CREATE TABLE t (x)').run();
    await vi.waitFor(() => expect(checkpointer.completed).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    expect(checkpointer.started).toBe(true);
  } finally {
    await checkpointer.close();
    db.close();
  }
});
