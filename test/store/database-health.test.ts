import Database from 'better-sqlite3';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { DatabaseWatch, openDatabase } from '../../src/store/sqlite/connection.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { startTestApp, type TestApp } from '../support/harness.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'aipath-health-'));
  dirs.push(d);
  return d;
};
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const healthz = async (app: TestApp) => {
  const started = performance.now();
  const res = await fetch(`${app.baseUrl}/healthz`);
  return { status: res.status, ms: performance.now() - started, body: (await res.json()) as { status: string; database: { state: string; detail: string } } };
};

describe('/healthz tells the truth about the database', () => {
  it('fails with the reason when the database file is deleted, and the bot refuses writes', async () => {
    t = await startTestApp();
    expect((await healthz(t)).status).toBe(200);
    unlinkSync(t.dbPath);
    const h = await healthz(t);
    expect(h.status).toBe(503);
    expect(h.body.database.detail).toContain('was deleted');
    const reply = await t.commandJson('start devops', { user: 'U0AFTERDEL' });
    expect(reply.text).toContain('database is unavailable');
    // Nothing went into the unlinked file either.
    expect(await t.app.services.store.users.get('T0TEST001', 'U0AFTERDEL')).toBeUndefined();
  });

  it('fails when the file at the path was replaced by another one', async () => {
    t = await startTestApp();
    const other = join(tempDir(), 'other.db');
    new Database(other).close();
    renameSync(other, t.dbPath);
    const h = await healthz(t);
    expect(h.status).toBe(503);
    expect(h.body.database.detail).toContain('was replaced');
  });

  it('reads real tables, so damaged table pages fail the check that SELECT 1 passes', () => {
    const path = join(tempDir(), 'damaged.db');
    const db = openDatabase(path);
    migrate(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const roots = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name IN ('deliveries', 'schema_migrations')").all() as { rootpage: number }[];
    db.close();
    // Overwrite just those tables' pages: the schema stays readable, so SELECT 1 still works.
    const fd = openSync(path, 'r+');
    for (const { rootpage } of roots) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (rootpage - 1) * 4096);
    closeSync(fd);
    const reopened = new Database(path);
    expect(reopened.prepare('SELECT 1 AS ok').get()).toEqual({ ok: 1 });
    const state = new DatabaseWatch(reopened, path).check();
    expect(state.ok).toBe(false);
    expect(state.detail).toMatch(/cannot read/);
    reopened.close();
  });

  it('answers within a second and acknowledges commands within 3 s while another process holds the write lock', { timeout: 30_000 }, async () => {
    t = await startTestApp();
    const other = new Database(t.dbPath);
    other.exec('BEGIN IMMEDIATE');
    const release = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('ROLLBACK');
        other.close();
        resolve();
      }, 5000),
    );
    const h = await healthz(t);
    expect(h.status).toBe(200);
    expect(h.ms).toBeLessThan(1000);
    expect(h.body.database.detail).toContain('another process holds the write lock');

    const started = performance.now();
    const res = await t.command('start devops', { user: 'U0LOCKED01' });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    // A holding reply follows by response_url while the lock is held …
    await expect
      .poll(() => t!.fake.callsOf('response_url').some((c) => String(c.params.text).includes('waiting for its database')), { timeout: 4000 })
      .toBe(true);
    await release;
    // The real answer follows by response_url once the lock is gone, and the enrolment is there.
    await expect.poll(() => t!.fake.callsOf('response_url').some((c) => String(c.params.text).includes('Week 1')), { timeout: 5000 }).toBe(true);
    expect(await t.app.services.store.enrolments.current('T0TEST001', 'U0LOCKED01')).toBeTruthy();
  });
});

const writtenFile = (path: string, text: string) => {
  writeFileSync(path, text);
  return path;
};

describe('AIPATH_DB that cannot be used', () => {
  it.each([
    ['a file that is not a database', (d: string) => writtenFile(join(d, 'notes.txt'), 'hello, not sqlite '.repeat(400)), /is not a SQLite database/],
    ['a path below a file', (d: string) => join(writtenFile(join(d, 'plain'), 'x'), 'aipath.db'), /cannot be opened or created/],
  ])('%s is a configuration error naming AIPATH_DB', (_, make, message) => {
    const path = make(tempDir());
    let caught: unknown;
    try {
      openDatabase(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(/^AIPATH_DB /);
    expect((caught as Error).message).toMatch(message);
  });
});
