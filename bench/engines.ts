/**
 * Issue 13's benchmarks, SQLite and PostgreSQL side by side in one run (`npm run bench -- engines [--small]`):
 *
 * 1. Ack p50/p99 at 50 concurrent for `status`, `leaderboard` and `service bedrock` on each engine, beside the bare Bolt
 *    app, all three measured in this run (bench/ack.ts's seeding and load generator; the same 2,000 learners seeded
 *    through the ports on each engine).
 * 2. A scheduler pass over 100,000 learners with nothing due, with 3,333 due (one timezone of 30) and with 13,332 due
 *    (four more): the claim phase, the whole pass and the event loop's longest block, on both engines
 *    (bench/due-set.ts, on this run's server).
 * 3. Fan-out of 5,000 weekly nudges for one workspace across three replica processes on one PostgreSQL database with
 *    the shared pace (test/replicas/pace-replica.ts, staggered as test/replicas/pace.test.ts does) against the fake
 *    Slack allowing 50 posts/s; SQLite: bench/fanout.ts's single process (`fanout-dm` at 5,000) for comparison.
 *
 * The PostgreSQL server is a throwaway one started with test/support/postgres-server.ts (Debian's binaries, run as
 * the postgres user when we are root) and stopped at the end; without it, the PostgreSQL columns say why they are empty.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { createLogger } from '../src/log.js';
import { aipathEnv, type Proc, postedDeliveries, ROOT, spawnNode } from '../test/replicas/processes.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { type FreshDatabase, freshDatabase } from '../test/support/postgres.js';
import { type Answers, load as ackLoad, seed as ackSeed, connections } from './ack.js';
import { startFakeSlackProcess } from './fake-slack-process.js';
import { benchDueSet, type DueFigures } from './due-set.js';
import { benchFanout } from './fanout.js';
import { type BenchServer, startBenchServer, withClient } from './pg-server.js';
import { launch, median, percentile, SECRET, tempDb } from './support.js';

const quiet = createLogger('error');
const CONCURRENCY = 50;
const ACK_COMMANDS = ['status', 'leaderboard', 'service bedrock'];
const ALLOWED_PER_SECOND = 50;
const REPLICAS = 3;
/** Issue 15's goals, which issue 13 asks to meet on both engines. */
const GOAL = { ackP99Ratio: 1.3, quietMs: 1, claimMs: 200, blockedMs: 50, rateShare: 0.9, share429: 0.01 };

interface Size {
  name: 'full' | 'small';
  ackRequests: number;
  ackWarmup: number;
  learners: number;
  workspaces: number;
  rounds: number;
  quietRuns: number;
  fanout: number;
}
const FULL: Size = { name: 'full', ackRequests: 2000, ackWarmup: 200, learners: 100_000, workspaces: 200, rounds: 3, quietRuns: 21, fanout: 5_000 };
const SMALL: Size = { name: 'small', ackRequests: 300, ackWarmup: 100, learners: 10_000, workspaces: 200, rounds: 2, quietRuns: 11, fanout: 600 };

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 2 : 0)} ms` : '-');
const pct = (x: number, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-');
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');
const num = (s: string | undefined) => (s === undefined ? NaN : Number(s.replaceAll(',', '')));

// ---------- 1. acknowledgements

interface AckFigures {
  p50: number;
  p99: number;
  /** aipath's answers by response_url (the bare app answers in its acknowledgement). */
  answerP50?: number;
  answerP99?: number;
}

async function benchAcks(
  size: Size,
  server: BenchServer,
): Promise<{ lines: string[]; table: Map<string, { sqlite: AckFigures; pg?: AckFigures; bare: AckFigures }> }> {
  const lines = [
    `1. ack (signed POST /slack/events → response), ${CONCURRENCY} concurrent, ${size.ackRequests.toLocaleString('en')} requests per command and target after ${size.ackWarmup} to warm up; 2,000 learners (40 cards each) seeded through the ports on each engine; load average ${load()}`,
  ];
  // Slack (its Web API and the response_urls) is another machine: a process of its own, here.
  const fake = await startFakeSlackProcess();
  const sink = fake;
  const sqlitePath = tempDb();
  let pgDb: FreshDatabase | undefined;
  const stops: (() => Promise<unknown>)[] = [() => fake.stop()];
  const table = new Map<string, { sqlite: AckFigures; pg?: AckFigures; bare: AckFigures }>();
  try {
    let t = performance.now();
    await ackSeed(sqlitePath);
    const sqliteSeed = performance.now() - t;
    let pgSeed = NaN;
    if (server.url) {
      pgDb = await freshDatabase(server.url, 'bench_ack');
      stops.push(() => pgDb!.drop());
      t = performance.now();
      await ackSeed(pgDb.url);
      pgSeed = performance.now() - t;
    }
    lines.push(
      `   seed: SQLite ${(sqliteSeed / 1000).toFixed(1)} s, PostgreSQL ${server.url ? `${(pgSeed / 1000).toFixed(1)} s` : `skipped (${server.skipped})`}`,
    );
    const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
    const sqliteApp = await launch(process.execPath, ['dist/cli.js', 'start'], { ...env, AIPATH_DB: sqlitePath });
    stops.unshift(() => sqliteApp.stop());
    const pgApp = pgDb ? await launch(process.execPath, ['dist/cli.js', 'start'], { ...env, AIPATH_DB: pgDb.url }) : undefined;
    if (pgApp) stops.unshift(() => pgApp.stop());
    const bare = await launch(process.execPath, ['bench/bare-bolt.mjs'], env);
    stops.unshift(() => bare.stop());
    const at = (port: number) => `http://127.0.0.1:${port}/slack/events`;
    // aipath's answers (by response_url) all arrive before the next measurement starts.
    const measure = async (port: number, text: string, answers?: Answers): Promise<AckFigures> => {
      const agent = connections(CONCURRENCY);
      await ackLoad(at(port), text, size.ackWarmup, CONCURRENCY, { sink: answers, agent });
      const { acks, answers: xs } = await ackLoad(at(port), text, size.ackRequests, CONCURRENCY, { sink: answers, agent }).finally(() => agent.destroy());
      return { p50: median(acks), p99: percentile(acks, 99), ...(answers ? { answerP50: median(xs), answerP99: percentile(xs, 99) } : {}) };
    };
    const cell = (f: AckFigures | undefined, b: AckFigures) =>
      f
        ? `${f.p50.toFixed(1)} / ${f.p99.toFixed(1)} ms (p99 ×${(f.p99 / b.p99).toFixed(2)}${mark(f.p99 / b.p99 <= GOAL.ackP99Ratio)}; answer ${f.answerP50?.toFixed(0)} / ${f.answerP99?.toFixed(0)} ms)`
        : '-';
    lines.push(
      `   ${'command'.padEnd(16)} ${'SQLite ack p50 / p99'.padEnd(56)} ${'PostgreSQL ack p50 / p99'.padEnd(56)} bare Bolt p50 / p99   goal: p99 ≤ ×${GOAL.ackP99Ratio} bare`,
    );
    for (const text of ACK_COMMANDS) {
      // The bare app first and last would favour neither engine; measure it between them.
      const sqlite = await measure(sqliteApp.port, text, sink);
      const b = await measure(bare.port, text);
      const onPg = pgApp ? await measure(pgApp.port, text, sink) : undefined;
      table.set(text, { sqlite, pg: onPg, bare: b });
      lines.push(`   ${text.padEnd(16)} ${cell(sqlite, b).padEnd(56)} ${cell(onPg, b).padEnd(56)} ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} ms`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
  return { lines, table };
}

// ---------- 2. a scheduler pass over 100,000 learners: bench/due-set.ts, on this run's server

async function benchDuePasses(size: Size, server: BenchServer): Promise<{ lines: string[]; sqlite: DueFigures; pg?: DueFigures }> {
  const r = await benchDueSet({ learners: size.learners, workspaces: size.workspaces, rounds: size.rounds, quietRuns: size.quietRuns, bigRounds: 1 }, server);
  return { lines: [`2. ${r.lines[0]!}; load average ${load()}`, ...r.lines.slice(1)], sqlite: r.sqlite, pg: r.pg };
}

// ---------- 3. fan-out

interface FanoutFigures {
  posts: number;
  calls: number;
  rateLimited: number;
  /** Accepted posts a second between the first and last accepted post. */
  spanRate: number;
  /** Posts a second over the whole run (from the start of the pass, or the first `go`, to the last accepted post). */
  wholeRate: number;
}

function parseFanout(lines: string[]): FanoutFigures {
  const text = lines.join('\n');
  const rate = /achieved rate\s+([\d.]+) posts\/s .*?first→last accepted post ([\d.]+) s/.exec(text);
  const share = /429 share\s+(\d+) of (\d+) chat\.postMessage calls/.exec(text);
  const posts = /exactly once\s+(\d+) messages stored/.exec(text);
  const n = num(posts?.[1]);
  return { posts: n, calls: num(share?.[2]), rateLimited: num(share?.[1]), wholeRate: num(rate?.[1]), spanRate: (n - 1) / num(rate?.[2]) };
}

/** Largest number of timestamps inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const FANOUT_WS = 'T0PACE0001';
const FANOUT_T = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;

/**
 * test/replicas/pace.test.ts's shared-pace round at `total` nudges: three replica processes, one workspace, replica k's
 * third due k hours after the first, each replica told to go once the one before has claimed its third.
 */
async function fanoutOnReplicas(serverUrl: string, total: number): Promise<{ lines: string[]; figures: FanoutFigures }> {
  const shares = Array.from({ length: REPLICAS }, (_, k) => Math.floor(total / REPLICAS) + (k < total % REPLICAS ? 1 : 0));
  const db = await freshDatabase(serverUrl, 'bench_fanout');
  const fake = await new ScriptableFakeSlack().start();
  const replicas: Proc[] = [];
  try {
    const seeding = await buildContainer(loadConfig({ AIPATH_DB: db.url }), { logger: quiet });
    const t0 = performance.now();
    try {
      await seeding.services.store.transaction(async (tx) => {
        for (let k = 0; k < REPLICAS; k++) {
          const from = new Date(FANOUT_T - 7 * 24 * HOUR);
          for (let i = 0; i < shares[k]!; i++) {
            const user = `U0PACE${k}${String(i).padStart(5, '0')}`;
            await tx.users.ensure(FANOUT_WS, user, from);
            await tx.users.setTzOverride(FANOUT_WS, user, 'UTC');
            await tx.users.setDmChannel(FANOUT_WS, user, `D${user.slice(1)}`);
            const { enrolment } = await tx.enrolments.switchTo(FANOUT_WS, user, 'devops', '2026-11-02', from);
            await tx.enrolments.setNextNudge(enrolment.id, new Date(FANOUT_T + k * HOUR));
          }
        }
      });
    } finally {
      await seeding.close();
    }
    const seedMs = performance.now() - t0;

    const started = performance.now();
    for (let k = 0; k < REPLICAS; k++) {
      const env = aipathEnv(db.url, fake, {
        PACE_PER_MINUTE: String(ALLOWED_PER_SECOND * 60),
        PACE_SHARED: '1',
        PACE_AT: new Date(FANOUT_T + k * HOUR + 60_000).toISOString(),
      });
      replicas.push(spawnNode([join(ROOT, 'test', 'replicas', 'pace-replica.ts')], env, { stdin: true }));
    }
    for (const p of replicas) {
      for (const deadline = Date.now() + 60_000; !p.stdout().includes('ready'); ) {
        if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`a pace replica did not start: ${p.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const readyS = (performance.now() - started) / 1000;

    fake.enforceRate('chat.postMessage', ALLOWED_PER_SECOND, 1);
    const accepted: number[] = [];
    fake.on('call', (c: { method: string; at: number }) => {
      if (c.method === 'chat.postMessage') accepted.push(c.at);
    });
    const goAt = Date.now();
    // A count on a connection of its own tells when a replica has claimed its third (lighter than listing the ledger).
    await withClient(db.url, async (c) => {
      let claimed = 0;
      for (let k = 0; k < REPLICAS; k++) {
        replicas[k]!.child.stdin!.write('go\n');
        if (k === REPLICAS - 1) break;
        claimed += shares[k]!;
        for (const deadline = Date.now() + 60_000; ; ) {
          const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM deliveries WHERE workspace_id = $1', [FANOUT_WS]);
          if (Number(rows[0]!.n) >= claimed) break;
          if (Date.now() > deadline) throw new Error(`replica ${k + 1} did not claim its nudges in 60 s: ${replicas[k]!.stderr()}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    const exits = await Promise.all(replicas.map((p) => p.exited));
    if (exits.some((e) => e.code !== 0)) throw new Error(`a replica failed: ${replicas.map((p) => p.stderr()).join('\n')}`);
    const results = replicas.map((p) => JSON.parse(p.stdout().trim().split('\n').pop()!) as { summary: { sent: number }; sharesPace: boolean });
    if (!results.every((r) => r.sharesPace)) throw new Error('a replica did not share the pace through the database');

    accepted.sort((a, b) => a - b);
    const calls = fake.callsOf('chat.postMessage').length;
    const rateLimited = fake.rateLimitedCalls;
    const spanS = (accepted[accepted.length - 1]! - accepted[0]!) / 1000;
    const wholeS = (accepted[accepted.length - 1]! - goAt) / 1000;
    const { posts, ids } = postedDeliveries(fake);
    const dup = [...ids.values()].filter((n) => n > 1).length;
    const figures: FanoutFigures = { posts, calls, rateLimited, spanRate: (accepted.length - 1) / spanS, wholeRate: accepted.length / wholeS };
    return {
      figures,
      lines: [
        `   PostgreSQL: ${REPLICAS} replica processes (test/replicas/pace-replica.ts, each its own pool and pacer set to ${ALLOWED_PER_SECOND * 60}/min, pace shared through the database), ${total.toLocaleString('en')} weekly nudges (DM channels known) for one workspace seeded through the ports in ${(seedMs / 1000).toFixed(1)} s; replicas ready in ${readyS.toFixed(1)} s; replica k's third due k hours later, each told to go once the one before has claimed its own (as test/replicas/pace.test.ts)`,
        `   PostgreSQL: sent ${results.map((r) => r.summary.sent).join(' + ')}; ${accepted.length} posts accepted in ${spanS.toFixed(1)} s first→last (${wholeS.toFixed(1)} s from the first go); busiest 1 s window ${maxInWindow(accepted, 1000)}; ${rateLimited} of ${calls} calls answered 429; exactly once: ${posts} messages, ${ids.size} distinct delivery ids, ${dup} posted twice`,
      ],
    };
  } finally {
    for (const p of replicas) p.kill('SIGKILL');
    await Promise.all(replicas.map((p) => p.exited));
    await fake.stop();
    await db.drop();
  }
}

async function benchFanouts(size: Size, server: BenchServer): Promise<{ lines: string[]; sqlite: FanoutFigures; pg?: FanoutFigures }> {
  const lines = [
    `3. fan-out of ${size.fanout.toLocaleString('en')} posts for one workspace against the fake Slack allowing ${ALLOWED_PER_SECOND} posts/s (429 + Retry-After 1 s beyond); load average ${load()}`,
  ];
  const sqliteLines = await benchFanout('dm', size.fanout, ALLOWED_PER_SECOND);
  const sqlite = parseFanout(sqliteLines);
  lines.push(
    `   SQLite: bench/fanout.ts's single process (fanout-dm at ${size.fanout.toLocaleString('en')}: weekly nudges, one DM each):`,
    ...sqliteLines.map((l) => `   | ${l}`),
  );
  let onPg: FanoutFigures | undefined;
  if (server.url) {
    const r = await fanoutOnReplicas(server.url, size.fanout);
    onPg = r.figures;
    lines.push(...r.lines);
  } else {
    lines.push(`   PostgreSQL: skipped (${server.skipped})`);
  }
  const share = (f: FanoutFigures | undefined, rate: (x: FanoutFigures) => number) =>
    f ? `${pct(rate(f) / ALLOWED_PER_SECOND)} (${rate(f).toFixed(1)}/s)${mark(rate(f) / ALLOWED_PER_SECOND >= GOAL.rateShare)}` : '-';
  const limited = (f: FanoutFigures | undefined) =>
    f ? `${pct(f.rateLimited / Math.max(1, f.calls), 2)} (${f.rateLimited}/${f.calls})${mark(f.rateLimited / Math.max(1, f.calls) <= GOAL.share429)}` : '-';
  lines.push(
    `   ${''.padEnd(46)} ${'goal'.padEnd(7)} ${'SQLite, 1 process'.padEnd(24)} PostgreSQL, ${REPLICAS} replicas`,
    `   ${'share of the allowed rate, first→last post'.padEnd(46)} ${`≥ ${GOAL.rateShare * 100}%`.padEnd(7)} ${share(sqlite, (x) => x.spanRate).padEnd(24)} ${share(onPg, (x) => x.spanRate)}`,
    `   ${'share of the allowed rate, whole run'.padEnd(46)} ${''.padEnd(7)} ${share(sqlite, (x) => x.wholeRate).padEnd(24)} ${share(onPg, (x) => x.wholeRate)}`,
    `   ${'calls answered 429'.padEnd(46)} ${`≤ ${GOAL.share429 * 100}%`.padEnd(7)} ${limited(sqlite).padEnd(24)} ${limited(onPg)}`,
  );
  return { lines, sqlite, pg: onPg };
}

// ---------- the run

export async function benchEngines(small = false): Promise<string[]> {
  const size = small ? SMALL : FULL;
  const cpu = cpus();
  const out: string[] = [
    `engines (${size.name} size${small ? '; without --small: 100,000 learners, 5,000 posts, 2,000 requests a command' : ''}): SQLite and PostgreSQL side by side in one run`,
    `   machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB; load average at start ${load()} (1, 5, 15 min); node ${process.version}; ${new Date().toISOString()}`,
  ];
  const began = performance.now();
  const say = (lines: string[]) => {
    out.push(...lines);
    // A line on stderr as each section finishes, so a long run shows its progress; the figures are returned.
    process.stderr.write(`engines: ${lines[0]!.trim().slice(0, 60)}… done at ${((performance.now() - began) / 1000).toFixed(0)} s, load average ${load()}\n`);
  };
  const server = await startBenchServer();
  try {
    say([
      `   SQLite: a file per benchmark (WAL, synchronous=NORMAL); PostgreSQL: ${server.url ? `${server.version}, a throwaway server from test/support/postgres-server.ts (127.0.0.1, fsync=off, synchronous_commit=off, full_page_writes=off, as the test run starts it)` : `skipped (${server.skipped})`}`,
    ]);
    const acks = await benchAcks(size, server);
    say(acks.lines);
    const due = await benchDuePasses(size, server);
    say(due.lines);
    const fan = await benchFanouts(size, server);
    say(fan.lines);

    const summary = [
      `summary (${size.name} size; load average at the end ${load()})`,
      `   ${'figure'.padEnd(44)} ${'goal'.padEnd(12)} ${'SQLite'.padEnd(26)} PostgreSQL   (fan-out: SQLite 1 process, PostgreSQL ${REPLICAS} replicas)`,
    ];
    for (const [text, f] of acks.table) {
      const cell = (x: AckFigures | undefined) =>
        x ? `${x.p99.toFixed(1)} ms = ×${(x.p99 / f.bare.p99).toFixed(2)}${mark(x.p99 / f.bare.p99 <= GOAL.ackP99Ratio)}` : '-';
      summary.push(
        `   ${`ack p99 ${text} (bare ${f.bare.p99.toFixed(1)} ms)`.padEnd(44)} ${`≤ ×${GOAL.ackP99Ratio} bare`.padEnd(12)} ${cell(f.sqlite).padEnd(26)} ${cell(f.pg)}`,
      );
    }
    const dueCell = (d: DueFigures | undefined, f: (x: DueFigures) => number, goal?: number) =>
      d ? `${ms(f(d))}${goal === undefined ? '' : mark(f(d) <= goal)}` : '-';
    summary.push(
      `   ${'pass, nothing due (median)'.padEnd(44)} ${`≤ ${GOAL.quietMs} ms`.padEnd(12)} ${dueCell(due.sqlite, (d) => d.quietMedian, GOAL.quietMs).padEnd(26)} ${dueCell(due.pg, (d) => d.quietMedian, GOAL.quietMs)}`,
      `   ${`claim phase, ${due.sqlite.due.toLocaleString('en')} due`.padEnd(44)} ${`≤ ${GOAL.claimMs} ms`.padEnd(12)} ${dueCell(due.sqlite, (d) => d.claim, GOAL.claimMs).padEnd(26)} ${dueCell(due.pg, (d) => d.claim, GOAL.claimMs)}`,
      `   ${`whole pass, ${due.sqlite.due.toLocaleString('en')} due`.padEnd(44)} ${''.padEnd(12)} ${dueCell(due.sqlite, (d) => d.total).padEnd(26)} ${dueCell(due.pg, (d) => d.total)}`,
      `   ${`event loop blocked, pass of ${(due.sqlite.big?.due ?? 0).toLocaleString('en')}`.padEnd(44)} ${`≤ ${GOAL.blockedMs} ms`.padEnd(12)} ${dueCell(due.sqlite.big && due.sqlite, (d) => d.big!.blocked, GOAL.blockedMs).padEnd(26)} ${dueCell(due.pg?.big && due.pg, (d) => d.big!.blocked, GOAL.blockedMs)}`,
      `   ${'  the same, less waits for a CPU'.padEnd(44)} ${`≤ ${GOAL.blockedMs} ms`.padEnd(12)} ${dueCell(due.sqlite.big?.blockedOwn === undefined ? undefined : due.sqlite, (d) => d.big!.blockedOwn!, GOAL.blockedMs).padEnd(26)} ${dueCell(due.pg?.big?.blockedOwn === undefined ? undefined : due.pg, (d) => d.big!.blockedOwn!, GOAL.blockedMs)}`,
    );
    const rate = (f: FanoutFigures | undefined) =>
      f ? `${pct(f.spanRate / ALLOWED_PER_SECOND)}${mark(f.spanRate / ALLOWED_PER_SECOND >= GOAL.rateShare)}` : '-';
    const r429 = (f: FanoutFigures | undefined) =>
      f ? `${pct(f.rateLimited / Math.max(1, f.calls), 2)}${mark(f.rateLimited / Math.max(1, f.calls) <= GOAL.share429)}` : '-';
    summary.push(
      `   ${`fan-out ${size.fanout.toLocaleString('en')}: share of ${ALLOWED_PER_SECOND}/s`.padEnd(44)} ${`≥ ${GOAL.rateShare * 100}%`.padEnd(12)} ${rate(fan.sqlite).padEnd(26)} ${rate(fan.pg)}`,
      `   ${'fan-out: calls answered 429'.padEnd(44)} ${`≤ ${GOAL.share429 * 100}%`.padEnd(12)} ${r429(fan.sqlite).padEnd(26)} ${r429(fan.pg)}`,
    );
    say(summary);
    return out;
  } finally {
    await server.stop();
  }
}
