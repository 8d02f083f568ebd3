/**
 * The throwaway PostgreSQL server of the benchmarks that compare engines (engines, due-set): started with
 * test/support/postgres-server.ts (Debian's binaries, run as the postgres user when we are root, fsync off) and stopped
 * at the end; without binaries, `skipped` says why and the PostgreSQL columns stay empty.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { FreshDatabase } from '../test/support/postgres.js';
import startPostgresServer from '../test/support/postgres-server.js';

export interface BenchServer {
  url?: string;
  skipped?: string;
  version?: string;
  stop(): Promise<void>;
}

/** Starts a server with test/support/postgres-server.ts (its vitest globalSetup, handed a stand-in for provide). */
export async function startBenchServer(): Promise<BenchServer> {
  const provided: { postgresUrl?: string; postgresSkipReason?: string } = {};
  const project = { provide: (key: keyof typeof provided, value: string) => (provided[key] = value) } as unknown as TestProject;
  const teardown = await startPostgresServer(project);
  const stop = async () => {
    await teardown?.();
  };
  if (!provided.postgresUrl) return { skipped: provided.postgresSkipReason ?? 'no PostgreSQL server', stop };
  const version = await withClient(provided.postgresUrl, async (c) => {
    const { rows } = await c.query<{ v: string }>("SELECT 'PostgreSQL ' || current_setting('server_version') AS v");
    return rows[0]!.v;
  });
  return { url: provided.postgresUrl, version, stop };
}

/** One plain client on `url` for `work`, closed afterwards (seeding, plans and counts no port offers). */
export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh copy of a seeded database: CREATE DATABASE … TEMPLATE (a file copy; no connection may be open to it). */
export async function freshCopy(serverUrl: string, template: string, label: string): Promise<FreshDatabase> {
  const name = `${template}_${label}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}) };
}
