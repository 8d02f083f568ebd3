/**
 * Issue 15's leaderboard figures, SQLite and PostgreSQL side by side in one run (`npm run bench -- leaderboard`):
 * 100,000 learners in one workspace and one channel team, 5,000,000 answers to a year of daily channel quizzes (60%
 * right: 3,000,000 points), then the weekly and monthly top 10 plus the caller's rank (the channel's team and the
 * workspace, as `/aipath leaderboard` reads them), an award through the port (points and running totals in one
 * transaction), and the size of the database.
 *
 * The answers and points are bulk-inserted in raw SQL, in the order the app would have written them (day by day),
 * which the ports deliberately do not offer; the running totals are then built from them by the store itself
 * (PointsRepository.keepZone, what opening the store does right after the migration that introduced them), and
 * checked against the same board summed from the points. The PostgreSQL server is a throwaway one (bench/engines.ts's
 * startBenchServer); without it, the PostgreSQL column says why it is empty.
 */
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { buildContainer, type Container } from '../src/container.js';
import { periodBounds } from '../src/domain/due.js';
import { createLogger } from '../src/log.js';
import type { Caller } from '../src/services/context.js';
import { standings } from '../src/services/leaderboard.js';
import { presentStandings } from '../src/slack/presenters/leaderboard.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { freshDatabase } from '../test/support/postgres.js';
import { startBenchServer as startServer } from './pg-server.js';
import { median, percentile, tempDb } from './support.js';

const WS = 'T0BENCH001';
const CHANNEL = 'C0BENCH001';
const ZONE = 'UTC';
const START = Date.parse('2025-11-23T09:00:00Z');
const GOAL = { boardMs: 20, sqliteMb: 600 };
const DAY = 86_400_000;

interface Size {
  learners: number;
  answers: number;
  days: number;
}

interface Figures {
  seedS: number;
  buildMs: number;
  week: number[];
  month: number[];
  all: number[];
  summedMs: number;
  award: number[];
  mb: number;
  sample: string;
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const mark = (ok: boolean) => (ok ? ' ✓' : ' ✗');
const userId = (i: number) => `U${String(i).padStart(9, '0')}`;
/** The bench's answers, as bench/leaderboard.ts has always drawn them: day d's post answered by a slice of learners. */
const learnerOf = (d: number, k: number, learners: number) => (d * 7919 + k) % learners;
const isRight = (k: number) => (k * 2654435761) % 10 < 6;

// ---------- seeding

export function seedSqlite(path: string, size: Size): void {
  const db = openDatabase(path);
  try {
    migrate(db);
    db.transaction(() => {
      // Learners are numbered in the order they are added (users.id, from the trigger): learner i is i + 1.
      const user = db.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, '2025-11-01T00:00:00.000Z')");
      const team = db.prepare('INSERT INTO quiz_team (workspace_id, channel_id, user_id) VALUES (?, ?, ?)');
      for (let i = 0; i < size.learners; i++) {
        user.run(WS, userId(i));
        team.run(WS, CHANNEL, userId(i));
      }
      const post = db.prepare(
        'INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (let d = 0; d < size.days; d++) {
        const at = new Date(START + d * DAY).toISOString();
        post.run(d + 1, WS, CHANNEL, `q-${d % 120}`, `${d}.0`, at, at);
      }
    })();
    const answer = db.prepare(
      'INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, correct, answered_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
    );
    const points = db.prepare("INSERT INTO points (learner, kind, ref, points, channel_id, earned_at) VALUES (?, 'channel_quiz', ?, 10, ?, ?)");
    const perDay = Math.ceil(size.answers / size.days);
    let written = 0;
    for (let d = 0; d < size.days && written < size.answers; d++) {
      db.transaction(() => {
        const at = START + d * DAY + 3_600_000;
        for (let k = 0; k < perDay && written < size.answers; k++, written++) {
          const learner = learnerOf(d, k, size.learners) + 1;
          answer.run(learner, `q-${d % 120}`, d + 1, d + 1, isRight(k) ? 1 : 0, at);
          if (isRight(k)) points.run(learner, `post:${d + 1}`, CHANNEL, at);
        }
      })();
    }
    // The all-time totals, as award keeps them.
    db.exec(`UPDATE users SET points_total = t.total FROM (SELECT learner, SUM(points) AS total FROM points GROUP BY learner) AS t WHERE users.id = t.learner`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

export async function seedPostgres(url: string, size: Size): Promise<void> {
  // The schema as the app migrates it, then the rows in bulk on a connection of our own.
  const container = await buildContainer(loadConfig({ AIPATH_DB: url }), { logger: createLogger('error') });
  await container.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const perDay = Math.ceil(size.answers / size.days);
    const start = new Date(START);
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO users (workspace_id, user_id, created_at) SELECT $1, 'U' || lpad(i::text, 9, '0'), '2025-11-01T00:00:00Z'
       FROM generate_series(0, $2 - 1) AS i ORDER BY i`,
      [WS, size.learners],
    );
    await c.query(`INSERT INTO quiz_team (workspace_id, channel_id, user_id) SELECT workspace_id, $2, user_id FROM users WHERE workspace_id = $1`, [
      WS,
      CHANNEL,
    ]);
    await c.query(
      `INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at, closed_at)
       SELECT d + 1, $1, $2, 'q-' || (d % 120), d || '.0', $3::timestamptz + d * interval '1 day', $3::timestamptz + d * interval '1 day'
       FROM generate_series(0, $4 - 1) AS d`,
      [WS, CHANNEL, start, size.days],
    );
    await c.query('COMMIT');
    // One statement a month of days, in the order the app would have written them.
    for (let d0 = 0; d0 < size.days; d0 += 30) {
      const days = Math.min(30, size.days - d0);
      const answers = `SELECT d, k, (SELECT id FROM users WHERE workspace_id = $1 AND user_id = 'U' || lpad(((d * 7919 + k) % $2)::text, 9, '0')) AS learner,
          (k::bigint * 2654435761) % 10 < 6 AS is_right, $3::timestamptz + d * interval '1 day' + interval '1 hour' AS at
        FROM generate_series($4::int, $4::int + $5 - 1) AS d, generate_series(0, $6 - 1) AS k
        WHERE d * $6 + k < $7 ORDER BY d, k`;
      const params = [WS, size.learners, start, d0, days, perDay, size.answers];
      await c.query(
        `INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, correct, answered_at)
         SELECT learner, 'q-' || (d % 120), d + 1, d + 1, 0, is_right, at FROM (${answers}) a`,
        params,
      );
      await c.query(
        `INSERT INTO points (learner, kind, ref, points, channel_id, earned_at)
         SELECT learner, 'channel_quiz', 'post:' || (d + 1), 10, '${CHANNEL}', at FROM (${answers}) a WHERE is_right`,
        params,
      );
    }
    await c.query(
      'UPDATE users u SET points_total = t.total FROM (SELECT learner, sum(points) AS total FROM points GROUP BY learner) t WHERE u.id = t.learner',
    );
    // What autovacuum would have done to tables loaded this size.
    await c.query('VACUUM (ANALYZE)');
  } finally {
    await c.end();
  }
}

// ---------- measuring

interface Hooks {
  /** After the totals are built: PostgreSQL vacuums them, as autovacuum would after a load this size. */
  afterBuild?: () => Promise<void>;
  /** The database's size in MB. */
  sizeOf: () => Promise<number>;
}

/**
 * The caller: a learner who answered right four days before `now` (in the same week and month), so that their rank
 * is counted, among tens of thousands of learners above them.
 */
function callerOf(size: Size): string {
  let k = Math.floor(Math.ceil(size.answers / size.days) / 2);
  while (!isRight(k)) k++;
  return userId(learnerOf(size.days - 4, k, size.learners));
}

async function measure(container: Container, size: Size, hooks: Hooks, seedS: number): Promise<Figures> {
  const { services } = container;
  const store = services.store;
  const now = new Date(START + (size.days - 3) * DAY);
  const ME = callerOf(size);

  // The totals, built from the points as the store does after the migration that introduced them.
  let t0 = performance.now();
  await store.points.keepZone(WS, ZONE);
  const buildMs = performance.now() - t0;
  await hooks.afterBuild?.();

  // The totals agree with the same board summed from the points (the way boards were read before).
  const week = periodBounds('week', now, ZONE);
  t0 = performance.now();
  const summed = await store.points.board(WS, { from: week.from, to: week.to }, { me: ME, limit: 10 });
  const summedMs = performance.now() - t0;
  const kept = await store.points.board(WS, week, { me: ME, limit: 10 });
  // Which of many tied learners are listed is the store's choice: their scores and ranks, and the caller, must agree.
  const shape = (b: typeof kept) => JSON.stringify({ top: b.top.map((e) => [e.points, e.rank]), moreTied: b.moreTied, me: b.me });
  if (shape(kept) !== shape(summed)) throw new Error(`the running totals disagree with the points: ${JSON.stringify({ kept, summed })}`);

  const caller: Caller = { workspaceId: WS, userId: ME, channelId: CHANNEL, now, profile: async () => ({ tz: ZONE, isAdmin: false }) };
  const timed = async (period: 'week' | 'month' | 'all', runs: number) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      presentStandings(await standings(services.study, caller, period));
      times.push(performance.now() - started);
    }
    return times;
  };
  const weekTimes = await timed('week', 21);
  const monthTimes = await timed('month', 21);
  const allTimes = await timed('all', 11);
  const sample = presentStandings(await standings(services.study, caller, 'week')).text;

  // Awards as the quiz makes them: points, the all-time total and the week and month totals, one transaction.
  const award: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await store.points.award(WS, userId((i * 7919) % size.learners), 'personal_quiz', `bench-${i}`, 5, now);
    award.push(performance.now() - started);
  }
  return { seedS, buildMs, week: weekTimes, month: monthTimes, all: allTimes, summedMs, award, mb: await hooks.sizeOf(), sample };
}

async function onSqlite(size: Size): Promise<Figures> {
  const path = tempDb();
  const t0 = performance.now();
  seedSqlite(path, size);
  const seedS = (performance.now() - t0) / 1000;
  const container = await buildContainer(loadConfig({ AIPATH_DB: path }), { logger: createLogger('error') });
  try {
    const sizeOf = async () => {
      // The file as a backup would copy it: the WAL folded in.
      await container.services.store.database.purgeDeleted();
      return statSync(path).size / 1024 / 1024;
    };
    return await measure(container, size, { sizeOf }, seedS);
  } finally {
    await container.close();
  }
}

async function onPostgres(serverUrl: string, size: Size): Promise<Figures> {
  const database = await freshDatabase(serverUrl, 'bench_leaderboard');
  try {
    const t0 = performance.now();
    await seedPostgres(database.url, size);
    const seedS = (performance.now() - t0) / 1000;
    const container = await buildContainer(loadConfig({ AIPATH_DB: database.url }), { logger: createLogger('error') });
    try {
      const sql = async <T extends pg.QueryResultRow>(text: string) => {
        const c = new pg.Client({ connectionString: database.url });
        await c.connect();
        try {
          return (await c.query<T>(text)).rows;
        } finally {
          await c.end();
        }
      };
      const hooks: Hooks = {
        afterBuild: async () => void (await sql('VACUUM (ANALYZE) board_points, boards, board_zones')),
        sizeOf: async () => Number((await sql<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes'))[0]!.bytes) / 1024 / 1024,
      };
      return await measure(container, size, hooks, seedS);
    } finally {
      await container.close();
    }
  } finally {
    await database.drop();
  }
}

// ---------- the table

export async function benchLeaderboard(size: Size = { learners: 100_000, answers: 5_000_000, days: 365 }): Promise<string[]> {
  const lines = [
    `leaderboard: ${size.learners.toLocaleString('en')} learners in one workspace and channel team, ${size.answers.toLocaleString('en')} answers over ${size.days} days (60% right: points), load average ${load()} at the start`,
  ];
  const sqlite = await onSqlite(size);
  lines.push(`   SQLite done, load average ${load()}`);
  const server = await startServer();
  let postgres: Figures | undefined;
  try {
    if (server.url) postgres = await onPostgres(server.url, size);
  } finally {
    await server.stop();
  }
  lines.push(`   PostgreSQL ${postgres ? `(${server.version}) done` : `skipped: ${server.skipped}`}, load average ${load()}`);

  const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
  const board = (xs: number[] | undefined) =>
    xs ? `${ms(median(xs))}${mark(median(xs) <= GOAL.boardMs)} (p95 ${ms(percentile(xs, 95))}, first ${ms(xs[0]!)})` : '-';
  const plain = (xs: number[] | undefined) => (xs ? `${ms(median(xs))} (p95 ${ms(percentile(xs, 95))})` : '-');
  const row = (name: string, goal: string, a: string, b: string) => `   ${name.padEnd(58)} ${goal.padEnd(10)} ${a.padEnd(40)} ${b}`;
  lines.push(
    row('figure (median)', 'goal', 'SQLite', 'PostgreSQL'),
    row('weekly top 10 + caller’s rank, team and workspace boards', `≤ ${GOAL.boardMs} ms`, board(sqlite.week), board(postgres?.week)),
    row('monthly top 10 + caller’s rank, team and workspace boards', `≤ ${GOAL.boardMs} ms`, board(sqlite.month), board(postgres?.month)),
    row('all-time top 10 + caller’s rank', '-', plain(sqlite.all), plain(postgres?.all)),
    row('award (points, all-time total, week and month totals)', '-', plain(sqlite.award), plain(postgres?.award)),
    row(
      'database size (answers, points, running totals)',
      `≤ ${GOAL.sqliteMb} MB`,
      `${sqlite.mb.toFixed(0)} MB${mark(sqlite.mb <= GOAL.sqliteMb)}`,
      postgres ? `${postgres.mb.toFixed(0)} MB` : '-',
    ),
    row('the week board summed from the points instead (checked equal)', '-', ms(sqlite.summedMs), postgres ? ms(postgres.summedMs) : '-'),
    row(
      'seeding in bulk; building the totals from the points',
      '-',
      `${sqlite.seedS.toFixed(0)} s; ${(sqlite.buildMs / 1000).toFixed(1)} s`,
      postgres ? `${postgres.seedS.toFixed(0)} s; ${(postgres.buildMs / 1000).toFixed(1)} s` : '-',
    ),
    `   sample (SQLite): ${sqlite.sample.slice(0, 160)}`,
    `   sample (PostgreSQL): ${postgres?.sample.slice(0, 160) ?? '-'}`,
  );
  return lines;
}
