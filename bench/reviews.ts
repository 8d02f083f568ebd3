import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { type Content, loadContent } from '../src/content/load.js';
import type { QuizQuestion } from '../src/content/schema.js';
import { nextDailyAt, nextWeeklyAt } from '../src/domain/due.js';
import { type MemoryCard, newCard, type ReviewGrade, type ReviewLogEntry, review } from '../src/domain/review/memory.js';
import type { Repositories, ReviewSource, Store } from '../src/ports/store.js';
import type { Caller, StudyDeps } from '../src/services/context.js';
import { nextReview, readinessFor } from '../src/services/reviews.js';
import { answerCommandText } from '../src/slack/routes.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { ANSWER_TALLIES_SQL, DUE_CARDS_SQL } from '../src/store/sqlite/reviews.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { referenceReadiness } from '../test/support/readiness-reference.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { benchAck } from './ack.js';
import { ZONES } from './due-set.js';
import { benchContainer } from './fanout.js';
import { median, percentile, tempDb } from './support.js';
import type { CommandSlack } from '../src/slack/command-slack.js';

/** The commands measured here make no Web API call of their own: any would fail loudly. */
const NO_SLACK: CommandSlack = {
  post: async () => ({ ok: false, reason: 'no Slack in this benchmark', kind: 'transient' }),
  uploadToDm: async () => ({ ok: false, reason: 'no Slack in this benchmark', kind: 'transient' }),
};

/**
 * How big a run is: `npm run bench -- reviews [--small] [--learners=N] [--cards=N] [--due=N] [--calls=N] [--no-ack] [--no-postgres]`.
 */
export interface ReviewsSize {
  /** Learners in the database, the heavy one included. */
  learners: number;
  /** Memory cards of every other learner. */
  cardsEach: number;
  /** The measured learner's cards and review-log rows. */
  heavyCards: number;
  heavyLogs: number;
  /** Learners whose review reminder falls due at the measured instant (each with cards due). */
  due: number;
  /** Timed calls of nextReview and readinessFor (each). */
  calls: number;
  /** Timed scheduler passes with nothing due. */
  quietRuns: number;
  /** Also run bench/ack.ts (the /aipath review and readiness acknowledgements beside a bare Bolt app). */
  ack: boolean;
  /** Also measure the measured learner's next card and readiness on PostgreSQL (bench/reviews-postgres.ts). */
  postgres: boolean;
}

export const FULL_SIZE: ReviewsSize = {
  learners: 100_000,
  cardsEach: 20,
  heavyCards: 2_000,
  heavyLogs: 20_000,
  due: 10_000,
  calls: 200,
  quietRuns: 21,
  ack: true,
  postgres: true,
};
const SMALL_SIZE: ReviewsSize = { ...FULL_SIZE, learners: 10_000, due: 1_000, calls: 50, ack: false };

export function reviewsSizeFromArgs(argv: readonly string[]): ReviewsSize {
  const size = { ...(argv.includes('--small') ? SMALL_SIZE : FULL_SIZE) };
  const num = (name: string) => {
    const arg = argv.find((a) => a.startsWith(`--${name}=`));
    const n = arg ? Number(arg.slice(name.length + 3).replace(/_/g, '')) : undefined;
    if (n !== undefined && !(Number.isInteger(n) && n > 0)) throw new Error(`--${name} takes a positive whole number`);
    return n;
  };
  size.learners = num('learners') ?? size.learners;
  size.cardsEach = num('cards') ?? size.cardsEach;
  size.due = Math.min(num('due') ?? size.due, size.learners - 1);
  size.calls = num('calls') ?? size.calls;
  if (argv.includes('--no-ack')) size.ack = false;
  if (argv.includes('--no-postgres')) size.postgres = false;
  return size;
}

export const WORKSPACES = 200;
export const HEAVY_WS = 'T0RV0000';
export const HEAVY_USER = 'U0RVHEAVY';
export const EXAM = 'aip-c01';
export const LONDON = 'Europe/London';
const DAY = 86_400_000;
const HOUR = 3_600_000;
export const STARTED_ON = ['2026-09-07', '2026-09-28', '2026-10-19', '2026-11-02', '2026-11-16'];

export const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const n = (x: number) => x.toLocaleString('en');
export const verdict = (value: number, goal: number) => (value <= goal ? 'MET' : `MISSED (×${(value / goal).toFixed(1)} the goal)`);

// The SQL of src/store/sqlite/reviews.ts, for EXPLAIN QUERY PLAN only (no port explains a query).
const DUE_REMINDERS_SQL = `SELECT u.workspace_id, u.user_id, u.next_reminder_at, u.tz_override, u.slack_tz, u.nudge_time, u.review_days,
    (SELECT COUNT(*) FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.due_at <= u.next_reminder_at) AS due_cards FROM users u
  WHERE u.reviews_on = 1 AND u.next_reminder_at <= @now
    AND EXISTS (SELECT 1 FROM enrolments e
                WHERE e.workspace_id = u.workspace_id AND e.user_id = u.user_id AND e.is_current = 1
                  AND (e.status IN ('active', 'finished') OR (e.status = 'paused' AND e.paused_until <= @now)))
  ORDER BY u.next_reminder_at LIMIT @limit`;
const CARD_COLUMNS = 'question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review_at';
const DUE_COUNT_SQL = 'SELECT COUNT(*) AS n FROM memory_cards WHERE workspace_id = ? AND user_id = ? AND due_at <= ?';
const CARDS_OF_SQL = `SELECT ${CARD_COLUMNS} FROM memory_cards WHERE workspace_id = ? AND user_id = ? ORDER BY question_id`;
const LOG_OF_SQL = `SELECT question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, reviewed_at
  FROM review_log WHERE workspace_id = ? AND user_id = ? ORDER BY reviewed_at, id`;

/** A card's history as FSRS made it: the card after its last review and the log of every review. */
export interface History {
  card: MemoryCard;
  logs: ReviewLogEntry[];
}

export function grade(random: () => number): ReviewGrade {
  const r = random();
  return r < 0.12 ? 'again' : r < 0.2 ? 'hard' : r < 0.95 ? 'good' : 'easy';
}

/** Real FSRS histories of one or two reviews (each when due, up to a day late), to stamp out bulk cards from. */
export function templates(count: number, random: () => number): History[] {
  const out: History[] = [];
  for (let k = 0; k < count; k++) {
    let at = new Date('2026-01-05T10:00:00Z');
    let card = newCard(at);
    const logs: ReviewLogEntry[] = [];
    for (let r = 0; r < (k % 4 === 0 ? 2 : 1); r++) {
      const graded = review(card, grade(random), at);
      card = graded.card;
      logs.push(graded.log);
      at = new Date(card.due.getTime() + random() * DAY);
    }
    out.push({ card, logs });
  }
  return out;
}

const shifted = (d: Date, by: number) => new Date(d.getTime() + by).toISOString();

/**
 * Everyone but the measured learner, in raw SQL on a connection of its own (openDatabase, migrated, prepared
 * INSERTs, a transaction per 5,000 learners), closed before the container opens the file: the ports cost an
 * async round per row, which is minutes at this volume. Cards are real FSRS histories (memory.ts) shifted in
 * time so that each learner's fall due between ten days ago and a month on (a quarter overdue); a due
 * learner's first card is due two hours before the instant. Also returns the query plans (no port explains a query).
 */
export function seedBulk(
  path: string,
  size: ReviewsSize,
  dueAt: Date,
  content: Content,
): { plans: Record<string, string>; bulkRows: { cards: number; logs: number } } {
  const db = openDatabase(path);
  try {
    migrate(db);
    // Bulk loading only: every row is consistent by construction, and a crash just means a new run.
    db.pragma('foreign_keys = OFF');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -4000000');
    const from = new Date(dueAt.getTime() - 60_000);
    const others = ZONES.filter((z) => z !== LONDON);
    const nextReminder = new Map([LONDON, ...others].map((tz) => [tz, nextDailyAt(from, tz, '09:00').toJSDate().toISOString()]));
    const nextNudge = new Map([LONDON, ...others].map((tz) => [tz, nextWeeklyAt(from, tz, '09:00').toJSDate().toISOString()]));
    if (nextReminder.get(LONDON) !== dueAt.toISOString()) throw new Error('London 09:00 is not the measured instant');
    for (const tz of others) if (nextReminder.get(tz)! <= dueAt.toISOString()) throw new Error(`${tz} would fall due too`);
    const tracks = content.tracks.map((t) => t.id);
    const bank = content.quiz.map((q) => q.id);
    const random = seededRandom(12);
    const pool = templates(256, random);
    const user = db.prepare(
      `INSERT INTO users (workspace_id, user_id, tz_override, nudge_time, created_at, dm_channel, exam_cert, exam_date, next_reminder_at)
       VALUES (?, ?, ?, '09:00', '2026-09-01T00:00:00.000Z', ?, ?, ?, ?)`,
    );
    const enrolment = db.prepare(
      `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, paused_by, is_current, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, '2026-09-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z')`,
    );
    // The enrolment's row of due times is made by a trigger (SQLite 020); its weekly nudge is set on it.
    const nudge = db.prepare('UPDATE enrolment_nudges SET next_nudge_at = ? WHERE enrolment_id = ?');
    const card = db.prepare(
      `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
         reps, lapses, state, last_review_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const log = db.prepare(
      `INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days,
         scheduled_days, learning_steps, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const stride = Math.max(1, Math.floor((size.learners - 1) / size.due));
    let dueSoFar = 0;
    let cards = 0;
    let logs = 0;
    const bulk = size.learners - 1;
    // The secondary indexes are dropped for the load and built again from their own SQL afterwards (a sort,
    // not millions of random B-tree inserts); learners go in workspace order, their primary keys' order.
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('users', 'enrolments', 'memory_cards', 'review_log')`,
      )
      .all() as { name: string; sql: string }[];
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
    const order: number[] = [];
    for (let w = 0; w < WORKSPACES; w++) for (let i = w; i < bulk; i += WORKSPACES) order.push(i);
    const chunk = 5_000;
    for (let lo = 0; lo < bulk; lo += chunk) {
      db.transaction(() => {
        for (let j = lo; j < Math.min(bulk, lo + chunk); j++) {
          const i = order[j]!;
          const ws = `T0RV${String(i % WORKSPACES).padStart(4, '0')}`;
          const id = `U0RV${String(i).padStart(7, '0')}`;
          const isDue = i % stride === 0 && dueSoFar < size.due;
          if (isDue) dueSoFar += 1;
          const tz = isDue ? LONDON : others[i % others.length]!;
          const status = isDue ? 'active' : i % 20 === 3 ? 'paused' : i % 20 === 7 ? 'finished' : 'active';
          const exam = i % 3 === 0 ? null : (['aif-c01', 'aip-c01', 'mla-c02'][i % 3] ?? null);
          user.run(ws, id, tz, `D0RV${String(i).padStart(7, '0')}`, exam, exam ? '2027-03-01' : null, nextReminder.get(tz)!);
          const enrolled = enrolment.run(
            ws,
            id,
            tracks[i % tracks.length]!,
            STARTED_ON[i % STARTED_ON.length]!,
            status,
            status === 'paused' ? 'learner' : null,
          );
          nudge.run(nextNudge.get(tz)!, enrolled.lastInsertRowid);
          for (let k = 0; k < size.cardsEach; k++) {
            const h = pool[(i * 31 + k * 7) % pool.length]!;
            const wantDue = isDue && k === 0 ? dueAt.getTime() - 2 * HOUR : dueAt.getTime() + (random() - 0.25) * 40 * DAY;
            const by = wantDue - h.card.due.getTime();
            const q = bank[(i * 13 + k) % bank.length]!;
            const c = h.card;
            const last = c.lastReview ? shifted(c.lastReview, by) : null;
            card.run(
              ws,
              id,
              q,
              shifted(c.due, by),
              c.stability,
              c.difficulty,
              c.elapsedDays,
              c.scheduledDays,
              c.learningSteps,
              c.reps,
              c.lapses,
              c.state,
              last,
              last,
            );
            cards += 1;
            h.logs.forEach((l, r) => {
              const source: ReviewSource = r > 0 ? 'review' : k % 2 ? 'channel_quiz' : 'personal_quiz';
              log.run(
                ws,
                id,
                q,
                source,
                l.rating,
                l.state,
                shifted(l.due, by),
                l.stability,
                l.difficulty,
                l.elapsedDays,
                l.lastElapsedDays,
                l.scheduledDays,
                l.learningSteps,
                shifted(l.review, by),
              );
              logs += 1;
            });
          }
        }
      })();
    }
    for (const { sql } of indexes) db.exec(sql);
    if (dueSoFar !== size.due) throw new Error(`seeded ${dueSoFar} due learners, wanted ${size.due}`);
    const plan = (sql: string, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((p) => p.detail).join('; ');
    const now = dueAt.toISOString();
    const plans = {
      dueReminders: plan(DUE_REMINDERS_SQL, { now, limit: 500 }),
      dueCards: plan(DUE_CARDS_SQL, HEAVY_WS, HEAVY_USER, now, 500),
      dueCount: plan(DUE_COUNT_SQL, HEAVY_WS, HEAVY_USER, now),
      cardsOf: plan(CARDS_OF_SQL, HEAVY_WS, HEAVY_USER),
      answerTallies: plan(ANSWER_TALLIES_SQL, HEAVY_WS, HEAVY_USER, HEAVY_WS, HEAVY_USER),
      logOf: plan(LOG_OF_SQL, HEAVY_WS, HEAVY_USER),
    };
    db.pragma('journal_mode = WAL');
    return { plans, bulkRows: { cards, logs } };
  } finally {
    db.close();
  }
}

/**
 * The measured learner, through the ports as the app writes them (saveReview and, for a first answer, the
 * personal quiz's answer), in transactions of 2,000 reviews. Every card is answered `heavyLogs / heavyCards`
 * times, each review when the card falls due (or a little later), the history placed so that its last review
 * lies somewhere in the card's current interval, a tenth of the way past it at most: a learner who keeps up,
 * a few days behind on some cards. Its cards are every question of today's bank and, past it, questions of a
 * larger bank (see `withLargerBank`).
 */
export async function seedHeavy(store: Store, size: ReviewsSize, dueAt: Date, questionIds: string[]): Promise<void> {
  const random = seededRandom(7);
  const from = new Date(dueAt.getTime() - 365 * DAY);
  await store.transaction(async (tx) => {
    await tx.users.ensure(HEAVY_WS, HEAVY_USER, from);
    await tx.users.setTzOverride(HEAVY_WS, HEAVY_USER, LONDON);
    await tx.users.setDmChannel(HEAVY_WS, HEAVY_USER, 'D0RVHEAVY');
    await tx.users.setExamTarget(HEAVY_WS, HEAVY_USER, { cert: EXAM, date: '2027-02-15' });
    await tx.reviews.setNextReminder(HEAVY_WS, HEAVY_USER, nextDailyAt(dueAt, LONDON, '09:00').toJSDate());
    await tx.enrolments.switchTo(HEAVY_WS, HEAVY_USER, 'ml', '2026-06-01', from);
  });
  const perCard = Math.max(1, Math.round(size.heavyLogs / size.heavyCards));
  type Event = { at: number; q: string; first: boolean; card: MemoryCard; log: ReviewLogEntry; correct: boolean };
  const events: Event[] = [];
  for (const q of questionIds) {
    const grades = Array.from({ length: perCard }, () => grade(random));
    const lateness = Array.from({ length: perCard }, () => random() * 0.2);
    // The same answers from any start give the same intervals (no fuzz): a dry run finds where to start.
    const simulate = (start: number) => {
      const out: Event[] = [];
      let at = start;
      let card = newCard(new Date(at));
      grades.forEach((g, r) => {
        const graded = review(card, g, new Date(at));
        out.push({ at, q, first: r === 0, card: graded.card, log: graded.log, correct: g !== 'again' });
        card = graded.card;
        at = card.due.getTime() + lateness[r]! * (card.due.getTime() - at);
      });
      return { out, last: out[out.length - 1]!.at, interval: card.due.getTime() - out[out.length - 1]!.at };
    };
    const dry = simulate(from.getTime());
    const lastAt = dueAt.getTime() - random() * 1.1 * dry.interval;
    events.push(...simulate(from.getTime() + (lastAt - dry.last)).out);
  }
  events.sort((a, b) => a.at - b.at);
  for (let lo = 0; lo < events.length; lo += 2_000) {
    await store.transaction(async (tx: Repositories) => {
      for (const e of events.slice(lo, lo + 2_000)) {
        if (e.first) await tx.quiz.answer(HEAVY_WS, HEAVY_USER, e.q, null, [0], e.correct, new Date(e.at));
        await tx.reviews.saveReview(HEAVY_WS, HEAVY_USER, e.q, e.card, e.log, e.first ? 'personal_quiz' : 'review');
      }
    });
  }
}

/** Today's content with the exam's bank grown to hold `ids` (copies of its questions under those ids) and `unseen` more. */
export function withLargerBank(content: Content, ids: readonly string[], unseen: number): Content {
  const models = content.quiz.filter((q) => q.cert === EXAM);
  const extra: QuizQuestion[] = [...ids, ...Array.from({ length: unseen }, (_, i) => `q-bench-unseen-${i}`)].map((id, i) => ({
    ...models[i % models.length]!,
    id,
  }));
  const quiz = [...content.quiz, ...extra];
  const byId = new Map(quiz.map((q) => [q.id, q]));
  return { ...content, quiz, question: (id) => byId.get(id) };
}

type Timings = Map<string, { ms: number; calls: number }>;

/** The repository with each call's time added into `acc` under `name.method`; `after` runs when a call ends. */
function timed<R extends object>(name: string, repo: R, acc: Timings, after?: (method: string) => void): R {
  return new Proxy(repo, {
    get(target, prop) {
      const f = (target as Record<string | symbol, unknown>)[prop];
      if (typeof f !== 'function') return f;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (f as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const key = `${name}.${String(prop)}`;
          const a = acc.get(key) ?? { ms: 0, calls: 0 };
          acc.set(key, { ms: a.ms + performance.now() - t, calls: a.calls + 1 });
          after?.(String(prop));
        }
      };
    },
  });
}

/** The store with every repository call timed into `acc` (for the breakdown; the headline figures run untimed). */
function timedStore(store: Store, acc: Timings): Store {
  return {
    ...store,
    users: timed('users', store.users, acc),
    enrolments: timed('enrolments', store.enrolments, acc),
    quiz: timed('quiz', store.quiz, acc),
    reviews: timed('reviews', store.reviews, acc),
  };
}

const describeTimings = (acc: Timings) =>
  [...acc]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([k, v]) => `${k} ${ms(v.ms)} (${n(v.calls)} calls)`)
    .join(', ');

/**
 * How much of the machine a stretch of timed calls had: the 1-minute load average at its end and the share of its wall
 * time this process ran on a CPU. A whole run measured at two to three times its usual figures, the JavaScript-only
 * part too (users.get, the service's own code), was a process waiting for a core the other engineers' work held
 * (2026-12-02 00:25 UTC against 23:18): the line tells such a run from a slower store.
 */
export function cpuShare(): () => string {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    const share = (used.user + used.system) / 1000 / (performance.now() - wall);
    return `load average ${loadavg()[0]!.toFixed(2)}, this process on a CPU ${(share * 100).toFixed(0)}% of the wall time`;
  };
}

export async function timeCalls(calls: number, warm: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warm; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times;
}

/** `a` and `b` called in turn, `calls` times each after `warm` rounds: their times, side by side on the same machine. */
export async function timeInTurn(calls: number, warm: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < warm; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const once = async (f: () => Promise<unknown>, times: number[]) => {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  };
  // Each goes first in every other round, so neither always runs on the other's warm cache.
  for (let i = 0; i < calls; i++) {
    if (i % 2) {
      await once(b, tb);
      await once(a, ta);
    } else {
      await once(a, ta);
      await once(b, tb);
    }
  }
  return [ta, tb];
}

/** Where one call's time goes: each repository method's mean time per call, the rest of the mean call being the service's own work. */
export async function breakdown(deps: StudyDeps, f: (deps: StudyDeps) => Promise<unknown>, calls: number): Promise<string> {
  const acc: Timings = new Map();
  const timed = { ...deps, store: timedStore(deps.store, acc) };
  const times = await timeCalls(calls, 0, () => f(timed));
  const total = times.reduce((a, b) => a + b, 0) / times.length;
  const perCall = [...acc].map(([k, v]) => ({ k, ms: v.ms / calls, calls: v.calls / calls })).sort((a, b) => b.ms - a.ms);
  const inStore = perCall.reduce((s, x) => s + x.ms, 0);
  return `${perCall.map((x) => `${x.k}${x.calls > 1 ? ` ×${x.calls}` : ''} ${ms(x.ms)}`).join(', ')}; service and domain code ${ms(Math.max(0, total - inStore))} (means of ${calls} timed calls, ${ms(total)} each)`;
}

/**
 * Issue 12, performance and scale: a heavy learner's next review card and readiness with 100,000 learners
 * in the database; the review reminder's due set in a scheduler pass (nothing due, then 10,000 due); and the
 * acknowledgement of /aipath review and readiness beside a bare Bolt app (bench/ack.ts).
 */
export async function benchReviews(size: ReviewsSize = reviewsSizeFromArgs(process.argv.slice(2))): Promise<string[]> {
  const path = tempDb();
  // The measured instant: London's 09:00 on Tuesday 1 December 2026, the due learners' reminder slot.
  const dueAt = nextDailyAt(new Date('2026-12-01T08:00:00Z'), LONDON, '09:00').toJSDate();
  const quietAt = new Date(dueAt.getTime() - 30_000);
  const lines: string[] = [];
  const fake = await new ScriptableFakeSlack().start();
  try {
    // ---- seed: everyone else in bulk SQL, then the measured learner through the ports
    const seedStarted = performance.now();
    const content = loadContent();
    const { plans, bulkRows } = seedBulk(path, size, dueAt, content);
    const bulkMs = performance.now() - seedStarted;
    const container = await benchContainer(path, fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000_000 });
    const { services } = container;
    const { store } = services;
    try {
      const real = content.quiz.map((q) => q.id).slice(0, size.heavyCards);
      const synthetic = Array.from({ length: size.heavyCards - real.length }, (_, i) => `q-bench-${EXAM}-${String(i).padStart(4, '0')}`);
      const heavyStarted = performance.now();
      await seedHeavy(store, size, dueAt, [...real, ...synthetic]);
      await store.database.purgeDeleted(); // empties the write-ahead log into the file
      const heavyMs = performance.now() - heavyStarted;
      const heavyCards = await store.reviews.cardsOf(HEAVY_WS, HEAVY_USER);
      const heavyLog = await store.reviews.logOf(HEAVY_WS, HEAVY_USER);
      const heavyDue = await store.reviews.dueCount(HEAVY_WS, HEAVY_USER, dueAt);
      const heavyAnswers = await store.quiz.answersOf(HEAVY_WS, HEAVY_USER);

      lines.push(
        `reviews (${n(size.learners)} learners in ${WORKSPACES} workspaces; machine ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}); engine ${store.database.engine}; measured instant ${dueAt.toISOString()} = Tue 09:00 ${LONDON})`,
        `  seed         ${n(size.learners - 1)} learners × ${size.cardsEach} cards = ${n(bulkRows.cards)} cards, ${n(bulkRows.logs)} review-log rows, in bulk SQL on a separate connection (${ms(bulkMs)});`,
        `               the measured learner through the ports: ${n(heavyCards.length)} cards, ${n(heavyLog.length)} review-log rows, ${n(heavyAnswers.length)} quiz answers, ${n(heavyDue)} cards due (${ms(heavyMs)});`,
        `               database ${mb(statSync(path).size)}; no ANALYZE (the app never runs it), so the plans are the planner's own guesses`,
        `  query plans  dueReminders: ${plans.dueReminders}`,
        `               dueCards:     ${plans.dueCards}`,
        `               dueCount:     ${plans.dueCount}`,
        `               cardsOf:      ${plans.cardsOf}`,
        `               answerTallies: ${plans.answerTallies}`,
        `               logOf:        ${plans.logOf}`,
      );

      // ---- 1 and 2: the heavy learner's next card and readiness
      const caller: Caller = {
        workspaceId: HEAVY_WS,
        userId: HEAVY_USER,
        channelId: 'D0RVHEAVY',
        now: dueAt,
        profile: async () => ({ tz: LONDON, isAdmin: false }),
      };
      const cert = content.certification(EXAM)!;
      const larger: StudyDeps = { ...services.study, content: withLargerBank(content, synthetic, 200) };
      const bankSize = larger.content.quiz.filter((q) => q.cert === EXAM).length;
      const step = await nextReview(larger, caller, { allowNew: true });
      const machine = cpuShare();
      const next = await timeCalls(size.calls, 5, () => nextReview(larger, caller, { allowNew: true }));
      // Alone, as the next card is: the goal's figure. In turn with the computation it replaced (below), readiness's
      // calls also pay for collecting that one's garbage (it reads the learner's 20,000 review-log rows).
      const readyAlone = await timeCalls(size.calls, 5, () => readinessFor(larger, caller, cert));
      // Readiness and the computation it replaced (test/support/readiness-reference.ts), call for call in turn, so
      // both see the same machine; their results must be equal.
      const largerBank = larger.content.quiz.filter((q) => q.cert === EXAM);
      const before = () => referenceReadiness(store, HEAVY_WS, HEAVY_USER, cert, largerBank, dueAt);
      const same = isDeepStrictEqual(await readinessFor(larger, caller, cert), await before());
      const [ready, readyBefore] = await timeInTurn(size.calls, 5, () => readinessFor(larger, caller, cert), before);
      const machineThen = machine();
      // Today's bank, for comparison: the learner's cards past its 328 questions are of questions it does not know.
      const few = Math.min(20, size.calls);
      const nextToday = await timeCalls(few, 3, () => nextReview(services.study, caller, { allowNew: true }));
      const readyToday = await timeCalls(few, 3, () => readinessFor(services.study, caller, cert));
      const breakdownCalls = Math.min(15, size.calls);
      // A typical learner of the bulk seed, for scale (and for the acknowledgement figures below).
      const typical: Caller = { ...caller, workspaceId: 'T0RV0001', userId: 'U0RV0000001', channelId: 'D0RV0000001' };
      const typicalCards = (await store.reviews.cardsOf(typical.workspaceId, typical.userId)).length;
      const typicalLogs = (await store.reviews.logOf(typical.workspaceId, typical.userId)).length;
      const nextTypical = await timeCalls(few, 3, () => nextReview(services.study, typical, { allowNew: true }));
      const readyTypical = await timeCalls(few, 3, () => readinessFor(services.study, typical, cert));
      lines.push(
        `  the measured learner's exam ${EXAM}, its bank grown to ${n(bankSize)} questions (copies of its ${content.quiz.filter((q) => q.cert === EXAM).length} under the ids of the learner's cards, and 200 never seen)`,
        `  (1) next review card   nextReview(allowNew) p50 ${ms(median(next))}, p99 ${ms(percentile(next, 99))} over ${next.length} calls; goal p50 ≤ 2 ms: ${verdict(median(next), 2)}`,
        `                         (it shows ${step.kind === 'card' ? `a ${step.isNew ? 'new' : 'due'} card, ${step.dueLeft} due in the bank` : step.kind}); with today's ${content.quiz.length}-question bank p50 ${ms(median(nextToday))} over ${few} calls`,
        `      where it goes      ${await breakdown(larger, (d) => nextReview(d, caller, { allowNew: true }), breakdownCalls)}`,
        `  (2) readiness          readinessFor(${EXAM}) p50 ${ms(median(readyAlone))}, p99 ${ms(percentile(readyAlone, 99))} over ${readyAlone.length} calls; goal ≤ 5 ms: ${verdict(median(readyAlone), 5)}`,
        `                         in turn with the computation it replaced: p50 ${ms(median(ready))} against ${ms(median(readyBefore))} (p99 ${ms(percentile(ready, 99))} against ${ms(percentile(readyBefore, 99))}); the same result: ${same ? 'yes' : 'NO'}`,
        `                         with today's bank p50 ${ms(median(readyToday))} over ${few} calls`,
        `      where it goes      ${await breakdown(larger, (d) => readinessFor(d, caller, cert), breakdownCalls)}`,
        `      before             ${await breakdown(larger, (d) => referenceReadiness(d.store, HEAVY_WS, HEAVY_USER, cert, largerBank, dueAt), breakdownCalls)}`,
        `  machine during (1) and (2): ${machineThen}`,
        `  for scale, a typical learner (${typicalCards} cards, ${typicalLogs} review-log rows, today's bank): nextReview p50 ${ms(median(nextTypical))}, readinessFor p50 ${ms(median(readyTypical))} over ${few} calls each`,
      );
      // What the app itself does for a slash command (parse, service, presenter), without Bolt and HTTP.
      const commandWork: string[] = [];
      for (const text of ['cert aip-c01', 'review', 'readiness']) {
        const typicalMs = median(await timeCalls(few, 3, () => answerCommandText(services.study, typical, text, NO_SLACK)));
        const heavyMs = median(await timeCalls(Math.min(10, few), 1, () => answerCommandText(services.study, caller, text, NO_SLACK)));
        commandWork.push(`'${text}' ${ms(typicalMs)} typical, ${ms(heavyMs)} the measured learner`);
      }
      lines.push(`  app work per /aipath command in-process (answerCommandText, p50): ${commandWork.join('; ')}`);

      // ---- 3: the review reminder's due set in a scheduler pass
      const realDueReminders = store.reviews.dueReminders.bind(store.reviews);
      const ownDueReminders = store.reviews.dueReminders;
      let inPass = 0;
      let inPassCalls = 0;
      store.reviews.dueReminders = async (now, limit) => {
        const t = performance.now();
        try {
          return await realDueReminders(now, limit);
        } finally {
          inPass += performance.now() - t;
          inPassCalls += 1;
        }
      };
      const pass = (now: Date) => container.runPass(now);
      await pass(quietAt); // warms the statements and page cache
      const quiet: number[] = [];
      const quietReminder: number[] = [];
      for (let i = 0; i < size.quietRuns; i++) {
        inPass = 0;
        const t = performance.now();
        const summary = await pass(quietAt);
        quiet.push(performance.now() - t);
        quietReminder.push(inPass);
        if (summary.due !== 0) throw new Error(`quiet pass found ${summary.due} due`);
      }
      store.reviews.dueReminders = ownDueReminders;
      const alone = await timeCalls(size.quietRuns, 3, () => store.reviews.dueReminders(quietAt, 500));
      const first500 = await timeCalls(7, 1, () => store.reviews.dueReminders(dueAt, 500));
      let t = performance.now();
      const everyone = await store.reviews.dueReminders(dueAt, 1_000_000);
      const everyoneMs = performance.now() - t;
      if (everyone.length !== size.due) throw new Error(`dueReminders found ${everyone.length}, expected ${size.due}`);

      // The claim phase runs from the start of the pass to its last ledger insert (all before the first send);
      // claims insert into the ledger through the transaction's own repositories, so the work is handed a tx
      // whose ledger.insert and insertMany are timed (as bench/due-set.ts does).
      const ownTransaction = store.transaction;
      const realTransaction = ownTransaction.bind(store);
      let lastInsert = 0;
      const inClaims: Timings = new Map();
      const timedLedger = (tx: Repositories): Repositories => ({
        ...tx,
        ledger: timed('ledger', tx.ledger, inClaims, (method) => {
          if (method === 'insert' || method === 'insertMany') lastInsert = performance.now();
        }),
        reviews: timed('reviews', tx.reviews, inClaims),
      });
      // Claim transactions (those that insert into the ledger): their time in all, and inside their work.
      const claims = { count: 0, ms: 0, workMs: 0 };
      store.transaction = async (work) => {
        const t0 = performance.now();
        let inserted = false;
        let workMs = 0;
        try {
          return await realTransaction(async (tx) => {
            const w0 = performance.now();
            try {
              return await work(
                timedLedger({
                  ...tx,
                  ledger: {
                    ...tx.ledger,
                    insert: (...args) => {
                      inserted = true;
                      return tx.ledger.insert(...args);
                    },
                    // Passes claim a batch at a time.
                    insertMany: (...args) => {
                      inserted = true;
                      return tx.ledger.insertMany(...args);
                    },
                  },
                }),
              );
            } finally {
              workMs = performance.now() - w0;
            }
          });
        } finally {
          if (inserted) {
            claims.count += 1;
            claims.ms += performance.now() - t0;
            claims.workMs += workMs;
          }
        }
      };
      store.reviews.dueReminders = async (now, limit) => {
        const q = performance.now();
        try {
          return await realDueReminders(now, limit);
        } finally {
          inPass += performance.now() - q;
          inPassCalls += 1;
        }
      };
      inPass = 0;
      inPassCalls = 0;
      fake.reset();
      t = performance.now();
      const summary = await pass(dueAt);
      const total = performance.now() - t;
      const claim = lastInsert - t;
      store.transaction = ownTransaction;
      store.reviews.dueReminders = ownDueReminders;
      if (summary.due !== size.due || summary.sent !== size.due) throw new Error(`due pass: due ${summary.due}, sent ${summary.sent}, expected ${size.due}`);
      const reminders = await store.ledger.list({ kind: 'review_reminder' });

      lines.push(
        `  (3) review reminder's due set (no subscriptions; weekly nudges next Monday; every learner's reminder slot at 09:00 in one of ${ZONES.length} timezones):`,
        `      nothing due        whole pass ${ms(median(quiet))} p50, p95 ${ms(percentile(quiet, 95))} over ${quiet.length} passes at ${quietAt.toISOString()}; goal ≤ 1 ms: ${verdict(median(quiet), 1)}`,
        `                         the reminder part (dueReminders inside the pass) ${ms(median(quietReminder))} p50; goal ≤ 1 ms: ${verdict(median(quietReminder), 1)}`,
        `                         dueReminders(now, 500) alone ${ms(median(alone))} p50, p99 ${ms(percentile(alone, 99))} over ${alone.length} calls`,
        `      ${n(size.due)} due       dueReminders(now, 500) ${ms(median(first500))} a call; all ${n(size.due)} rows in one call ${ms(everyoneMs)}`,
        `                         claim phase ${ms(claim)} (${((claim / size.due) * 1000).toFixed(0)} µs a learner), of which dueReminders ${ms(inPass)} over ${inPassCalls} calls; goal ≤ 1 s: ${verdict(claim, 1000)}`,
        `                         ${n(claims.count)} claim transactions ${ms(claims.ms)} in all, of which BEGIN IMMEDIATE/COMMIT (and the wait for the connection) ${ms(claims.ms - claims.workMs)};`,
        `                         inside them ${describeTimings(inClaims)}; the rest (the schedule's advance: luxon date arithmetic, claim specs) ${ms(claims.workMs - [...inClaims.values()].reduce((a, b) => a + b.ms, 0))};`,
        `                         outside them (dueReminders, the yield after each chunk of 25, the other schedules) ${ms(claim - claims.ms)}`,
        `                         full pass ${ms(total)} with delivery to the fake Slack (cached DM channel, chat.postMessage each; limiter out of the way): due ${summary.due}, sent ${summary.sent}, failed ${summary.failed}; ${reminders.length} review_reminder rows in the ledger`,
      );
    } finally {
      await container.close();
    }

    // ---- 4: acknowledgement, bench/ack.ts's own database and machinery (its learners have cards and an exam)
    if (size.ack) {
      const ack = await benchAck();
      lines.push(`  (4) ${ack[0]!.trim()}`);
      for (const line of ack.slice(1)) {
        const m = /^\s+(\S+)\s.*aipath ack p50 [\d.]+ ms, p99 ([\d.]+) ms \| bare p50 [\d.]+ ms, p99 ([\d.]+) ms/.exec(line);
        const goal = m && (m[1] === 'review' || m[1] === 'readiness') ? `; goal p99 ≤ 1.3× bare: ${verdict(Number(m[2]) / Number(m[3]), 1.3)}` : '';
        lines.push(`    ${line.trim()}${goal}`);
      }
    } else {
      lines.push('  (4) acknowledgement: skipped (--no-ack); `npm run bench -- ack` runs it alone');
    }

    // ---- 5: the measured learner on PostgreSQL
    if (size.postgres) lines.push(...(await (await import('./reviews-postgres.js')).benchReviewsPostgres(size, dueAt)));
    else lines.push('  (5) PostgreSQL: skipped (--no-postgres)');
    return lines;
  } finally {
    await fake.stop();
  }
}
