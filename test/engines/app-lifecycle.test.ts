/**
 * The running app's life on each engine: a graceful stop finishes the requests under way (a command acknowledged
 * with a holding reply still writes its answer and sends it) and only then closes the database (on PostgreSQL: the
 * pool ends, no connection left on the server); and /healthz on PostgreSQL names the engine, shows the pool, never
 * the password, and fails while the server refuses connections. The PostgreSQL cases are skipped, saying why,
 * without a server.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Repositories } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';
import { SECRET, startTestApp, TEAM, type TestApp } from '../support/harness.js';
import { describeWithPostgres, type FreshDatabase, freshDatabase, type TestEngine } from '../support/postgres.js';

const quiet = createLogger('error');
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Connections the app (application_name aipath) holds on the test database, seen from another session. */
async function appConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'aipath-test-watch' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'aipath'",
    );
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

function gracefulStop(engine: TestEngine) {
  it('stop() waits for a command under way (acknowledged at once, then a holding reply) to write and answer, then closes the database', {
    timeout: 30_000,
  }, async () => {
    const t: TestApp = await startTestApp({}, { engine });
    cleanup.push(() => t.close());
    const { store } = t.app.services;
    // The command's transaction waits at a gate the test opens: the command is acknowledged at once, a holding
    // reply follows by response_url, and its answer is still to be written when stop() is called.
    let reached = () => {};
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const transaction = store.transaction.bind(store);
    store.transaction = async <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => {
      reached();
      await gate;
      return transaction(work);
    };

    const res = await t.command('start devops', { user: 'U0DRAIN001' });
    await atGate;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await expect
      .poll(() => t.fake.callsOf('response_url').some((c) => String(c.params.text).includes('waiting for its database')), { timeout: 5000 })
      .toBe(true);

    let stopped = false;
    const stopping = t.app.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stopped).toBe(false); // still draining: the answer is not written yet
    if (engine === 'postgres') expect(await appConnections(t.dbPath)).toBeGreaterThan(0);
    open();
    await stopping;

    // The answer was written and sent (by response_url) before the database closed …
    expect(t.fake.callsOf('response_url').some((c) => String(c.params.text).includes('Week 1'))).toBe(true);
    const reopened = await openStore(t.dbPath, quiet);
    try {
      expect((await reopened.enrolments.current(TEAM, 'U0DRAIN001'))?.trackId).toBe('devops');
    } finally {
      await reopened.database.close();
    }
    // … and then it was closed: on PostgreSQL the pool has ended and no connection of the app is left.
    if (engine === 'postgres') {
      expect(await store.database.health()).toEqual({ ok: false, detail: 'the database connection pool is closed' });
      expect(await appConnections(t.dbPath)).toBe(0);
    }
    await expect(store.users.get(TEAM, 'U0DRAIN001')).rejects.toThrow();
  });
}

describe('graceful stop on SQLite', () => {
  gracefulStop('sqlite');
});

describeWithPostgres('on PostgreSQL', (serverUrl) => {
  describe('graceful stop', () => {
    gracefulStop('postgres');
  });

  describe('/healthz', () => {
    it('names the engine and the database without its password, reports the pool, and fails while the server refuses connections', {
      timeout: 30_000,
    }, async () => {
      const db: FreshDatabase = await freshDatabase(serverUrl, 'healthz');
      cleanup.push(() => db.drop());
      // The test server trusts local connections, so a password in the URL is accepted and never needed.
      const withPassword = new URL(db.url);
      withPassword.password = 'S3cret-pw';
      const fake = await new ScriptableFakeSlack().start();
      cleanup.push(() => fake.stop());
      const app = await startApp(
        loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, AIPATH_DB: withPassword.toString() }),
        { logger: quiet, host: '127.0.0.1', port: 0, startCron: false },
      );
      cleanup.push(() => app.stop());
      const healthz = async () => {
        const res = await fetch(`http://127.0.0.1:${app.port}/healthz`);
        const text = await res.text();
        expect(text).not.toContain('S3cret');
        return { status: res.status, body: JSON.parse(text) as { status: string; database: { engine: string; path: string; state: string; detail: string } } };
      };

      const ok = await healthz();
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('ok');
      expect(ok.body.database).toMatchObject({ engine: 'postgres', path: `postgres://postgres@${withPassword.host}${withPassword.pathname}`, state: 'ok' });
      expect(ok.body.database.detail).toMatch(/^ok; pool: \d+\/10 connections, \d+ idle, 0 waiting$/);

      // The server stops taking connections to the database and ends the ones open: the data cannot be read.
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      const name = withPassword.pathname.slice(1);
      try {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        const failing = await healthz();
        expect(failing.status).toBe(503);
        expect(failing.body.status).toBe('failing');
        expect(failing.body.database.state).toBe('failing');
        expect(failing.body.database.detail).toMatch(/pool: \d+\/10 connections/);
      } finally {
        await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      // Once it takes connections again, the pool opens new ones and /healthz says so.
      await expect.poll(async () => (await healthz()).status, { timeout: 10_000 }).toBe(200);
    });
  });
});
