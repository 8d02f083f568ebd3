/**
 * `npm run bench -- due-set`: one scheduler pass over 100,000 enrolled learners in 30 timezones and 200 workspaces,
 * SQLite and PostgreSQL side by side in one run, each figure next to issue 15's goal:
 *
 * (a) a pass with nothing due (a few seconds before London's Monday 09:00), median of many;
 * (b) the pass when one timezone falls due (London, 3,333 learners): the claim phase (from the start of the pass to the
 *     commit of its last claim transaction), broken down by store method, and the whole pass with delivery to a fake
 *     Slack that does not pace;
 * (c) a pass of 10,000 or more deliveries (four more timezones due later the same day): the longest the event loop was
 *     blocked (monitorEventLoopDelay), and its claim phase; its store calls are not timed one by one, so the timing's own
 *     garbage does not add to the pauses it measures.
 *
 * Every learner also has a finished practice exam, and one in a hundred a running one whose time ends after the last
 * measured pass: the exams whose time is up are a due set of their own (mock-time-up), looked up by every pass.
 *
 * SQLite is seeded through the ports in one transaction; PostgreSQL in bulk (INSERT … SELECT FROM generate_series on a
 * separate connection, checked row for row against the ports' seed on 60 learners). Every round works on a fresh copy
 * of the seed (a file copy; CREATE DATABASE … TEMPLATE). The PostgreSQL server is a throwaway one
 * (bench/pg-server.ts); without it the PostgreSQL column says why it is empty.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { nextWeeklyAt } from '../src/domain/due.js';
import { createLogger } from '../src/log.js';
import { migrateDatabase } from '../src/store/open.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { DUE_NUDGE_COLUMNS as SQLITE_DUE_NUDGE_COLUMNS } from '../src/store/sqlite/enrolments.js';
import { DUE_NUDGE_COLUMNS as POSTGRES_DUE_NUDGE_COLUMNS } from '../src/store/postgres/enrolments.js';
import { type FreshDatabase, freshDatabase } from '../test/support/postgres.js';
import { describeCalls, timeDuePass } from './due-pass.js';
import { benchContainer } from './fanout.js';
import { type FakeSlackProcess, startFakeSlackProcess } from './fake-slack-process.js';
import { type BenchServer, freshCopy, startBenchServer, withClient } from './pg-server.js';
import { median, percentile } from './support.js';

/** 30 IANA zones whose local Monday 09:00 falls at 30 distinct UTC instants in late November 2026. */
export const ZONES = [
  'Pacific/Kiritimati',
  'Pacific/Auckland',
  'Pacific/Fiji',
  'Pacific/Noumea',
  'Australia/Adelaide',
  'Australia/Brisbane',
  'Australia/Darwin',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Bangkok',
  'Asia/Yangon',
  'Asia/Dhaka',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Karachi',
  'Asia/Kabul',
  'Asia/Dubai',
  'Asia/Tehran',
  'Europe/Moscow',
  'Africa/Cairo',
  'Europe/Berlin',
  'Europe/London',
  'America/Sao_Paulo',
  'America/St_Johns',
  'America/Halifax',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Anchorage',
];
const TRACKS = ['architect', 'cloud-engineer', 'developer', 'devops', 'ml', 'platform', 'practitioner', 'support'];
const STARTED_ON = ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'];

/**
 * The figures this benchmark printed for the code before the due times moved to a table of their own (main at
 * a59226a, the due times on enrolments), printed beside today's: the schema differs, so the two cannot run in one
 * process. Measured the same way, the same evening, on the same machine; run the baseline again (a checkout of
 * a59226a, `npm run bench -- due-set`) beside this one for a comparison under the same load.
 */
const BASELINE: { source: string; sqlite: Figures; pg: Figures } = {
  source: 'main at a59226a (due times on enrolments), this benchmark, 2026-12-01 23:54 UTC, load average 3.7 at the start and 5.2 at the end',
  sqlite: {
    quietMedian: 0.04,
    quietP95: 0.14,
    claim: 133,
    one500: 3.82,
    total: 6_744,
    blocked: 35,
    blockedOwn: 39,
    big: { blocked: 65, blockedOwn: 55, claim: 548, total: 26_890 },
  },
  pg: {
    quietMedian: 0.2,
    quietP95: 0.31,
    claim: 205,
    one500: 3.29,
    total: 14_663,
    blocked: 38,
    blockedOwn: 29,
    big: { blocked: 47, blockedOwn: 21, claim: 806, total: 54_981 },
  },
};
/** The figures of a summary row, those of a baseline included (which may lack some). */
type Figures = Partial<Omit<DueFigures, 'big'>> & { big?: Partial<NonNullable<DueFigures['big']>> };

/** Issue 15's goals for a pass. */
export const PASS_GOALS = { quietMs: 1, claimMs: 200, blockedMs: 50, bigDeliveries: 10_000 };

/**
 * Practice exams in the seed, so that a pass's look-up of the exams whose time is up (the mock-time-up due set) reads a
 * realistic table: every learner has a finished exam (what the partial index mock_exams_time_up leaves out), and one in
 * MOCK_RUNNING_EVERY has one running, whose time ends after the last measured pass (none falls due while measured).
 */
const MOCK_RUNNING_EVERY = 100;
const MOCK_QUESTIONS = JSON.stringify(['q-1', 'q-2', 'q-3']);

const DUE_ZONE = 'Europe/London';
/** The measured instant: London's Monday 09:00. */
export const DUE_AT = nextWeeklyAt(new Date('2026-11-18T00:00:00Z'), DUE_ZONE, '09:00').toJSDate();
/** Seeded "as of" a minute before: every zone already past its Monday 09:00 is on next week, as earlier passes left it. */
const FROM = new Date(DUE_AT.getTime() - 60_000);
const QUIET_AT = new Date(DUE_AT.getTime() - 30_000);
const nextByZone = ZONES.map((tz) => nextWeeklyAt(FROM, tz, '09:00').toJSDate());
/** (c): 30 s after the fourth zone west of London reaches its Monday 09:00 (São Paulo, St John's, Halifax, New York). */
const BIG_AT = new Date(
  [...nextByZone]
    .sort((a, b) => a.getTime() - b.getTime())
    .filter((d) => d > DUE_AT)[3]!
    .getTime() + 30_000,
);

/** The seed's finished exams (two days before) and running ones (ending an hour and a half after BIG_AT). */
const MOCK_FINISHED = { startedAt: new Date(FROM.getTime() - 2 * 86_400_000), endsAt: new Date(FROM.getTime() - 2 * 86_400_000 + 90 * 60_000) };
const MOCK_RUNNING = { startedAt: new Date(BIG_AT.getTime()), endsAt: new Date(BIG_AT.getTime() + 90 * 60_000) };

const quiet = createLogger('error');
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 0)} ms` : '-');
const mark = (ok: boolean) => (ok ? ' ✓' : ' ✗');

export interface DueSetSize {
  learners: number;
  workspaces: number;
  /** Rounds of (a) and (b), each on a fresh copy. */
  rounds: number;
  quietRuns: number;
  /** Rounds of which (c) also runs, after (b), on the same copy. */
  bigRounds: number;
}
export const DUE_SET_FULL: DueSetSize = { learners: 100_000, workspaces: 200, rounds: 3, quietRuns: 21, bigRounds: 1 };

export interface DueFigures {
  quietMedian: number;
  quietP95: number;
  due: number;
  claim: number;
  total: number;
  blocked: number;
  /** The same, less the time the process waited for a CPU (see OwnDelayWatch in bench/due-pass.ts). */
  blockedOwn: number | undefined;
  one500: number;
  /** The claim phase of the median round, by store method. */
  breakdown: string;
  big?: { due: number; claim: number; total: number; blocked: number; blockedOwn: number | undefined };
}

/** How many of `learners` fall due at `at` after the (b) pass (the seed's zone rotation). */
const dueBetween = (learners: number, after: Date, upTo: Date) =>
  Array.from({ length: ZONES.length }, (_, z) => z)
    .filter((z) => nextByZone[z]! > after && nextByZone[z]! <= upTo)
    .reduce((n, z) => n + Math.floor(learners / ZONES.length) + (z < learners % ZONES.length ? 1 : 0), 0);

// ---------- seeding

const learnerOf = (i: number, workspaces: number): [string, string] => [`T0B${String(i % workspaces).padStart(5, '0')}`, `U0B${String(i).padStart(7, '0')}`];

/** `learners` learners through the ports in one transaction (the SQLite seed; on PostgreSQL only to check the bulk seed). */
async function seedThroughPorts(db: string, learners: number, workspaces: number): Promise<void> {
  const c = await buildContainer(loadConfig({ AIPATH_DB: db }), { logger: quiet });
  try {
    await c.services.store.transaction(async ({ users, enrolments }) => {
      for (let i = 0; i < learners; i++) {
        const ws = `T0B${String(i % workspaces).padStart(5, '0')}`;
        const user = `U0B${String(i).padStart(7, '0')}`;
        const tz = ZONES[i % ZONES.length]!;
        await users.ensure(ws, user, FROM);
        await users.setTzOverride(ws, user, tz);
        const { enrolment } = await enrolments.switchTo(ws, user, TRACKS[i % TRACKS.length]!, STARTED_ON[i % STARTED_ON.length]!, FROM);
        await enrolments.setNextNudge(enrolment.id, nextByZone[i % ZONES.length]!);
      }
    });
    await c.services.store.transaction(async ({ mocks }) => {
      // All the finished exams first, then the running ones: the ids come out as the bulk seed's.
      for (let i = 0; i < learners; i++) {
        const m = await mocks.start(...learnerOf(i, workspaces), 'aif-c01', JSON.parse(MOCK_QUESTIONS), MOCK_FINISHED.startedAt, MOCK_FINISHED.endsAt);
        await mocks.finish(m.id, MOCK_FINISHED.endsAt);
      }
      for (let i = 0; i < learners; i += MOCK_RUNNING_EVERY)
        await mocks.start(...learnerOf(i, workspaces), 'aif-c01', JSON.parse(MOCK_QUESTIONS), MOCK_RUNNING.startedAt, MOCK_RUNNING.endsAt);
    });
    // Empties the write-ahead log into the file (wal_checkpoint(TRUNCATE) in SQLite).
    await c.services.store.database.purgeDeleted();
  } finally {
    await c.close();
  }
}

/** The same rows in two statements on a separate connection, after the schema is migrated; then VACUUM ANALYZE. */
export async function seedInBulk(url: string, learners: number, workspaces: number): Promise<void> {
  await migrateDatabase(url);
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO users (workspace_id, user_id, created_at, tz_override)
       SELECT 'T0B' || lpad((i % $2)::text, 5, '0'), 'U0B' || lpad(i::text, 7, '0'), $3, ($4::text[])[i % $5 + 1]
       FROM generate_series(0, $1 - 1) AS i ORDER BY i`,
      [learners, workspaces, FROM, ZONES, ZONES.length],
    );
    await c.query(
      `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at)
       SELECT 'T0B' || lpad((i % $2)::text, 5, '0'), 'U0B' || lpad(i::text, 7, '0'), ($4::text[])[i % $5 + 1], ($6::text[])[i % $7 + 1],
              'active', true, $3, $3
       FROM generate_series(0, $1 - 1) AS i ORDER BY i`,
      [learners, workspaces, FROM, TRACKS, TRACKS.length, STARTED_ON, STARTED_ON.length],
    );
    // Each enrolment's row of due times was made by a trigger (PostgreSQL 015); its weekly nudge, by the learner's number.
    await c.query(
      `UPDATE enrolment_nudges n SET next_nudge_at = ($1::timestamptz[])[substr(e.user_id, 4)::int % $2 + 1]
       FROM enrolments e WHERE e.id = n.enrolment_id`,
      [nextByZone, ZONES.length],
    );
    await c.query(
      `INSERT INTO mock_exams (workspace_id, user_id, cert, question_ids, started_at, ends_at, finished_at)
       SELECT 'T0B' || lpad((i % $2)::text, 5, '0'), 'U0B' || lpad(i::text, 7, '0'), 'aif-c01', $3, $4, $5, $5
       FROM generate_series(0, $1 - 1) AS i ORDER BY i`,
      [learners, workspaces, MOCK_QUESTIONS, MOCK_FINISHED.startedAt, MOCK_FINISHED.endsAt],
    );
    await c.query(
      `INSERT INTO mock_exams (workspace_id, user_id, cert, question_ids, started_at, ends_at)
       SELECT 'T0B' || lpad((i % $2)::text, 5, '0'), 'U0B' || lpad(i::text, 7, '0'), 'aif-c01', $3, $4, $5
       FROM generate_series(0, $1 - 1, $6) AS i ORDER BY i`,
      [learners, workspaces, MOCK_QUESTIONS, MOCK_RUNNING.startedAt, MOCK_RUNNING.endsAt, MOCK_RUNNING_EVERY],
    );
    await c.query('COMMIT');
    // What autovacuum would have done to tables loaded this size before the first pass looks at them.
    await c.query('VACUUM (ANALYZE) users, enrolments, enrolment_nudges, mock_exams');
  });
}

/** The bulk seed and the ports' seed of `learners` learners hold the same rows, column for column. */
async function checkBulkSeed(serverUrl: string, learners: number): Promise<void> {
  const a = await freshDatabase(serverUrl, 'bench_seed_ports');
  const b = await freshDatabase(serverUrl, 'bench_seed_bulk');
  try {
    await seedThroughPorts(a.url, learners, 7);
    await seedInBulk(b.url, learners, 7);
    const dump = (url: string) =>
      withClient(url, async (c) =>
        JSON.stringify([
          (await c.query('SELECT * FROM users ORDER BY workspace_id, user_id')).rows,
          (await c.query('SELECT * FROM enrolments ORDER BY id')).rows,
          (await c.query('SELECT * FROM enrolment_nudges ORDER BY enrolment_id')).rows,
          (await c.query('SELECT count(*) FROM milestones_done')).rows,
          (await c.query('SELECT * FROM mock_exams ORDER BY id')).rows,
        ]),
      );
    const [viaPorts, inBulk] = [await dump(a.url), await dump(b.url)];
    if (viaPorts !== inBulk) throw new Error(`the bulk seed differs from the ports' seed:\n ports ${viaPorts.slice(0, 600)}\n bulk  ${inBulk.slice(0, 600)}`);
  } finally {
    await a.drop();
    await b.drop();
  }
}

// ---------- measuring one engine

interface Engine {
  name: string;
  /** A fresh copy of the seed for one round. */
  copy(label: string): Promise<FreshDatabase>;
  describe: string[];
}

async function measure(engine: Engine, size: DueSetSize, fake: FakeSlackProcess): Promise<{ lines: string[]; figures: DueFigures }> {
  const expectedDue = dueBetween(size.learners, FROM, DUE_AT);
  const expectedBig = dueBetween(size.learners, DUE_AT, BIG_AT);
  const quietTimes: number[] = [];
  type Round = Awaited<ReturnType<typeof timeDuePass>> & { one500: number; big?: Awaited<ReturnType<typeof timeDuePass>> };
  const rounds: Round[] = [];
  const lines = [...engine.describe];
  for (let r = 0; r < size.rounds; r++) {
    const db = await engine.copy(`round${r}`);
    const container = await benchContainer(db.url, fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000_000 });
    const { store } = container.services;
    await fake.reset();
    try {
      // (a) nothing due, 30 s before London's 09:00
      await container.runPass(QUIET_AT); // warms the statements and the cache
      for (let i = 0; i < size.quietRuns; i++) {
        const t = performance.now();
        const summary = await container.runPass(QUIET_AT);
        quietTimes.push(performance.now() - t);
        if (summary.due !== 0) throw new Error(`${engine.name}: the quiet pass found ${summary.due} due`);
      }
      // The due query alone, before anything is claimed (each call sees the same due set).
      const one: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        await store.enrolments.dueNudges(DUE_AT, 500);
        one.push(performance.now() - t);
      }
      // (b) London falls due
      const due = await timeDuePass(store, () => container.runPass(DUE_AT));
      if (due.summary.due !== expectedDue || due.summary.sent !== expectedDue || (await fake.posts()) !== expectedDue)
        throw new Error(`${engine.name}: due pass: due ${due.summary.due}, sent ${due.summary.sent}, posted ${await fake.posts()}, expected ${expectedDue}`);
      // (c) four more zones, later that day
      let big: Round['big'];
      if (r < size.bigRounds) {
        big = await timeDuePass(store, () => container.runPass(BIG_AT), { breakdown: false });
        if (big.summary.due !== expectedBig || big.summary.sent !== expectedBig || (await fake.posts()) !== expectedDue + expectedBig)
          throw new Error(`${engine.name}: big pass: due ${big.summary.due}, sent ${big.summary.sent}, posted ${await fake.posts()}, expected ${expectedBig}`);
      }
      rounds.push({ ...due, one500: median(one), big });
      lines.push(
        `   ${engine.name} round ${r + 1}: (b) claim ${ms(due.claim)} in ${due.claimTransactions} transactions, whole pass ${ms(due.total)}, event loop blocked up to ${ms(due.blocked)} (${ms(due.blockedOwn ?? NaN)} not waiting for a CPU)` +
          (big
            ? `; (c) ${big.summary.due.toLocaleString('en')} due: claim ${ms(big.claim)}, whole pass ${ms(big.total)}, event loop blocked up to ${ms(big.blocked)} (${ms(big.blockedOwn ?? NaN)} not waiting for a CPU)`
            : ''),
      );
    } finally {
      await container.close();
      await db.drop();
    }
  }
  const m = (f: (x: Round) => number) => median(rounds.map(f));
  const medianRound = [...rounds].sort((a, b) => a.claim - b.claim)[Math.floor(rounds.length / 2)]!;
  const bigs = rounds.flatMap((x) => (x.big ? [x.big] : []));
  const figures: DueFigures = {
    quietMedian: median(quietTimes),
    quietP95: percentile(quietTimes, 95),
    due: expectedDue,
    claim: m((x) => x.claim),
    total: m((x) => x.total),
    blocked: m((x) => x.blocked),
    blockedOwn: rounds.every((x) => x.blockedOwn !== undefined) ? m((x) => x.blockedOwn!) : undefined,
    one500: m((x) => x.one500),
    breakdown: describeCalls(medianRound.claim, medianRound.calls),
    big: bigs.length
      ? {
          due: expectedBig,
          claim: median(bigs.map((b) => b.claim)),
          total: median(bigs.map((b) => b.total)),
          blocked: Math.max(...bigs.map((b) => b.blocked)),
          blockedOwn: bigs.every((b) => b.blockedOwn !== undefined) ? Math.max(...bigs.map((b) => b.blockedOwn!)) : undefined,
        }
      : undefined,
  };
  lines.push(`   ${engine.name} claim phase of the median round (b), by store method: ${figures.breakdown}`);
  return { lines, figures };
}

// ---------- the engines

async function sqliteEngine(dir: string, size: DueSetSize): Promise<Engine> {
  const seedPath = join(dir, 'seed.db');
  const t = performance.now();
  await seedThroughPorts(seedPath, size.learners, size.workspaces);
  const seedMs = performance.now() - t;
  // The query plan comes from a separate connection, used only to read: no port explains a query.
  const reader = openDatabase(seedPath);
  let plan: { detail: string }[];
  try {
    plan = reader
      .prepare(
        `EXPLAIN QUERY PLAN SELECT ${SQLITE_DUE_NUDGE_COLUMNS} FROM enrolment_nudges n
         JOIN enrolments e ON e.id = n.enrolment_id JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
         WHERE n.live = 1 AND n.next_nudge_at <= ?
         ORDER BY n.next_nudge_at, n.enrolment_id LIMIT ?`,
      )
      .all(DUE_AT.toISOString(), 500) as { detail: string }[];
  } finally {
    reader.close();
  }
  return {
    name: 'SQLite',
    describe: [
      `   SQLite seed ${(seedMs / 1000).toFixed(1)} s through the ports in one transaction; file ${(statSync(seedPath).size / 1024 / 1024).toFixed(1)} MB; due query plan: ${plan.map((p) => p.detail).join('; ')}`,
    ],
    async copy(label) {
      const path = join(dir, `${label}.db`);
      copyFileSync(seedPath, path);
      return {
        url: path,
        drop: async () => {
          for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
        },
      };
    },
  };
}

async function postgresEngine(serverUrl: string, size: DueSetSize): Promise<Engine & { drop(): Promise<void> }> {
  await checkBulkSeed(serverUrl, 60);
  const seed = await freshDatabase(serverUrl, 'bench_due_seed');
  const t = performance.now();
  await seedInBulk(seed.url, size.learners, size.workspaces);
  const seedMs = performance.now() - t;
  const seedName = new URL(seed.url).pathname.slice(1);
  const { bytes, plan } = await withClient(seed.url, async (c) => {
    const bytes = Number((await c.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n);
    const plan = (
      await c.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (COSTS OFF) SELECT ${POSTGRES_DUE_NUDGE_COLUMNS} FROM enrolment_nudges n
         JOIN enrolments e ON e.id = n.enrolment_id JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
         WHERE n.live AND n.next_nudge_at <= $1
         ORDER BY n.next_nudge_at, n.enrolment_id LIMIT $2`,
        [DUE_AT, 500],
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .filter((line, i) => i === 0 || line.trim().startsWith('->'))
      .map((line) => line.trim().replace(/^->\s*/, ''));
    return { bytes, plan };
  });
  return {
    name: 'PostgreSQL',
    describe: [
      `   PostgreSQL seed ${(seedMs / 1000).toFixed(1)} s in bulk on a separate connection, then VACUUM (ANALYZE) (identical, row for row, to the ports' seed on 60 learners); database ${(bytes / 1024 / 1024).toFixed(1)} MB; due query plan: ${plan.join(' / ')}`,
    ],
    copy: (label) => freshCopy(serverUrl, seedName, label),
    drop: () => seed.drop(),
  };
}

// ---------- the run

/**
 * Both engines side by side; `server` is the engines benchmark's PostgreSQL server when it runs this as its section,
 * otherwise one is started (and stopped) here.
 */
export async function benchDueSet(
  size: DueSetSize = DUE_SET_FULL,
  server?: BenchServer,
): Promise<{ lines: string[]; sqlite: DueFigures; pg?: DueFigures; pgSkipped?: string }> {
  const ownServer = server ? undefined : await startBenchServer();
  const srv = server ?? ownServer!;
  const dir = mkdtempSync(join(tmpdir(), 'aipath-bench-dueset-'));
  const fake = await startFakeSlackProcess();
  try {
    const expectedBig = dueBetween(size.learners, DUE_AT, BIG_AT);
    const lines = [
      `due-set: a scheduler pass over ${size.learners.toLocaleString('en')} learners (${ZONES.length} timezones, ${size.workspaces} workspaces); (a) nothing due, ${QUIET_AT.toISOString()}; (b) London's Monday 09:00, ${DUE_AT.toISOString()}; (c) ${BIG_AT.toISOString()}, ${expectedBig.toLocaleString('en')} more due (four timezones west of London); delivery to a fake Slack that does not pace, in a process of its own`,
    ];
    const sqliteRun = await measure(await sqliteEngine(dir, size), size, fake);
    lines.push(...sqliteRun.lines);
    let pgRun: Awaited<ReturnType<typeof measure>> | undefined;
    if (srv.url) {
      const engine = await postgresEngine(srv.url, size);
      try {
        pgRun = await measure(engine, size, fake);
      } finally {
        await engine.drop();
      }
      lines.push(...pgRun.lines);
    } else {
      lines.push(`   PostgreSQL: skipped (${srv.skipped})`);
    }
    const sqlite = sqliteRun.figures;
    const pg = pgRun?.figures;
    const row = (what: string, goal: string, f: (d: Figures) => number | undefined, ok?: (x: number) => boolean) => {
      const cell = (d: DueFigures | undefined) => {
        const x = d && f(d);
        return x === undefined ? '-' : `${ms(x)}${ok ? mark(ok(x)) : ''}`;
      };
      const was = (d: Figures) => {
        const x = f(d);
        return x === undefined ? '-' : ms(x);
      };
      return `   ${what.padEnd(50)} ${goal.padEnd(10)} ${cell(sqlite).padEnd(14)} ${was(BASELINE.sqlite).padEnd(10)} ${cell(pg).padEnd(14)} ${was(BASELINE.pg)}`;
    };
    lines.push(
      `   ${''.padEnd(50)} ${'goal'.padEnd(10)} ${'SQLite'.padEnd(14)} ${'baseline'.padEnd(10)} ${'PostgreSQL'.padEnd(14)} baseline   (medians of ${size.rounds} rounds on fresh copies; (c) the worst of ${size.bigRounds})`,
      row(
        '(a) nothing due: pass, median',
        `≤ ${PASS_GOALS.quietMs} ms`,
        (d) => d.quietMedian,
        (x) => x <= PASS_GOALS.quietMs,
      ),
      row('    nothing due: pass, p95', '', (d) => d.quietP95),
      row(
        `(b) ${sqlite.due.toLocaleString('en')} due: claim phase`,
        `≤ ${PASS_GOALS.claimMs} ms`,
        (d) => d.claim,
        (x) => x <= PASS_GOALS.claimMs,
      ),
      row('    dueNudges(now, 500), one call', '', (d) => d.one500),
      row('    whole pass (claim + delivery)', '', (d) => d.total),
      row('    event loop blocked, longest', '', (d) => d.blocked),
      row('      less waits for a CPU', '', (d) => d.blockedOwn),
      row(
        `(c) ${expectedBig.toLocaleString('en')} due: event loop blocked, longest`,
        `≤ ${PASS_GOALS.blockedMs} ms`,
        (d) => d.big?.blocked,
        (x) => x <= PASS_GOALS.blockedMs,
      ),
      row(
        '      less waits for a CPU',
        `≤ ${PASS_GOALS.blockedMs} ms`,
        (d) => d.big?.blockedOwn,
        (x) => x <= PASS_GOALS.blockedMs,
      ),
      row('    claim phase', '', (d) => d.big?.claim),
      row('    whole pass (claim + delivery)', '', (d) => d.big?.total),
      `   baseline: ${BASELINE.source}`,
    );
    return { lines, sqlite, pg, pgSkipped: srv.skipped };
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
    await ownServer?.stop();
  }
}
