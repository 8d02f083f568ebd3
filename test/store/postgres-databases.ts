/**
 * Databases for the PostgreSQL store tests on the run's server: created with options (a collation), emptied
 * between tests, dropped at the end. test/support/postgres.ts's freshDatabase covers the plain case.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** CREATE DATABASE options for a database whose default collation is ICU's en-US (not bytewise, unlike "C"). */
export const ICU_EN_US = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'";

export interface TestDatabase {
  url: string;
  /** Deletes every row of every table but schema_migrations (foreign keys are not checked meanwhile). */
  empty(): Promise<void>;
  drop(): Promise<void>;
}

export async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A URL for database `name` on the server at `serverUrl`, with what else `change` sets (a password, options). */
export function databaseUrl(serverUrl: string, name: string, change: (u: URL) => void = () => {}): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  change(url);
  return url.toString();
}

export const uniqueName = (label: string) => `aipath_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;

export async function createDatabase(serverUrl: string, label: string, options = ''): Promise<TestDatabase> {
  const name = uniqueName(label);
  await onDatabase(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" ${options}`));
  const url = databaseUrl(serverUrl, name);
  let cleaner: pg.Client | undefined;
  return {
    url,
    async empty() {
      if (!cleaner) {
        cleaner = new pg.Client({ connectionString: url });
        await cleaner.connect();
        // A superuser's session (the test server's `postgres`) may skip foreign-key triggers, so the order of
        // the deletes does not matter; DELETE on these small tables is far quicker than TRUNCATE.
        await cleaner.query('SET session_replication_role = replica');
      }
      const { rows } = await cleaner.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
      );
      await cleaner.query(rows.map((r) => `DELETE FROM ${r.name};`).join('\n'));
    },
    async drop() {
      await cleaner?.end().catch(() => {});
      await onDatabase(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
