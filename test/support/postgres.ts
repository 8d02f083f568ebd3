/**
 * What PostgreSQL tests use: the URL of the run's server (started by test/support/postgres-server.ts, the vitest
 * globalSetup, and handed over with provide/inject), a describe that skips with a plain reason when there is no server,
 * a fresh database per test file, and the engine choice of the integration suites (testEngine, testDatabase, onPostgres).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject, it } from 'vitest';

/** The URL of the `aipath_test` database on the run's PostgreSQL server, or undefined when the suite is skipped. */
export function postgresUrl(): string | undefined {
  const url = inject('postgresUrl');
  if (!url && process.env.AIPATH_REQUIRE_POSTGRES === '1') {
    throw new Error('AIPATH_REQUIRE_POSTGRES=1 but no PostgreSQL server was provided: is test/support/postgres-server.ts the globalSetup?');
  }
  return url;
}

/**
 * `describe` when the run has a PostgreSQL server (the body gets the server's URL), otherwise `describe.skip` with one
 * skipped test whose name says why, so the report shows the reason rather than silence.
 */
export function describeWithPostgres(name: string, body: (serverUrl: string) => void): void {
  const url = postgresUrl();
  if (url) {
    describe(name, () => body(url));
  } else {
    describe.skip(name, () => {
      it(inject('postgresSkipReason') ?? 'no PostgreSQL server: the PostgreSQL suite is skipped', () => {});
    });
  }
}

export interface FreshDatabase {
  /** URL of the new, empty database. */
  url: string;
  /** Drops it (closing any connection still open to it). */
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named, empty database on the server at `serverUrl` (for one test file, or one test), so files
 * running in parallel never see each other's rows. `label` only makes the name easier to recognise.
 */
export async function freshDatabase(serverUrl: string, label = 'test'): Promise<FreshDatabase> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  const name = `aipath_${slug}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}

// ---------- which engine an integration suite runs on

export type TestEngine = 'sqlite' | 'postgres';

/**
 * The engine the integration suites (test/support/harness.ts, test/support/scheduler-world.ts) run on when a test does
 * not say: AIPATH_TEST_ENGINE (`sqlite`, the default, or `postgres`). test/engines/*.test.ts set it to run a suite on
 * PostgreSQL; `AIPATH_TEST_ENGINE=postgres npx vitest run test/slack` runs them all there.
 */
export function testEngine(): TestEngine {
  const engine = (process.env.AIPATH_TEST_ENGINE ?? '').trim().toLowerCase() || 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`AIPATH_TEST_ENGINE must be sqlite or postgres (got "${engine}")`);
  return engine;
}

export interface TestDatabaseHandle {
  engine: TestEngine;
  /** What AIPATH_DB is set to: a SQLite file in a temporary folder, or the URL of a fresh PostgreSQL database. */
  path: string;
  /** Throws it away (the folder, or the database with any connection still open to it). */
  drop(): Promise<void>;
}

/** A new, empty database for one test app or scheduler world on `engine` (PostgreSQL: the run's server must be up). */
export async function testDatabase(engine: TestEngine, label: string): Promise<TestDatabaseHandle> {
  if (engine === 'postgres') {
    const server = postgresUrl();
    if (!server) throw new Error(`${label}: the PostgreSQL engine was asked for, but this run has no PostgreSQL server (${inject('postgresSkipReason')})`);
    const db = await freshDatabase(server, label);
    return { engine, path: db.url, drop: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), `aipath-${label}-`));
  return { engine, path: join(dir, 'aipath.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs an integration suite written for the default engine on PostgreSQL, in this test file's own worker: sets
 * AIPATH_TEST_ENGINE=postgres, then imports the suite, whose tests register here. Without a server, one skipped test
 * whose name says why. Used by test/engines/*.test.ts, one file per suite, so that vitest spreads them over workers.
 */
export async function onPostgres(suite: string, load: () => Promise<unknown>): Promise<void> {
  if (!postgresUrl()) {
    describe.skip(`${suite} on PostgreSQL`, () => {
      it(inject('postgresSkipReason') ?? 'no PostgreSQL server: the PostgreSQL suite is skipped', () => {});
    });
    return;
  }
  process.env.AIPATH_TEST_ENGINE = 'postgres';
  await load();
}
