/**
 * Opening PostgreSQL from AIPATH_DB: what a bad URL, a refused connection or a missing database say (one line naming
 * AIPATH_DB, never the password); migrations under the advisory lock (replicas starting together migrate once; an
 * edited, unknown or failing migration is refused); what the adapter does where SQLite's single connection never
 * had to (lock waits become StoreBusyError, concurrent writers from several connections, text ordered bytewise
 * whatever the database's collation); health, pool state and close. On the run's real PostgreSQL server.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { newCard, review } from '../../src/domain/review/memory.js';
import { createLogger } from '../../src/log.js';
import { StoreBusyError, type Store } from '../../src/ports/store.js';
import { retryWhileBusy } from '../../src/shared/busy.js';
import { connectClient, connectError, redactSecrets } from '../../src/store/postgres/connection.js';
import { MIGRATION_LOCK_KEY, migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../src/store/postgres/migrate.js';
import { postgresStore } from '../../src/store/postgres/index.js';
import { describeDatabase, MigrationError, migrateDatabase, openStore } from '../../src/store/open.js';
import { describeWithPostgres } from '../support/postgres.js';
import { createDatabase, databaseUrl, ICU_EN_US, onDatabase, type TestDatabase } from './postgres-databases.js';

const PASSWORD = 's3cr3t-Pa55word';
const quiet = createLogger('error');
const NOW = new Date('2026-12-01T09:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const MIGRATION_FILES = readdirSync(POSTGRES_MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.sql'))
  .sort();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The ConfigError `promise` rejects with, checked to be one line naming AIPATH_DB without the password. */
async function configError(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  const message = (err as Error).message;
  expect(message).toMatch(/^AIPATH_DB /);
  expect(message).not.toContain(PASSWORD);
  expect(message).not.toContain('\n');
  return message;
}

describe('naming a PostgreSQL database without its password', () => {
  it('describeDatabase keeps scheme, user, host, port and database; a SQLite path stays as it is', () => {
    expect(describeDatabase(`postgres://aipath:${PASSWORD}@db.example:5433/aipath?sslmode=require&password=${PASSWORD}`)).toBe(
      'postgres://aipath@db.example:5433/aipath',
    );
    expect(describeDatabase('postgresql://db.example/aipath')).toBe('postgresql://db.example/aipath');
    expect(describeDatabase('./data/aipath.db')).toBe('./data/aipath.db');
    expect(describeDatabase(':memory:')).toBe(':memory:');
  });

  it("redacts the password from the server's messages, encoded or not, and PGPASSWORD", () => {
    const url = `postgres://aipath:${encodeURIComponent('p@ss word')}@db.example/aipath`;
    expect(redactSecrets('failed for p@ss word and p%40ss%20word', url)).toBe('failed for *** and ***');
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = PASSWORD;
    try {
      expect(redactSecrets(`echo ${PASSWORD}`, 'postgres://db.example/aipath')).toBe('echo ***');
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });

  it('explains the errors of connecting in one line, never with the password', () => {
    const url = `postgres://aipath:${PASSWORD}@db.example:5432/aipath`;
    const says = (err: object) => {
      const e = connectError(err, url);
      expect(e).toBeInstanceOf(ConfigError);
      expect(e.message).not.toContain(PASSWORD);
      return e.message;
    };
    expect(says({ code: '28P01', message: `password authentication failed for user "aipath" (${PASSWORD})` })).toBe(
      'AIPATH_DB postgres://aipath@db.example:5432/aipath: password authentication failed for user "aipath"',
    );
    expect(says({ code: 'ENOTFOUND', hostname: 'db.example', message: 'getaddrinfo ENOTFOUND db.example' })).toContain('the host db.example was not found');
    expect(says({ code: '3D000', message: 'database "aipath" does not exist' })).toContain('the database "aipath" does not exist on db.example:5432');
    expect(says({ code: '57P03', message: 'the database system is starting up' })).toContain('starting up');
    expect(says({ message: 'The server does not support SSL connections' })).toContain('does not support SSL');
    expect(says({ message: `something else entirely, with ${PASSWORD} in it` })).toContain('could not connect: something else entirely, with *** in it');
  });

  it('refuses a URL that does not parse, before connecting', async () => {
    for (const url of [`postgres://aipath:${PASSWORD}@db.example:99999/aipath`, `postgresql://aipath:${PASSWORD}@[::1/aipath`]) {
      expect(await configError(openStore(url, quiet))).toMatch(/not a valid PostgreSQL URL/);
      expect(await configError(migrateDatabase(url))).toMatch(/not a valid PostgreSQL URL/);
    }
  });

  it('says plainly when nothing listens at the port', async () => {
    const port = await freePort();
    const url = `postgres://aipath:${PASSWORD}@127.0.0.1:${port}/aipath`;
    const message = await configError(openStore(url, quiet));
    expect(message).toBe(
      `AIPATH_DB postgres://aipath@127.0.0.1:${port}/aipath: the server refused the connection at 127.0.0.1:${port} (is PostgreSQL running and listening there?)`,
    );
    expect(await configError(migrateDatabase(url))).toBe(message);
  });
});

describeWithPostgres('opening PostgreSQL', (serverUrl) => {
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];
  const fresh = async (label: string, options = '') => {
    const db = await createDatabase(serverUrl, label, options);
    databases.push(db);
    return db;
  };
  const open = async (url: string, opts: Parameters<typeof openStore>[2] = {}) => {
    const store = await openStore(url, quiet, opts);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.database.close();
  });
  afterAll(async () => {
    for (const d of databases.splice(0)) await d.drop();
  });

  describe('a connection lost while in use', () => {
    it('fails the work in flight, and neither ends the process nor stops the store', async () => {
      const db = await fresh('lost');
      const store = await open(db.url);
      await store.users.ensure('T1', 'U1', NOW);
      const name = new URL(db.url).pathname.slice(1);
      const work = store.transaction(async (tx) => {
        await tx.users.get('T1', 'U1');
        // An administrator ends the connection between two statements of the transaction.
        await onDatabase(serverUrl, (admin) =>
          admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'aipath'", [name]),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        return tx.users.get('T1', 'U1');
      });
      await expect(work).rejects.toThrow();
      expect(await store.users.get('T1', 'U1')).toMatchObject({ userId: 'U1' });
    });
  });

  describe('connecting', () => {
    it('names the database that does not exist, without the password', async () => {
      const url = databaseUrl(serverUrl, 'aipath_no_such_database', (u) => {
        u.password = PASSWORD;
      });
      const message = await configError(openStore(url, quiet));
      expect(message).toMatch(/: the database "aipath_no_such_database" does not exist on 127\.0\.0\.1:\d+ \(create it first/);
      expect(message).toContain('postgres://postgres@127.0.0.1:');
      expect(await configError(migrateDatabase(url))).toBe(message);
    });

    it('opens a database named in a URL with a password (ignored by the test server) and the pool size asked for', async () => {
      const db = await fresh('open');
      const url = databaseUrl(serverUrl, new URL(db.url).pathname.slice(1), (u) => {
        u.password = PASSWORD;
      });
      const store = await open(url, { poolSize: 3 });
      expect(store.database.engine).toBe('postgres');
      await store.users.ensure('T1', 'U1', NOW);
      const health = await store.database.health();
      expect(health.ok).toBe(true);
      expect(health.detail).toMatch(/^ok; pool: \d+\/3 connections, \d+ idle, 0 waiting$/);
      expect(health.detail).not.toContain(PASSWORD);
    });
  });

  describe('migrations', () => {
    it('two openStore calls racing on a fresh database both succeed, and each migration is applied once', async () => {
      const db = await fresh('race');
      const lines: string[] = [];
      const logger = createLogger('info', 'aipath', (l) => lines.push(l));
      const [a, b] = await Promise.all([openStore(db.url, logger), openStore(db.url, logger)]);
      stores.push(a, b);
      expect(lines.filter((l) => l.includes('applied migrations:'))).toEqual([expect.stringContaining(`applied migrations: ${MIGRATION_FILES.join(', ')}`)]);
      const recorded = await onDatabase(db.url, (c) => c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version'));
      expect(recorded.rows.map((r) => r.name)).toEqual(MIGRATION_FILES);
      // Both work on the one schema.
      await a.users.ensure('T1', 'U1', NOW);
      expect(await b.users.get('T1', 'U1')).toBeDefined();
    });

    it('aipath migrate from several processes at once: every file applied exactly once, the others find nothing to do', async () => {
      const db = await fresh('race_migrate');
      const results = await Promise.all([migrateDatabase(db.url), migrateDatabase(db.url), migrateDatabase(db.url), migrateDatabase(db.url)]);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(MIGRATION_FILES);
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      for (const r of results.filter((x) => x.applied.length === 0)) expect(r.alreadyApplied).toBe(MIGRATION_FILES.length);
      expect(await migrateDatabase(db.url)).toEqual({ applied: [], alreadyApplied: MIGRATION_FILES.length });
    });

    it('waits for the process holding the migration lock', async () => {
      const db = await fresh('lock');
      const holder = await connectClient(db.url);
      try {
        await holder.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
        let done = false;
        const migrating = migrateDatabase(db.url).then((r) => {
          done = true;
          return r;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(done).toBe(false);
        await holder.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
        expect((await migrating).applied).toEqual(MIGRATION_FILES);
      } finally {
        await holder.end();
      }
    });

    describe('refusals', () => {
      const dirs: string[] = [];
      const copyOfMigrations = () => {
        const dir = mkdtempSync(join(tmpdir(), 'aipath-pgmig-'));
        dirs.push(dir);
        cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
        return dir;
      };
      afterAll(() => {
        for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
      });
      const withClient = async <T>(url: string, work: (c: Awaited<ReturnType<typeof connectClient>>) => Promise<T>) => {
        const client = await connectClient(url);
        try {
          return await work(client);
        } finally {
          await client.end();
        }
      };
      const tableExists = (url: string, name: string) =>
        onDatabase(url, async (c) => (await c.query('SELECT to_regclass($1) AS t', [name])).rows[0]?.t !== null);

      it('refuses an applied migration whose file was edited, and applies nothing after it', async () => {
        const db = await fresh('edited');
        const dir = copyOfMigrations();
        await withClient(db.url, (c) => migratePostgres(c, dir));
        appendFileSync(join(dir, '001_init.sql'), '\n-- an edit\n');
        writeFileSync(join(dir, '999_later.sql'), 'CREATE TABLE later (id integer);');
        await expect(withClient(db.url, (c) => migratePostgres(c, dir))).rejects.toThrow(MigrationError);
        await expect(withClient(db.url, (c) => migratePostgres(c, dir))).rejects.toThrow(/001_init\.sql was changed after it was applied/);
        expect(await tableExists(db.url, 'later')).toBe(false);
      });

      it('refuses a database with migrations this aipath does not know', async () => {
        const db = await fresh('unknown');
        await migrateDatabase(db.url);
        await onDatabase(db.url, (c) =>
          c.query("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, '999_from_the_future.sql', 'x', now())"),
        );
        await expect(migrateDatabase(db.url)).rejects.toThrow(/does not know \(999_from_the_future\.sql\)/);
        await expect(open(db.url)).rejects.toThrow(MigrationError);
      });

      it('rolls back a failing migration as a whole and says which one', async () => {
        const db = await fresh('failing');
        const dir = copyOfMigrations();
        writeFileSync(join(dir, '900_broken.sql'), 'CREATE TABLE half_done (id integer);\nSELECT 1 / 0;');
        const err = await withClient(db.url, (c) => migratePostgres(c, dir)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MigrationError);
        expect((err as Error).message).toMatch(/^migration 900_broken\.sql failed and was rolled back: division by zero/);
        expect(await tableExists(db.url, 'half_done')).toBe(false);
        const recorded = await onDatabase(db.url, (c) => c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version'));
        expect(recorded.rows.map((r) => r.name)).toEqual(MIGRATION_FILES);
        // The lock was given back: the next run is not kept waiting.
        await expect(migrateDatabase(db.url)).resolves.toEqual({ applied: [], alreadyApplied: MIGRATION_FILES.length });
      });
    });
  });

  describe('lock waits and concurrent writers', () => {
    let url: string;
    beforeAll(async () => {
      url = (await fresh('concurrency')).url;
      await migrateDatabase(url);
    });

    /** A transaction on `store` that stays open (holding what it locked) until the returned `finish` is called. */
    const holdOpen = async (store: Store, work: (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => Promise<void>) => {
      let opened = () => {};
      const isOpen = new Promise<void>((resolve) => {
        opened = resolve;
      });
      let finish = () => {};
      const mayFinish = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const done = store.transaction(async (tx) => {
        await work(tx);
        opened();
        await mayFinish;
      });
      await isOpen;
      return {
        finish: () => {
          finish();
          return done;
        },
      };
    };

    it('a statement that waits longer than the lock timeout fails with StoreBusyError, changes nothing, and succeeds on retry', async () => {
      const holder = await open(url);
      const request = await open(url, { busyTimeoutMs: 50 });
      await holder.users.ensure('T1', 'U-BUSY', NOW);
      const held = await holdOpen(holder, (tx) => tx.users.setNudgeTime('T1', 'U-BUSY', '06:00'));
      const started = Date.now();
      await expect(request.users.setNudgeTime('T1', 'U-BUSY', '07:00')).rejects.toBeInstanceOf(StoreBusyError);
      expect(Date.now() - started).toBeLessThan(2_000);
      // A whole transaction that runs into the lock is rolled back, its earlier writes included.
      await expect(
        request.transaction(async (tx) => {
          await tx.users.ensure('T1', 'U-BUSY-2', NOW);
          await tx.users.setNudgeTime('T1', 'U-BUSY', '07:00');
        }),
      ).rejects.toBeInstanceOf(StoreBusyError);
      expect(await request.users.get('T1', 'U-BUSY-2')).toBeUndefined();
      // Retried while the holder finishes, it goes through.
      const retried = retryWhileBusy(() => request.users.setNudgeTime('T1', 'U-BUSY', '07:00'));
      await held.finish();
      await retried;
      expect((await request.users.get('T1', 'U-BUSY'))?.nudgeTime).toBe('07:00');
    });

    it('every pooled connection in use: a statement that waits longer than the connect timeout fails with StoreBusyError, and succeeds on retry', async () => {
      const store = await open(url, { poolSize: 1, connectTimeoutMs: 200 });
      await store.users.ensure('T1', 'U-POOL', NOW);
      const held = await holdOpen(store, async (tx) => {
        await tx.users.get('T1', 'U-POOL');
      });
      const started = Date.now();
      const refused = await store.users.get('T1', 'U-POOL').catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(StoreBusyError);
      expect((refused as Error).message).toMatch(/every connection of the pool \(1\) is in use/);
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(store.transaction((tx) => tx.users.get('T1', 'U-POOL'))).rejects.toBeInstanceOf(StoreBusyError);
      // Retried while the holder finishes, it goes through.
      const retried = retryWhileBusy(() => store.users.setNudgeTime('T1', 'U-POOL', '07:00'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await held.finish();
      await retried;
      expect((await store.users.get('T1', 'U-POOL'))?.nudgeTime).toBe('07:00');
    });

    it('a due query inside a transaction locks what it finds: another transaction skips those and takes the rest, without waiting', async () => {
      const [a, b] = [await open(url), await open(url)];
      const ws = 'T-SKIP';
      const learners = ['U1', 'U2', 'U3', 'U4', 'U5'];
      for (const [i, u] of learners.entries()) {
        await a.users.ensure(ws, u, NOW);
        const { enrolment } = await a.enrolments.switchTo(ws, u, 'devops', '2026-11-30', NOW);
        await a.enrolments.setNextNudge(enrolment.id, at(-10 + i));
        await a.reviews.setNextReminder(ws, u, at(-10 + i));
        await a.subscriptions.upsert(
          { ws, channel: `C${i}`, time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: at(-10 + i), nextWeekly: at(-10 + i) },
          NOW,
        );
      }
      const ids = <T extends { userId?: string; channelId?: string }>(xs: T[]) => xs.map((x) => x.userId ?? x.channelId ?? '');
      const found: Record<string, string[]> = {};
      const held = await holdOpen(a, async (tx) => {
        found.nudges = ids(await tx.enrolments.dueNudges(NOW, 2));
        found.reminders = ids(await tx.reviews.dueReminders(NOW, 2));
        found.daily = ids(await tx.subscriptions.dueDaily(NOW, 2));
      });
      expect(found).toEqual({ nudges: ['U1', 'U2'], reminders: ['U1', 'U2'], daily: ['C0', 'C1'] });
      const started = Date.now();
      const other = await b.transaction(async (tx) => ({
        nudges: ids(await tx.enrolments.dueNudges(NOW, 10)),
        reminders: ids(await tx.reviews.dueReminders(NOW, 10)),
        daily: ids(await tx.subscriptions.dueDaily(NOW, 10)),
        weekly: ids(await tx.subscriptions.dueWeekly(NOW, 10)),
      }));
      expect(other).toEqual({ nudges: ['U3', 'U4', 'U5'], reminders: ['U3', 'U4', 'U5'], daily: ['C2', 'C3', 'C4'], weekly: ['C2', 'C3', 'C4'] });
      expect(Date.now() - started).toBeLessThan(1_000);
      // Outside a transaction nothing is locked or skipped: a plain read sees the whole due set.
      expect(ids(await b.enrolments.dueNudges(NOW, 10))).toEqual(learners);
      // The lock is the one an UPDATE of other columns takes: a row that refers to a locked learner does not wait for it.
      const learnt = review(newCard(NOW), 'good', NOW);
      await b.reviews.saveReview(ws, 'U1', 'q-1', learnt.card, learnt.log, 'review');
      expect(Date.now() - started).toBeLessThan(1_000);
      await held.finish();
    });

    it('a deadlock between two transactions ends one of them with StoreBusyError; the other commits', async () => {
      const store = await open(url);
      await store.users.ensure('T1', 'U-DL-1', NOW);
      await store.users.ensure('T1', 'U-DL-2', NOW);
      let bothLocked = () => {};
      let count = 0;
      const barrier = new Promise<void>((resolve) => {
        bothLocked = resolve;
      });
      const crossing = (a: string, b: string, hhmm: string) =>
        store.transaction(async (tx) => {
          await tx.users.setNudgeTime('T1', a, hhmm);
          if (++count === 2) bothLocked();
          await barrier;
          await tx.users.setNudgeTime('T1', b, hhmm);
        });
      const results = await Promise.allSettled([crossing('U-DL-1', 'U-DL-2', '05:00'), crossing('U-DL-2', 'U-DL-1', '06:00')]);
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect((failed[0] as PromiseRejectedResult).reason).toBeInstanceOf(StoreBusyError);
      const winner = results[0]!.status === 'fulfilled' ? '05:00' : '06:00';
      expect((await store.users.get('T1', 'U-DL-1'))?.nudgeTime).toBe(winner);
      expect((await store.users.get('T1', 'U-DL-2'))?.nudgeTime).toBe(winner);
    });

    it('an answer to a practice exam that another connection is finishing waits for it, and is then refused', async () => {
      const [finisher, answerer] = [await open(url), await open(url)];
      await finisher.users.ensure('T1', 'U-MOCK', NOW);
      const mock = await finisher.mocks.start('T1', 'U-MOCK', 'aip-c01', ['q-1'], NOW, at(90));
      const held = await holdOpen(finisher, async (tx) => {
        expect(await tx.mocks.finish(mock.id, at(5))).toBe(true);
      });
      let settled = false;
      const answering = answerer.mocks.answer(mock.id, 'q-1', [0], true, at(4)).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(settled).toBe(false);
      await held.finish();
      expect(await answering).toBe(false);
      expect(await answerer.mocks.answers(mock.id)).toEqual([]);
    });

    it('a transaction’s repositories kept after it ended refuse to run (their connection went back to the pool)', async () => {
      const store = await open(url);
      let kept: Parameters<Parameters<Store['transaction']>[0]>[0] | undefined;
      await store.transaction(async (tx) => {
        kept = tx;
        await tx.users.ensure('T1', 'U-KEPT', NOW);
      });
      await expect(kept!.users.get('T1', 'U-KEPT')).rejects.toThrow(/transaction has ended/);
      expect(await store.users.get('T1', 'U-KEPT')).toBeDefined();
    });

    it('a failure that the work caught still rolls the transaction back, and reaches the caller', async () => {
      const store = await open(url);
      await expect(
        store.transaction(async (tx) => {
          await tx.users.ensure('T1', 'U-CAUGHT', NOW);
          await tx.reviews.saveReview('T1', 'U0NOBODY', 'q-1', newCard(NOW), review(newCard(NOW), 'good', NOW).log, 'review').catch(() => {});
          return 'finished anyway';
        }),
      ).rejects.toThrow(/foreign key/);
      expect(await store.users.get('T1', 'U-CAUGHT')).toBeUndefined();
    });

    it('many connections at once: switchTo keeps one current enrolment, a delivery is claimed, taken over, awarded and answered once', async () => {
      const replicas = [await open(url), await open(url), await open(url)];
      const ws = 'T-RACE';
      const any = (i: number) => replicas[i % replicas.length]!;
      for (const u of ['U1', 'U2']) await any(0).users.ensure(ws, u, NOW);

      const switches = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          retryWhileBusy(() => any(i).enrolments.switchTo(ws, 'U1', ['devops', 'mlops', 'data'][i % 3]!, '2026-11-30', at(i))),
        ),
      );
      expect(switches).toHaveLength(12);
      const current = await onDatabase(url, (c) => c.query("SELECT count(*)::int AS n FROM enrolments WHERE workspace_id = 'T-RACE' AND is_current"));
      expect(current.rows[0]?.n).toBe(1);

      const key = { ws, kind: 'daily_quiz', target: 'C1', period: '2026-12-01' };
      const inserted = await Promise.all(Array.from({ length: 9 }, (_, i) => any(i).ledger.insert(key, NOW, 'claimed', false, `host${i}/1.a.0/1`, at(5), NOW)));
      expect(inserted.filter((d) => d !== undefined)).toHaveLength(1);
      const row = inserted.find((d) => d !== undefined)!;
      const fences = await Promise.all(Array.from({ length: 9 }, (_, i) => any(i).ledger.reclaim(row, `taker${i}/1.a.0/1`, at(20), at(10))));
      expect(fences.filter((f) => f !== undefined)).toEqual([row.fence + 1]);

      const awards = await Promise.all(Array.from({ length: 9 }, (_, i) => any(i).points.award(ws, 'U2', 'channel_quiz', 'post-1', 10, NOW, 'C1')));
      expect(awards.filter(Boolean)).toHaveLength(1);
      expect(await any(0).points.standing(ws, 'U2')).toEqual({ points: 10, rank: 1 });

      const post = await any(0).quiz.createPost(ws, 'C1', 'q-1', row.id, NOW);
      const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => any(i).quiz.answer(ws, 'U2', 'q-1', post, [i % 4], i % 4 === 0, at(i))));
      const firsts = answers.filter((a) => a.first);
      expect(firsts).toHaveLength(1);
      for (const a of answers) expect(a.response).toEqual(firsts[0]!.response);
      expect(await any(1).quiz.tally(post.id)).toEqual({ answered: 1, correct: firsts[0]!.correct ? 1 : 0 });

      const mock = await any(0).mocks.start(ws, 'U2', 'aip-c01', ['q-1', 'q-2', 'q-3'], NOW, at(90));
      const [finished, ...answered] = await Promise.all([
        any(0).mocks.finish(mock.id, at(5)),
        ...['q-1', 'q-2', 'q-3'].map((q, i) => any(i + 1).mocks.answer(mock.id, q, [0], true, at(4))),
      ]);
      expect(finished).toBe(true);
      // However the race went, no answer landed after the exam was finished.
      expect((await any(0).mocks.answers(mock.id)).length).toBe(answered.filter(Boolean).length);
      expect(await any(2).mocks.answer(mock.id, 'q-1', [1], false, at(6))).toBe(false);
    });
  });

  describe('health and closing', () => {
    let url: string;
    beforeAll(async () => {
      url = (await fresh('health')).url;
      await migrateDatabase(url);
    });

    it('fails, saying why, on a read-only session; a closed store is unhealthy and closing twice is harmless', async () => {
      const readOnly = new URL(url);
      readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
      const store = await open(url);
      const ro = postgresStore(readOnly.toString(), quiet);
      stores.push(ro);
      expect(await ro.database.health()).toEqual({ ok: false, detail: expect.stringMatching(/^cannot write: the session is read-only/) });
      await expect(ro.users.ensure('T1', 'U1', NOW)).rejects.toThrow(/read-only/);
      expect((await store.database.health()).ok).toBe(true);
      expect(store.database.writesRefused()).toBeUndefined();
      expect(await store.database.purgeDeleted()).toBe(true);
      await store.database.close();
      await store.database.close();
      expect(await store.database.health()).toEqual({ ok: false, detail: 'the database connection pool is closed' });
      await expect(store.users.get('T1', 'U1')).rejects.toThrow();
    });

    it('is healthy while a migration holds a lock on the ledger, saying so', async () => {
      const store = await open(url);
      const holder = await connectClient(url);
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE deliveries IN SHARE MODE');
        expect(await store.database.health()).toEqual({ ok: true, detail: expect.stringContaining('another session holds a lock on the ledger') });
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
    });
  });

  describe('text is ordered bytewise, as on SQLite, whatever the database collation', () => {
    let icu: TestDatabase | undefined;
    let why = '';
    beforeAll(async () => {
      try {
        icu = await fresh('icu', ICU_EN_US);
      } catch (err) {
        why = (err as Error).message;
      }
    });

    it('orders and pages channels, learners, cards and answers the same as SQLite on an en-US (ICU) database', async ({ skip }) => {
      if (!icu) skip(`no ICU en-US database on this server (${why})`);
      const sqlite = await openStore(':memory:', quiet);
      stores.push(sqlite);
      const postgres = await open(icu!.url);
      const scenario = async (store: Store) => {
        const users = ['Ub', 'UA', 'U_1', 'U-2', 'ua'];
        for (const ws of ['T-b', 'T-A']) {
          for (const u of users) {
            await store.users.ensure(ws, u, NOW);
            await store.enrolments.switchTo(ws, u, 'devops', '2026-11-30', NOW);
            await store.reviews.setNextReminder(ws, u, NOW);
            for (const q of ['q-b', 'q-A', 'q_1']) {
              const r = review(newCard(at(-30)), 'again', at(-30));
              await store.reviews.saveReview(ws, u, q, r.card, r.log, 'review');
            }
          }
          for (const c of ['Cb', 'CA', 'C_1', 'c0']) {
            await store.subscriptions.upsert({ ws, channel: c, time: '09:00', tz: 'UTC', track: null, by: 'UA', nextDaily: NOW, nextWeekly: NOW }, NOW);
          }
        }
        const reminders = (await store.reviews.dueReminders(NOW, 100)).map((l) => `${l.workspaceId}/${l.userId}`);
        const mock = await store.mocks.start('T-A', 'UA', 'aip-c01', ['q-b', 'q-A', 'q_1'], NOW, at(60));
        for (const q of ['q-b', 'q-A', 'q_1']) await store.mocks.answer(mock.id, q, [0], true, at(1));
        return {
          channels: (await store.subscriptions.inWorkspace('T-A')).map((s) => s.channelId),
          dueDaily: (await store.subscriptions.dueDaily(NOW, 100)).map((s) => `${s.workspaceId}/${s.channelId}`),
          reminders,
          dueCards: (await store.reviews.dueCards('T-A', 'UA', NOW, 10)).map((c) => c.questionId),
          cardsOf: (await store.reviews.cardsOf('T-A', 'UA')).map((c) => c.questionId),
          answers: (await store.mocks.answers(mock.id)).map((a) => a.questionId),
        };
      };
      const expected = await scenario(sqlite);
      expect(expected.channels).toEqual(['CA', 'C_1', 'Cb', 'c0']);
      expect(await scenario(postgres)).toEqual(expected);
    });
  });
});
