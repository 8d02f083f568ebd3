import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainer } from '../src/container.js';
import { benchContainer } from './fanout.js';
import { loadConfig } from '../src/config.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { nextWeeklyAt } from '../src/domain/due.js';
import { createLogger } from '../src/log.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { median, percentile } from './support.js';
import { timeDuePass } from './due-pass.js';

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

const quiet = createLogger('error');
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * One scheduler pass over 100,000 enrolled learners in 30 timezones and 200 workspaces: the pass when
 * nothing is due, and the pass (claim phase, due-query loop, delivery) when one timezone falls due.
 */
export async function benchDueSet(learners = 100_000, workspaces = 200, rounds = 3, quietRuns = 21): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'aipath-bench-dueset-'));
  const seedPath = join(dir, 'seed.db');
  const zone = 'Europe/London';
  // The measured instant: London's Monday 09:00. Seeding "as of" a minute earlier puts every zone
  // already past its Monday 09:00 on next week, as the passes before this one would have left it.
  const dueAt = nextWeeklyAt(new Date('2026-11-18T00:00:00Z'), zone, '09:00').toJSDate();
  const from = new Date(dueAt.getTime() - 60_000);
  const quietAt = new Date(dueAt.getTime() - 30_000);
  const lines: string[] = [];
  const fake = await new ScriptableFakeSlack().start();
  try {
    // ---- seed through the ports, in one transaction
    const seedStarted = performance.now();
    const seeding = await buildContainer(loadConfig({ AIPATH_DB: seedPath }), { logger: quiet });
    const nextByZone = new Map(ZONES.map((tz) => [tz, nextWeeklyAt(from, tz, '09:00').toJSDate()]));
    let expectedDue = 0;
    let seedMs: number;
    try {
      await seeding.services.store.transaction(async ({ users, enrolments }) => {
        for (let i = 0; i < learners; i++) {
          const ws = `T0B${String(i % workspaces).padStart(5, '0')}`;
          const user = `U0B${String(i).padStart(7, '0')}`;
          const tz = ZONES[i % ZONES.length]!;
          await users.ensure(ws, user, from);
          await users.setTzOverride(ws, user, tz);
          const { enrolment } = await enrolments.switchTo(ws, user, TRACKS[i % TRACKS.length]!, STARTED_ON[i % STARTED_ON.length]!, from);
          await enrolments.setNextNudge(enrolment.id, nextByZone.get(tz)!);
          if (tz === zone) expectedDue += 1;
        }
      });
      // Empties the write-ahead log into the file (wal_checkpoint(TRUNCATE) in SQLite).
      await seeding.services.store.database.purgeDeleted();
      seedMs = performance.now() - seedStarted;
    } finally {
      await seeding.close();
    }
    // The query plan and page count come from a separate connection, used only to read: no port
    // explains a query or counts pages. It opens the file after the container has closed it.
    const reader = openDatabase(seedPath);
    let pageBytes: number;
    let plan: { detail: string }[];
    try {
      pageBytes = Number(reader.pragma('page_count', { simple: true })) * Number(reader.pragma('page_size', { simple: true }));
      plan = reader
        .prepare(
          `EXPLAIN QUERY PLAN SELECT e.*, u.tz_override, u.slack_tz, u.nudge_time FROM enrolments e
           JOIN users u ON u.workspace_id = e.workspace_id AND u.user_id = e.user_id
           WHERE e.is_current = 1 AND e.status IN ('active', 'paused') AND e.next_nudge_at <= ?
           ORDER BY e.next_nudge_at LIMIT ?`,
        )
        .all(dueAt.toISOString(), 500) as { detail: string }[];
    } finally {
      reader.close();
    }
    const fileBytes = statSync(seedPath).size;

    lines.push(
      `due-set (${learners.toLocaleString('en')} learners, ${ZONES.length} timezones, ${workspaces} workspaces; due instant ${dueAt.toISOString()} = Monday 09:00 ${zone})`,
      `  seed        ${ms(seedMs)} through the stores in one transaction; database ${mb(fileBytes)} (${(pageBytes / learners).toFixed(0)} bytes a learner)`,
      `  query plan  ${plan.map((p) => p.detail).join('; ')}`,
    );

    const quietTimes: number[] = [];
    const rows: {
      claim: number;
      total: number;
      blocked: number;
      queryLoop: number;
      queryCalls: number;
      one500: number;
      all: number;
      summary: string;
      posts: number;
    }[] = [];
    for (let r = 0; r < rounds; r++) {
      // Each round works on a fresh copy: the due pass advances next_nudge_at and fills the ledger.
      const roundPath = join(dir, `round-${r}.db`);
      copyFileSync(seedPath, roundPath);
      const container = await benchContainer(roundPath, fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000_000 });
      const { services } = container;
      fake.reset();
      const pass = (now: Date) => container.runPass(now);
      try {
        // (a) nothing due, a few seconds before London's 09:00
        await pass(quietAt); // warm the statements and page cache
        for (let i = 0; i < quietRuns; i++) {
          const t = performance.now();
          const summary = await pass(quietAt);
          quietTimes.push(performance.now() - t);
          if (summary.due !== 0) throw new Error(`quiet pass found ${summary.due} due`);
        }

        // The due query alone, before anything is claimed (so each call sees the same due set).
        const one: number[] = [];
        for (let i = 0; i < 7; i++) {
          const t = performance.now();
          await services.store.enrolments.dueNudges(dueAt, 500);
          one.push(performance.now() - t);
        }
        const t = performance.now();
        const everything = await services.store.enrolments.dueNudges(dueAt, 1_000_000);
        const allMs = performance.now() - t;
        if (everything.length !== expectedDue) throw new Error(`due query found ${everything.length}, expected ${expectedDue}`);

        // (b) the due pass: the claim phase and the due-query loop timed (see timeDuePass).
        const { summary, claim, total, blocked, queryLoop, queryCalls } = await timeDuePass(services.store, () => pass(dueAt));
        if (summary.due !== expectedDue || summary.sent !== expectedDue)
          throw new Error(`due pass: due ${summary.due}, sent ${summary.sent}, expected ${expectedDue}`);
        rows.push({
          claim,
          total,
          blocked,
          queryLoop,
          queryCalls,
          one500: median(one),
          all: allMs,
          summary: `due ${summary.due}, sent ${summary.sent}, failed ${summary.failed}`,
          posts: fake.callsOf('chat.postMessage').length,
        });
      } finally {
        await container.close();
        rmSync(roundPath, { force: true });
        rmSync(`${roundPath}-wal`, { force: true });
        rmSync(`${roundPath}-shm`, { force: true });
      }
    }

    const m = (f: (x: (typeof rows)[number]) => number) => median(rows.map(f));
    lines.push(
      `  (a) nothing due      pass ${ms(median(quietTimes))} median, p95 ${ms(percentile(quietTimes, 95))} (${quietTimes.length} passes over ${rounds} copies)`,
      `  (b) ${expectedDue.toLocaleString('en')} fall due (medians of ${rounds} rounds, each on a fresh copy of the seeded file):`,
      `      due query only    dueNudges(now, 500) ${ms(m((x) => x.one500))} a call; all ${expectedDue.toLocaleString('en')} rows in one call ${ms(m((x) => x.all))}`,
      `      claim phase       ${ms(m((x) => x.claim))} (${((m((x) => x.claim) / expectedDue) * 1000).toFixed(0)} µs a learner), of which the due-query loop ${ms(m((x) => x.queryLoop))} over ${rows[0]!.queryCalls} calls`,
      `      full pass         ${ms(m((x) => x.total))} with delivery to the fake Slack (conversations.open + chat.postMessage each; ${rows[0]!.posts} posts), limiter out of the way`,
      `      event loop        blocked for up to ${ms(m((x) => x.blocked))} at a stretch during the pass (longest delay seen by monitorEventLoopDelay)`,
      ...rows.map(
        (x, i) =>
          `      round ${i + 1}: claim ${ms(x.claim)} (query loop ${ms(x.queryLoop)}), full ${ms(x.total)}, event loop blocked up to ${ms(x.blocked)}; ${x.summary}`,
      ),
    );
    return lines;
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
