/**
 * What PostgreSQL tests use: the URL of the run's server (started by test/support/postgres-server.ts, the vitest
 * globalSetup, and handed over with provide/inject), a describe that skips with a plain reason when there is no server,
 * and a fresh database per test file.
 */
import { randomBytes } from 'node:crypto';
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
