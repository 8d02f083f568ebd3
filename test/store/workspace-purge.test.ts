/**
 * `workspaces.purge`, checked from below the port on both engines: the schema read from the database itself, so that
 * a table added later (with a workspace_id column, or hanging off one) fails here until purge knows it
 * (src/store/workspace-tables.ts), and the rows counted table by table after a purge. The behaviour through the port
 * is in the contract suite (test/store/contract/store-contract.ts).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { EXPIRED_SQL as POSTGRES_EXPIRED_SQL } from '../../src/store/postgres/installations.js';
import { EXPIRED_SQL as SQLITE_EXPIRED_SQL } from '../../src/store/sqlite/installations.js';
import { CASCADED_TABLES, UNSCOPED_TABLES, WORKSPACE_TABLES } from '../../src/store/workspace-tables.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { seedWorkspace } from './contract/workspace-seed.js';

const NOW = new Date('2026-12-01T09:00:00.000Z');
const GONE = 'T0GONE';
const KEPT = 'E0GRID:T0KEPT';

/** What the test reads with plain SQL: every table and its columns, and row counts. */
interface RawDatabase {
  tables(): Promise<Map<string, string[]>>;
  count(table: string, ws?: string): Promise<number>;
  /** The plan of the retention purge's query (the one every scheduler pass runs), as one string. */
  expiredPlan(): Promise<string>;
}

function purgeSuite(open: () => Promise<{ store: Store; raw: RawDatabase; close(): Promise<void> }>) {
  let store: Store;
  let raw: RawDatabase;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, raw, close } = await open());
  });
  afterEach(async () => {
    await close();
  });

  it('knows every table of the schema: those with a workspace_id column, and those that hang off one', async () => {
    const tables = await raw.tables();
    tables.delete('schema_migrations');
    for (const table of UNSCOPED_TABLES) tables.delete(table);
    const withWorkspace = [...tables].filter(([, columns]) => columns.includes('workspace_id')).map(([name]) => name);
    const without = [...tables.keys()].filter((name) => !withWorkspace.includes(name));
    expect(withWorkspace.sort()).toEqual([...WORKSPACE_TABLES].sort());
    expect(without.sort()).toEqual([...CASCADED_TABLES].sort());
  });

  it('finds expired installations through the partial index: a pass with none inactive reads no row', async () => {
    for (let i = 0; i < 50; i++) await seedInstallation(store, `T0ACTIVE${i}`);
    expect(await raw.expiredPlan()).toMatch(/installations_inactive/);
  });

  it('leaves no row of the purged workspace in any table and every row of the other', async () => {
    await seedWorkspace(store, GONE, NOW);
    await seedWorkspace(store, KEPT, NOW);
    const kept = new Map<string, number>();
    for (const table of WORKSPACE_TABLES) {
      expect(await raw.count(table, GONE), `${table} seeded`).toBeGreaterThan(0);
      kept.set(table, await raw.count(table, KEPT));
      expect(kept.get(table), `${table} seeded`).toBeGreaterThan(0);
    }
    const cascaded = new Map<string, number>();
    for (const table of CASCADED_TABLES) cascaded.set(table, await raw.count(table));

    await store.workspaces.purge(GONE);

    for (const table of WORKSPACE_TABLES) {
      expect(await raw.count(table, GONE), table).toBe(0);
      expect(await raw.count(table, KEPT), table).toBe(kept.get(table));
    }
    // Both workspaces were seeded alike: the other's half of each cascaded table is what is left.
    for (const table of CASCADED_TABLES) expect(await raw.count(table), table).toBe(cascaded.get(table)! / 2);
  });
}

const logger = createLogger('error');

const seedInstallation = (store: Store, ws: string) =>
  store.installations.save({
    workspaceId: ws,
    teamId: ws,
    enterpriseId: null,
    isEnterpriseInstall: false,
    teamName: null,
    botUserId: 'U0BOT',
    botId: null,
    scopes: [],
    installerUserId: 'U0INSTALLER',
    tokenCiphertext: 'v1.00000000.sealed',
    installedAt: NOW,
  });

describe('workspace purge on SQLite', () => {
  purgeSuite(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aipath-purge-'));
    const path = join(dir, 'aipath.db');
    const store = await openStore(path, logger);
    const db = new Database(path, { readonly: true });
    const raw: RawDatabase = {
      async tables() {
        const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
        return new Map(names.map(({ name }) => [name, (db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name)]));
      },
      async count(table, ws) {
        const sql = `SELECT COUNT(*) AS n FROM ${table}${ws === undefined ? '' : ' WHERE workspace_id = ?'}`;
        return (db.prepare(sql).get(...(ws === undefined ? [] : [ws])) as { n: number }).n;
      },
      async expiredPlan() {
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${SQLITE_EXPIRED_SQL}`).all(NOW.toISOString()) as { detail: string }[];
        return rows.map((r) => r.detail).join('; ');
      },
    };
    return {
      store,
      raw,
      async close() {
        db.close();
        await store.database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describeWithPostgres('workspace purge on PostgreSQL', (serverUrl) => {
  purgeSuite(async () => {
    const database = await freshDatabase(serverUrl, 'purge');
    const store = await openStore(database.url, logger);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const raw: RawDatabase = {
      async tables() {
        const { rows } = await client.query<{ table_name: string; column_name: string }>(
          'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
        );
        const tables = new Map<string, string[]>();
        for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
        return tables;
      },
      async count(table, ws) {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table}${ws === undefined ? '' : ' WHERE workspace_id = $1'}`,
          ws === undefined ? [] : [ws],
        );
        return Number(rows[0]!.n);
      },
      async expiredPlan() {
        // A table this small is read whole whatever its indexes; with sequential scans priced out, the plan shows
        // whether the partial index can answer the query at all.
        await client.query('SET enable_seqscan = off');
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${POSTGRES_EXPIRED_SQL}`, [NOW]);
        await client.query('RESET enable_seqscan');
        return rows.map((r) => r['QUERY PLAN']).join('; ');
      },
    };
    return {
      store,
      raw,
      async close() {
        await client.end();
        await store.database.close();
        await database.drop();
      },
    };
  });
});
