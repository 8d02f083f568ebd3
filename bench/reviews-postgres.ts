/**
 * Issue 12's figures for the measured learner on PostgreSQL (`npm run bench -- reviews`, section 5): its next review card
 * and readiness, with the computation readiness replaced in turn beside it, on a throwaway server (bench/pg-server.ts).
 * Everyone else (the same learners, tracks, exams and cards a learner as the SQLite seed, their cards real FSRS histories
 * stamped out of the same templates, each shifted to fall due between ten days ago and a month on) is loaded in bulk by
 * INSERT … SELECT FROM generate_series on a separate connection, then VACUUM (ANALYZE) as autovacuum would; the measured
 * learner goes through the ports exactly as on SQLite (seedHeavy).
 */
import { isDeepStrictEqual } from 'node:util';
import { loadContent } from '../src/content/load.js';
import type { Caller, StudyDeps } from '../src/services/context.js';
import { nextReview, readinessFor } from '../src/services/reviews.js';
import { ANSWER_TALLIES_SQL } from '../src/store/postgres/reviews.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { freshDatabase } from '../test/support/postgres.js';
import { referenceReadiness } from '../test/support/readiness-reference.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { benchContainer } from './fanout.js';
import { startBenchServer, withClient } from './pg-server.js';
import {
  breakdown,
  cpuShare,
  EXAM,
  HEAVY_USER,
  HEAVY_WS,
  LONDON,
  ms,
  type ReviewsSize,
  STARTED_ON,
  seedHeavy,
  templates,
  timeCalls,
  timeInTurn,
  verdict,
  WORKSPACES,
  withLargerBank,
} from './reviews.js';
import { median, percentile } from './support.js';

const DAY = 86_400_000;
const n = (x: number) => x.toLocaleString('en');

/** Everyone but the measured learner, in bulk (see the module's comment); the schema is the store's, migrated first. */
async function seedBulkPostgres(url: string, size: ReviewsSize, dueAt: Date): Promise<{ cards: number; logs: number }> {
  const content = loadContent();
  const pool = templates(256, seededRandom(12));
  const card = (f: (h: (typeof pool)[number]) => unknown) => pool.map(f);
  const logs = pool.flatMap((h, t) => h.logs.map((l, r) => ({ t, r, l })));
  return withClient(url, async (c) => {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO users (workspace_id, user_id, tz_override, nudge_time, created_at, dm_channel, exam_cert, exam_date)
       SELECT 'T0RV' || lpad((i % $2)::text, 4, '0'), 'U0RV' || lpad(i::text, 7, '0'), 'Asia/Tokyo', '09:00', '2026-09-01T00:00:00.000Z',
              'D0RV' || lpad(i::text, 7, '0'), (ARRAY[NULL, 'aip-c01', 'mla-c02'])[i % 3 + 1], CASE WHEN i % 3 = 0 THEN NULL ELSE '2027-03-01' END
       FROM generate_series(0, $1 - 1) AS i ORDER BY 1, 2`,
      [size.learners - 1, WORKSPACES],
    );
    await c.query(
      `INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at)
       SELECT 'T0RV' || lpad((i % $2)::text, 4, '0'), 'U0RV' || lpad(i::text, 7, '0'), ($3::text[])[i % cardinality($3::text[]) + 1],
              ($4::text[])[i % cardinality($4::text[]) + 1], 'active', true, '2026-09-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z'
       FROM generate_series(0, $1 - 1) AS i`,
      [size.learners - 1, WORKSPACES, content.tracks.map((t) => t.id), STARTED_ON],
    );
    // Card k of learner i: template (i·31 + k·7) mod 256 shifted so that it falls due dueAt + (x − 0.25)·40 days, x a
    // deterministic number in [0, 1) (the SQLite seed draws it at random), on question (i·13 + k) of the bank.
    const shiftedCards = `SELECT i, k, (i * 31 + k * 7) % 256 + 1 AS t, ($4::text[])[(i * 13 + k) % cardinality($4::text[]) + 1] AS q,
         $2::double precision + (((i * 7919 + k * 104729) % 10007) / 10007.0 - 0.25) * 40 * ${DAY} - ($5::double precision[])[(i * 31 + k * 7) % 256 + 1] AS by
       FROM generate_series(0, $1 - 1) AS i, generate_series(0, $3 - 1) AS k`;
    const at = (msExpr: string) => `to_timestamp((${msExpr}) / 1000.0)`;
    const cards = await c.query(
      `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
         reps, lapses, state, last_review_at, updated_at, answered, right_answers)
       SELECT 'T0RV' || lpad((s.i % ${WORKSPACES})::text, 4, '0'), 'U0RV' || lpad(s.i::text, 7, '0'), s.q, ${at('($5::double precision[])[s.t] + s.by')},
              ($6::double precision[])[s.t], ($7::double precision[])[s.t], ($8::int[])[s.t], ($9::int[])[s.t], ($10::int[])[s.t], ($11::int[])[s.t],
              ($12::int[])[s.t], ($13::text[])[s.t], ${at('($14::double precision[])[s.t] + s.by')}, ${at('($14::double precision[])[s.t] + s.by')},
              ($15::int[])[s.t], ($16::int[])[s.t]
       FROM (${shiftedCards}) AS s
       ON CONFLICT DO NOTHING`,
      [
        size.learners - 1,
        dueAt.getTime(),
        size.cardsEach,
        content.quiz.map((q) => q.id),
        card((h) => h.card.due.getTime()),
        card((h) => h.card.stability),
        card((h) => h.card.difficulty),
        card((h) => h.card.elapsedDays),
        card((h) => h.card.scheduledDays),
        card((h) => h.card.learningSteps),
        card((h) => h.card.reps),
        card((h) => h.card.lapses),
        card((h) => h.card.state),
        card((h) => h.card.lastReview?.getTime() ?? null),
        card((h) => h.logs.length),
        card((h) => h.logs.filter((l) => l.rating !== 'again').length),
      ],
    );
    const logRows = await c.query(
      `INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days,
         scheduled_days, learning_steps, reviewed_at)
       SELECT 'T0RV' || lpad((s.i % ${WORKSPACES})::text, 4, '0'), 'U0RV' || lpad(s.i::text, 7, '0'), s.q,
              CASE WHEN l.r > 0 THEN 'review' WHEN s.k % 2 = 1 THEN 'channel_quiz' ELSE 'personal_quiz' END, l.rating, l.state, ${at('l.due + s.by')},
              l.stability, l.difficulty, l.elapsed, l.last_elapsed, l.scheduled, l.steps, ${at('l.review + s.by')}
       FROM (${shiftedCards}) AS s
       JOIN unnest($6::int[], $7::int[], $8::text[], $9::text[], $10::double precision[], $11::double precision[], $12::double precision[], $13::int[],
                   $14::int[], $15::int[], $16::int[], $17::double precision[])
         AS l(t, r, rating, state, due, stability, difficulty, elapsed, last_elapsed, scheduled, steps, review) ON l.t = s.t
       ORDER BY s.i, s.k, l.r`,
      [
        size.learners - 1,
        dueAt.getTime(),
        size.cardsEach,
        content.quiz.map((q) => q.id),
        card((h) => h.card.due.getTime()),
        logs.map((x) => x.t + 1),
        logs.map((x) => x.r),
        logs.map((x) => x.l.rating),
        logs.map((x) => x.l.state),
        logs.map((x) => x.l.due.getTime()),
        logs.map((x) => x.l.stability),
        logs.map((x) => x.l.difficulty),
        logs.map((x) => x.l.elapsedDays),
        logs.map((x) => x.l.lastElapsedDays),
        logs.map((x) => x.l.scheduledDays),
        logs.map((x) => x.l.learningSteps),
        logs.map((x) => x.l.review.getTime()),
      ],
    );
    await c.query('COMMIT');
    return { cards: cards.rowCount ?? 0, logs: logRows.rowCount ?? 0 };
  });
}

/** Section 5 of the reviews benchmark: the measured learner's next card and readiness on PostgreSQL. */
export async function benchReviewsPostgres(size: ReviewsSize, dueAt: Date): Promise<string[]> {
  const server = await startBenchServer();
  if (!server.url) return [`  (5) PostgreSQL: skipped (${server.skipped})`];
  const fake = await new ScriptableFakeSlack().start();
  const db = await freshDatabase(server.url, 'bench_reviews');
  try {
    const seedStarted = performance.now();
    // The store migrates the fresh database as it opens; the bulk seed comes after, on its own connection.
    let container = await benchContainer(db.url, fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000_000 });
    await container.close();
    const bulk = await seedBulkPostgres(db.url, size, dueAt);
    const bulkMs = performance.now() - seedStarted;
    container = await benchContainer(db.url, fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000_000 });
    try {
      const { services } = container;
      const { store } = services;
      const content = loadContent();
      const real = content.quiz.map((q) => q.id).slice(0, size.heavyCards);
      const synthetic = Array.from({ length: size.heavyCards - real.length }, (_, i) => `q-bench-${EXAM}-${String(i).padStart(4, '0')}`);
      const heavyStarted = performance.now();
      await seedHeavy(store, size, dueAt, [...real, ...synthetic]);
      const heavyMs = performance.now() - heavyStarted;
      const { plan, bytes, vm } = await withClient(db.url, async (c) => {
        await c.query('VACUUM (ANALYZE)');
        // Run, not only planned: whether the learner's cards are read from the index alone (heap fetches) matters as much.
        const plan = (
          await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${ANSWER_TALLIES_SQL}`, [HEAVY_WS, HEAVY_USER])
        ).rows
          .map((r) => r['QUERY PLAN'].trim().replace(/^->\s*/, ''))
          .join(' / ');
        const vm = (await c.query<{ v: string }>(`SELECT relallvisible || ' of ' || relpages AS v FROM pg_class WHERE relname = 'memory_cards'`)).rows[0]!.v;
        const bytes = Number((await c.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n);
        return { plan, bytes, vm };
      });
      const heavyCards = (await store.reviews.cardsOf(HEAVY_WS, HEAVY_USER)).length;
      const heavyLogs = (await store.reviews.logOf(HEAVY_WS, HEAVY_USER)).length;
      const heavyAnswers = (await store.quiz.answersOf(HEAVY_WS, HEAVY_USER)).length;

      const caller: Caller = {
        workspaceId: HEAVY_WS,
        userId: HEAVY_USER,
        channelId: 'D0RVHEAVY',
        now: dueAt,
        profile: async () => ({ tz: LONDON, isAdmin: false }),
      };
      const cert = content.certification(EXAM)!;
      const larger: StudyDeps = { ...services.study, content: withLargerBank(content, synthetic, 200) };
      const largerBank = larger.content.quiz.filter((q) => q.cert === EXAM);
      const step = await nextReview(larger, caller, { allowNew: true });
      const machine = cpuShare();
      const next = await timeCalls(size.calls, 5, () => nextReview(larger, caller, { allowNew: true }));
      // Alone, as the next card is: the goal's figure. In turn with the computation it replaced (below), readiness's
      // calls also pay for collecting that one's garbage (it reads the learner's 20,000 review-log rows).
      const readyAlone = await timeCalls(size.calls, 5, () => readinessFor(larger, caller, cert));
      const before = () => referenceReadiness(store, HEAVY_WS, HEAVY_USER, cert, largerBank, dueAt);
      const same = isDeepStrictEqual(await readinessFor(larger, caller, cert), await before());
      const [ready, readyBefore] = await timeInTurn(size.calls, 5, () => readinessFor(larger, caller, cert), before);
      const machineThen = machine();
      const breakdownCalls = Math.min(15, size.calls);
      return [
        `  (5) PostgreSQL (${server.version}, throwaway server, fsync off): the measured learner's next card and readiness`,
        `      seed         ${n(size.learners - 1)} learners × ${size.cardsEach} cards = ${n(bulk.cards)} cards, ${n(bulk.logs)} review-log rows in bulk SQL (${ms(bulkMs)});`,
        `                   the measured learner through the ports: ${n(heavyCards)} cards, ${n(heavyLogs)} review-log rows, ${n(heavyAnswers)} quiz answers (${ms(heavyMs)}); then VACUUM (ANALYZE); database ${(bytes / 1024 / 1024).toFixed(0)} MB; memory_cards pages all-visible: ${vm}`,
        `      answerTallies plan: ${plan}`,
        `      next review card   nextReview(allowNew) p50 ${ms(median(next))}, p99 ${ms(percentile(next, 99))} over ${next.length} calls; goal p50 ≤ 2 ms: ${verdict(median(next), 2)}`,
        `                         (it shows ${step.kind === 'card' ? `a ${step.isNew ? 'new' : 'due'} card, ${step.dueLeft} due in the bank` : step.kind})`,
        `      where it goes      ${await breakdown(larger, (d) => nextReview(d, caller, { allowNew: true }), breakdownCalls)}`,
        `      readiness          readinessFor(${EXAM}) p50 ${ms(median(readyAlone))}, p99 ${ms(percentile(readyAlone, 99))} over ${readyAlone.length} calls; goal ≤ 5 ms: ${verdict(median(readyAlone), 5)}`,
        `                         in turn with the computation it replaced: p50 ${ms(median(ready))} against ${ms(median(readyBefore))} (p99 ${ms(percentile(ready, 99))} against ${ms(percentile(readyBefore, 99))}); the same result: ${same ? 'yes' : 'NO'}`,
        `      where it goes      ${await breakdown(larger, (d) => readinessFor(d, caller, cert), breakdownCalls)}`,
        `      machine during them: ${machineThen} (the server's processes not counted)`,
      ];
    } finally {
      await container.close();
    }
  } finally {
    await db.drop();
    await fake.stop();
    await server.stop();
  }
}
