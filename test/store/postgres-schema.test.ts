/**
 * migrations/postgres/*.sql, applied in order, against the SQLite schema as the project's runner leaves it: the same tables and
 * columns, keys, foreign keys and indexes, and the same behaviour where it matters (a delivery is claimed once; deleting
 * a user cascades exactly as in SQLite). Runs on the run's real PostgreSQL server; skipped, saying why, without one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/sqlite/connection.js';
import { migrate } from '../../src/store/sqlite/migrate.js';
import { describeWithPostgres, freshDatabase, type FreshDatabase } from '../support/postgres.js';

const POSTGRES_MIGRATIONS = new URL('../../migrations/postgres/', import.meta.url);
/** Every PostgreSQL migration file, in the order they are applied (001, 002, …). */
const POSTGRES_FILES = readdirSync(POSTGRES_MIGRATIONS)
  .filter((f) => f.endsWith('.sql'))
  .sort();

type Row = Record<string, string | number | boolean | null>;
const sorted = <T>(items: T[]) => [...items].sort();
const key = (...parts: (string | string[])[]) => parts.map((p) => (Array.isArray(p) ? p.join(',') : p)).join(' ');

// ---- the SQLite side, read from a database migrated by the project's runner

function sqliteTables(db: Db): Map<string, string[]> {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name")
    .all() as { name: string }[];
  return new Map(names.map(({ name }) => [name, sorted((db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name))]));
}

/** Primary keys and unique constraints (not unique indexes created apart: those are compared as indexes). */
function sqliteKeys(db: Db): string[] {
  const keys: string[] = [];
  for (const table of sqliteTables(db).keys()) {
    const pk = (db.pragma(`table_info(${table})`) as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    keys.push(
      key(
        table,
        'primary',
        pk.map((c) => c.name),
      ),
    );
    for (const index of db.pragma(`index_list(${table})`) as { name: string; unique: number; origin: string }[]) {
      if (index.origin !== 'u') continue;
      keys.push(
        key(
          table,
          'unique',
          (db.pragma(`index_info(${index.name})`) as { name: string }[]).map((c) => c.name),
        ),
      );
    }
  }
  return sorted(keys);
}

function sqliteForeignKeys(db: Db): string[] {
  const keys: string[] = [];
  for (const table of sqliteTables(db).keys()) {
    const rows = db.pragma(`foreign_key_list(${table})`) as { id: number; table: string; from: string; to: string | null; on_delete: string }[];
    for (const id of new Set(rows.map((r) => r.id))) {
      const parts = rows.filter((r) => r.id === id);
      const first = parts[0]!;
      // A reference without columns means the parent's primary key, which is `id` wherever SQLite allows that here.
      keys.push(
        key(
          table,
          parts.map((p) => p.from),
          '->',
          first.table,
          parts.map((p) => p.to ?? 'id'),
          first.on_delete,
        ),
      );
    }
  }
  return sorted(keys);
}

/** Indexes created by CREATE INDEX: name, table, unique or not, partial or not. */
function sqliteIndexes(db: Db): string[] {
  const rows = db.prepare("SELECT name, tbl_name AS tbl, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").all() as {
    name: string;
    tbl: string;
    sql: string;
  }[];
  return sorted(rows.map((r) => key(r.name, r.tbl, /^CREATE UNIQUE/i.test(r.sql) ? 'unique' : 'plain', /\bWHERE\b/i.test(r.sql) ? 'partial' : 'full')));
}

// ---- the PostgreSQL side, read from the catalogue

async function postgresTables(client: pg.Client): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'`,
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  return new Map([...tables].sort(([a], [b]) => a.localeCompare(b)).map(([t, cols]) => [t, sorted(cols)]));
}

const CONSTRAINT_COLUMNS = `
  SELECT con.conname, con.contype, rel.relname AS tbl, ref.relname AS reftbl, con.confdeltype,
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS refcols
    FROM pg_constraint con
    JOIN pg_class rel ON rel.oid = con.conrelid
    LEFT JOIN pg_class ref ON ref.oid = con.confrelid
   WHERE rel.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`;

interface ConstraintRow {
  conname: string;
  contype: string;
  tbl: string;
  reftbl: string | null;
  confdeltype: string;
  cols: string[];
  refcols: string[];
}

async function postgresKeys(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<ConstraintRow>(`${CONSTRAINT_COLUMNS} AND con.contype IN ('p', 'u')`);
  return sorted(rows.map((r) => key(r.tbl, r.contype === 'p' ? 'primary' : 'unique', r.cols)));
}

const ON_DELETE: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

async function postgresForeignKeys(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<ConstraintRow>(`${CONSTRAINT_COLUMNS} AND con.contype = 'f'`);
  return sorted(rows.map((r) => key(r.tbl, r.cols, '->', r.reftbl ?? '?', r.refcols, ON_DELETE[r.confdeltype] ?? r.confdeltype)));
}

/**
 * Indexes not backing a primary key, unique or exclusion constraint (a foreign key names the unique index it
 * references, users_by_id for instance, which stays an index of its own, as in SQLite).
 */
async function postgresIndexes(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; tbl: string; indisunique: boolean; partial: boolean }>(
    `SELECT i.relname AS name, t.relname AS tbl, x.indisunique, x.indpred IS NOT NULL AS partial
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
  );
  return sorted(rows.map((r) => key(r.name, r.tbl, r.indisunique ? 'unique' : 'plain', r.partial ? 'partial' : 'full')));
}

// ---- one scenario, written once, run on both engines

const NOW = '2026-12-01T09:00:00.000Z';

/** Rows for two learners in one workspace, the first of whom has something in every table that refers to users. */
const SEED: [table: string, row: Row][] = [
  ['users', { workspace_id: 'T1', user_id: 'U1', created_at: NOW }],
  ['users', { workspace_id: 'T1', user_id: 'U2', created_at: NOW }],
  [
    'enrolments',
    { id: 1, workspace_id: 'T1', user_id: 'U1', track_id: 'devops', started_on: '2026-11-30', is_current: true, created_at: NOW, updated_at: NOW },
  ],
  [
    'enrolments',
    { id: 2, workspace_id: 'T1', user_id: 'U2', track_id: 'devops', started_on: '2026-11-30', is_current: true, created_at: NOW, updated_at: NOW },
  ],
  ['milestones_done', { enrolment_id: 1, week: 1, done_at: NOW }],
  ['milestones_done', { enrolment_id: 2, week: 1, done_at: NOW }],
  ['deliveries', { id: 1, workspace_id: 'T1', kind: 'daily_quiz', target: 'C1', period: '2026-12-01', due_at: NOW, status: 'sent', updated_at: NOW }],
  ['quiz_posts', { id: 1, workspace_id: 'T1', channel_id: 'C1', question_id: 'q1', delivery_id: 1, posted_at: NOW }],
  // Learners are numbered in the order they were added (users.id): U1 is 1, U2 is 2.
  ['quiz_answers', { learner: 1, question_id: 'q1', post_key: 1, quiz_post_id: 1, option_index: 0, correct: true, answered_at: NOW }],
  ['quiz_answers', { learner: 1, question_id: 'q2', post_key: 0, quiz_post_id: null, option_index: 1, correct: false, answered_at: NOW, response: '[1]' }],
  ['quiz_answers', { learner: 2, question_id: 'q1', post_key: 1, quiz_post_id: 1, option_index: 2, correct: false, answered_at: NOW }],
  ['quiz_team', { workspace_id: 'T1', channel_id: 'C1', user_id: 'U1' }],
  ['quiz_team', { workspace_id: 'T1', channel_id: 'C1', user_id: 'U2' }],
  ['points', { learner: 1, kind: 'channel_quiz', ref: '1', points: 10, channel_id: 'C1', earned_at: NOW }],
  ['points', { learner: 2, kind: 'milestone', ref: 'devops:1', points: 20, earned_at: NOW }],
  ['board_zones', { workspace_id: 'T1', zone: 'UTC' }],
  ['boards', { id: 1, workspace_id: 'T1', starts_at: NOW, ends_at: NOW }],
  ['board_points', { learner: 1, board_id: 1, points: 10 }],
  ['board_points', { learner: 2, board_id: 1, points: 20 }],
  ['study_days', { workspace_id: 'T1', user_id: 'U1', local_date: '2026-12-01' }],
  ['study_days', { workspace_id: 'T1', user_id: 'U2', local_date: '2026-12-01' }],
  ...(['U1', 'U2'] as const).flatMap((user): [string, Row][] => [
    [
      'memory_cards',
      {
        workspace_id: 'T1',
        user_id: user,
        question_id: 'q1',
        due_at: NOW,
        stability: 2.3065,
        difficulty: 2.11810397,
        elapsed_days: 0,
        scheduled_days: 0,
        learning_steps: 1,
        reps: 1,
        lapses: 0,
        state: 'learning',
        last_review_at: NOW,
        updated_at: NOW,
      },
    ],
    [
      'review_log',
      {
        workspace_id: 'T1',
        user_id: user,
        question_id: 'q1',
        source: 'channel_quiz',
        rating: 'good',
        state: 'new',
        due_at: NOW,
        stability: 0,
        difficulty: 0,
        elapsed_days: 0,
        last_elapsed_days: 0,
        scheduled_days: 0,
        learning_steps: 0,
        reviewed_at: NOW,
      },
    ],
  ]),
  ['mock_exams', { id: 1, workspace_id: 'T1', user_id: 'U1', cert: 'aip-c01', question_ids: '["q1","q2"]', started_at: NOW, ends_at: NOW }],
  ['mock_exams', { id: 2, workspace_id: 'T1', user_id: 'U2', cert: 'aip-c01', question_ids: '["q1"]', started_at: NOW, ends_at: NOW }],
  ['mock_answers', { mock_id: 1, question_id: 'q1', response: '[0]', correct: true, answered_at: NOW }],
  ['mock_answers', { mock_id: 2, question_id: 'q1', response: '[1]', correct: false, answered_at: NOW }],
];
const COUNTED = [
  'users',
  'enrolments',
  'milestones_done',
  'deliveries',
  'quiz_posts',
  'quiz_answers',
  'quiz_team',
  'points',
  'board_zones',
  'boards',
  'board_points',
  'study_days',
  'memory_cards',
  'review_log',
  'mock_exams',
  'mock_answers',
];

/** Instants SQLite keeps as integer milliseconds (migration 014) rather than ISO-8601 text. */
const SQLITE_MILLISECONDS = new Set(['quiz_answers.answered_at', 'points.earned_at', 'boards.starts_at', 'boards.ends_at']);

function cascadeOnSqlite(db: Db): Record<string, number> {
  for (const [table, row] of SEED) {
    const cols = Object.keys(row);
    const values = Object.entries(row).map(([col, v]) =>
      typeof v === 'boolean' ? Number(v) : SQLITE_MILLISECONDS.has(`${table}.${col}`) && typeof v === 'string' ? Date.parse(v) : v,
    );
    db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
  }
  db.prepare("DELETE FROM users WHERE workspace_id = 'T1' AND user_id = 'U1'").run();
  return Object.fromEntries(COUNTED.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

async function cascadeOnPostgres(client: pg.Client): Promise<Record<string, number>> {
  await client.query('BEGIN');
  try {
    for (const [table, row] of SEED) {
      const cols = Object.keys(row);
      await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    }
    await client.query("DELETE FROM users WHERE workspace_id = 'T1' AND user_id = 'U1'");
    const counts: Record<string, number> = {};
    for (const t of COUNTED) counts[t] = Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0]!.n);
    return counts;
  } finally {
    await client.query('ROLLBACK');
  }
}

describeWithPostgres(`the PostgreSQL schema (migrations/postgres: ${POSTGRES_FILES.join(', ')})`, (serverUrl) => {
  let database: FreshDatabase;
  let client: pg.Client;
  let sqlite: Db;

  beforeAll(async () => {
    database = await freshDatabase(serverUrl, 'schema');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    for (const file of POSTGRES_FILES) await client.query(readFileSync(new URL(file, POSTGRES_MIGRATIONS), 'utf8'));
    sqlite = openDatabase(':memory:');
    migrate(sqlite);
  });

  afterAll(async () => {
    sqlite?.close();
    await client?.end();
    await database?.drop();
  });

  it('has every table of the SQLite schema, with the same column names, and no other', async () => {
    expect(Object.fromEntries(await postgresTables(client))).toEqual(Object.fromEntries(sqliteTables(sqlite)));
  });

  it('has the same primary keys and unique constraints', async () => {
    expect(await postgresKeys(client)).toEqual(sqliteKeys(sqlite));
  });

  it('has the same foreign keys, with the same ON DELETE behaviour', async () => {
    expect(await postgresForeignKeys(client)).toEqual(sqliteForeignKeys(sqlite));
  });

  it('has the same indexes, unique and partial where SQLite has them so', async () => {
    expect(await postgresIndexes(client)).toEqual(sqliteIndexes(sqlite));
  });

  it('claims a delivery once: a second claim for the same workspace, kind, target and period is refused', async () => {
    const claim = (period: string) =>
      client.query(
        `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, updated_at)
         VALUES ('T9', 'weekly_nudge', 'U1', $1, $2, 'claimed', 'host:1:1', $2, $2)`,
        [period, NOW],
      );
    await client.query('BEGIN');
    try {
      await claim('2026-W49');
      await expect(claim('2026-W49')).rejects.toMatchObject({ code: '23505', constraint: 'deliveries_workspace_id_kind_target_period_key' });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await claim('2026-W49');
      const again = await client.query(
        `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, updated_at)
         VALUES ('T9', 'weekly_nudge', 'U1', '2026-W49', $1, 'claimed', $1)
         ON CONFLICT (workspace_id, kind, target, period) DO NOTHING RETURNING id`,
        [NOW],
      );
      expect(again.rowCount).toBe(0);
      await claim('2026-W50');
      const { rows } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM deliveries WHERE workspace_id = 'T9'");
      expect(Number(rows[0]!.n)).toBe(2);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it("deletes a user's rows in every table that refers to users, exactly as SQLite does", async () => {
    const expected = cascadeOnSqlite(sqlite);
    expect(expected).toEqual({
      users: 1,
      enrolments: 1,
      milestones_done: 1,
      deliveries: 1,
      quiz_posts: 1,
      quiz_answers: 1,
      quiz_team: 1,
      points: 1,
      board_zones: 1,
      boards: 1,
      board_points: 1,
      study_days: 1,
      memory_cards: 1,
      review_log: 1,
      mock_exams: 1,
      mock_answers: 1,
    });
    expect(await cascadeOnPostgres(client)).toEqual(expected);
  });
});
