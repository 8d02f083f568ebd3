import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { createLogger } from '../src/log.js';
import { adminOverview, workspaceExport } from '../src/services/admin.js';
import type { Caller } from '../src/services/context.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { migrate } from '../src/store/sqlite/migrate.js';
import { median, tempDb } from './support.js';

const WS = 'T0BENCHADM';
const DAY = 86_400_000;

/**
 * `/aipath admin` and `/aipath admin export` in a large workspace on SQLite, where a slow read blocks the event loop:
 * the overview (its "active in the last 7 days" count reads answers and reviews by time) and the export, each with
 * the time indexes of SQLite 016 (quiz_answers_by_time, review_log_by_time) and without them (the baseline, dropped
 * on the same file), and what the indexes cost a bulk of answer inserts.
 */
export async function benchAdmin(learners = 100_000, answers = 1_500_000, reviews = 500_000, days = 90, answering = 0.3): Promise<string[]> {
  // Answers and reviews come from the engaged share of the learners (`answering`), as in a real workspace.
  const answerer = (i: number) => `U${String((i * 7919) % Math.round(learners * answering)).padStart(9, '0')}`;
  const path = tempDb();
  // Bulk seeding in raw SQL, which the ports deliberately do not offer: a connection of its own.
  const db = openDatabase(path);
  migrate(db);
  const start = Date.parse('2026-09-01T00:00:00Z');
  const at = (i: number, n: number) => new Date(start + Math.floor((i / n) * days * DAY)).toISOString();
  const seedStarted = performance.now();
  db.transaction(() => {
    const user = db.prepare('INSERT INTO users (workspace_id, user_id, created_at, points_total) VALUES (?, ?, ?, ?)');
    const enrol = db.prepare(
      "INSERT INTO enrolments (workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at) VALUES (?, ?, 'devops', '2026-09-07', ?, 1, ?, ?)",
    );
    const done = db.prepare('INSERT INTO milestones_done (enrolment_id, week, done_at) VALUES (?, ?, ?)');
    for (let i = 0; i < learners; i++) {
      const id = `U${String(i).padStart(9, '0')}`;
      user.run(WS, id, '2026-09-01T00:00:00.000Z', (i * 37) % 500);
      const { lastInsertRowid } = enrol.run(WS, id, i % 10 === 0 ? 'paused' : 'active', '2026-09-07T00:00:00.000Z', '2026-09-07T00:00:00.000Z');
      for (let w = 1; w <= i % 12; w++) done.run(lastInsertRowid, w, new Date(start + (6 + 7 * w) * DAY).toISOString());
    }
  })();
  // Answers are keyed by the learner's number, instants in milliseconds (SQLite 014).
  const answer = db.prepare(
    'INSERT INTO quiz_answers (learner, question_id, post_key, option_index, correct, answered_at) VALUES ((SELECT id FROM users WHERE workspace_id = ? AND user_id = ?), ?, 0, 0, 1, ?)',
  );
  const review = db.prepare(
    `INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days,
       last_elapsed_days, scheduled_days, learning_steps, reviewed_at) VALUES (?, ?, ?, 'review', 'good', 'review', ?, 1, 1, 0, 0, 0, 0, ?)`,
  );
  for (let chunk = 0; chunk < answers; chunk += 100_000)
    db.transaction(() => {
      for (let i = chunk; i < Math.min(answers, chunk + 100_000); i++) answer.run(WS, answerer(i), `q-${i}`, Date.parse(at(i, answers)));
    })();
  for (let chunk = 0; chunk < reviews; chunk += 100_000)
    db.transaction(() => {
      for (let i = chunk; i < Math.min(reviews, chunk + 100_000); i++) {
        const when = at(i, reviews);
        review.run(WS, answerer(i * 13), `q-${i}`, when, when);
      }
    })();
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // What the two indexes cost writes: 100,000 more answers (by learners of another workspace, so that the reads
  // measured here do not see them) in one transaction, with the indexes and without them.
  const other = db.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES ('T0BENCHWRT', ?, '2026-09-01T00:00:00.000Z')");
  db.transaction(() => {
    for (let i = 0; i < 1000; i++) other.run(`U${i}`);
  })();
  const insertMs = () => {
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) answer.run('T0BENCHWRT', `U${i % 1000}`, `w-${i}-${t0}`, new Date(start + days * DAY + i).toISOString());
    })();
    return performance.now() - t0;
  };
  const withIndexWrite = insertMs();

  const container = await buildContainer(loadConfig({ AIPATH_DB: path }), { logger: createLogger('error') });
  const deps = container.services.study;
  const caller: Caller = {
    workspaceId: WS,
    userId: 'U0ADMIN',
    channelId: 'C0ADMIN',
    now: new Date(start + days * DAY),
    profile: async () => ({ tz: 'UTC', isAdmin: true }),
  };
  const timed = async (runs: number, work: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await work();
      times.push(performance.now() - t0);
    }
    return times;
  };
  const measure = async () => {
    const overview = await timed(7, () => adminOverview(deps, caller));
    const active = await timed(7, () => deps.store.reports.activeLearners(WS, new Date(caller.now.getTime() - 7 * DAY)));
    const exported = await timed(3, () => workspaceExport(deps, caller));
    // The export's reads, page by page (each one holds the event loop on SQLite): the whole, and the longest page.
    const pages: number[] = [];
    const read = await timed(3, async () => {
      for (let after = ''; ; ) {
        const t0 = performance.now();
        const page = await deps.store.reports.learners(WS, { after, limit: 1000 });
        pages.push(performance.now() - t0);
        if (!page.length) break;
        after = page.at(-1)!.userId;
      }
    });
    return { overview: median(overview), active: median(active), exported: median(exported), read: median(read), longestPage: Math.max(...pages) };
  };
  const withIndex = await measure();
  const r = await adminOverview(deps, caller);
  const activeCount = r.kind === 'overview' ? r.learners.activeThisWeek : 0;
  const file = await workspaceExport(deps, caller);
  const csvMb = file.kind === 'export' ? Buffer.byteLength(file.csv) / 1024 / 1024 : 0;
  // The baseline: the same file without the time indexes (dropped on the seeding connection; the container's
  // prepared statements are planned again by SQLite when the schema changes).
  db.exec('DROP INDEX quiz_answers_by_time; DROP INDEX review_log_by_time; ANALYZE');
  const without = await measure();
  // Writes alternate (with, without, with again) so that neither side gets only the warmer cache.
  const withoutIndexWrite = insertMs();
  db.exec(
    'CREATE INDEX quiz_answers_by_time ON quiz_answers (answered_at, learner); CREATE INDEX review_log_by_time ON review_log (workspace_id, reviewed_at, user_id)',
  );
  const withIndexWriteAgain = insertMs();
  await container.close();
  db.close();
  return [
    `admin (${learners.toLocaleString('en')} learners on a track in one workspace, ${answers.toLocaleString('en')} answers and ${reviews.toLocaleString('en')} reviews over ${days} days by ${Math.round(answering * 100)}% of them; seeded in ${seedSeconds.toFixed(0)} s; ${activeCount.toLocaleString('en')} active in the last 7 days)`,
    `  /aipath admin (overview, service): median ${withIndex.overview.toFixed(1)} ms with the time indexes, ${without.overview.toFixed(1)} ms without (7 runs each)`,
    `    of which the active count: ${withIndex.active.toFixed(1)} ms with, ${without.active.toFixed(1)} ms without`,
    `  /aipath admin export (CSV of ${file.kind === 'export' ? file.rows.toLocaleString('en') : '?'} rows, ${csvMb.toFixed(1)} MB): median ${withIndex.exported.toFixed(0)} ms with, ${without.exported.toFixed(0)} ms without (3 runs each)`,
    `    of which reading the rows (reports.learners, pages of 1,000 learners): ${withIndex.read.toFixed(0)} ms with, ${without.read.toFixed(0)} ms without; the longest page ${withIndex.longestPage.toFixed(1)} ms`,
    `  100,000 answer inserts in one transaction: ${withIndexWrite.toFixed(0)} and ${withIndexWriteAgain.toFixed(0)} ms with the time indexes, ${withoutIndexWrite.toFixed(0)} ms without (run in that order: with, without, with)`,
  ];
}
