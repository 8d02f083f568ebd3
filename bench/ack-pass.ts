/**
 * `npm run bench -- ack-pass`: acknowledgements while the server's own scheduler pass claims 10,000 weekly nudges, on
 * SQLite and PostgreSQL, beside a bare Bolt app (issue 15: every command acknowledged at p99 ≤ 1.3× the bare app, and
 * nothing in the acknowledgement's path waiting on the pass).
 *
 * The built server (`dist/cli.js start`) runs its real once-a-minute cron. Each round arms a group of learners of its
 * own (their weekly nudge due three days ago, past the two-day grace) just after a minute begins, so the next minute's
 * pass claims all of them as missed deliveries: the claim does its full work (find and lock, move the due times on,
 * write the ledger rows) and nothing goes to Slack afterwards, so the pass ends with its claim and the next round's
 * pass is not queued behind a paced delivery. The claim's end is seen by polling (every 10 ms, from this process) the
 * due time of the group's last learner in due order, which the pass's last claim transaction moves on.
 *
 * Every window is measured alike, so that what differs is the pass alone: 50 clients send `/aipath status` from
 * `LEAD_MS` before the window (a steady load by then: the first requests after a quiet minute are slower, whatever the
 * server) until `TAIL_MS` after it, and the window's figures are the acknowledgements of the requests in flight at any
 * moment of it. Per round, three windows as long as the claim:
 * - the claim: from the minute its pass begins to the poll that saw it end;
 * - control: the next minute, on the same server, nothing armed (its pass finds nothing due), the poll running as
 *   before: the server at a minute without a claim;
 * - bare: the bare app, from `LEAD_MS` after its load began.
 * Beside each window's acknowledgements: the cores its server's main thread and its other threads (V8's helpers, the
 * SQLite checkpointer) used meanwhile, and the whole machine (every process: this one, the fake Slack, PostgreSQL).
 * Each round's line is printed as the round ends.
 *
 * The goal is the claim's p99 against the control's: what the pass costs the acknowledgements. Under a load that never
 * stops, the server answers each command while the next ones arrive (in `ack`'s bursts, after the burst), so even the
 * control minute is slower than the bare app, which answers nothing; the claim's p99 against the bare app's is
 * printed beside it.
 */
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { nextWeeklyAt } from '../src/domain/due.js';
import { createLogger } from '../src/log.js';
import { freshDatabase } from '../test/support/postgres.js';
import type { Agent } from 'node:http';
import { connections, load, seed, serverEnv, WS } from './ack.js';
import { type FakeSlackProcess, startFakeSlackProcess } from './fake-slack-process.js';
import { startBenchServer, withClient } from './pg-server.js';
import { cpuMs, type Launched, launch, machineBusyMs, median, percentile, tempDb } from './support.js';

const GOAL_P99_RATIO = 1.3;
const DUE = Number(process.env.ACK_PASS_DUE ?? 10_000);
/** The most requests one window's load sends: it goes on until shortly after the window ends. */
const REQUESTS = Number(process.env.ACK_PASS_REQUESTS ?? 300_000);
/** How long after a window its load goes on. */
const TAIL_MS = 100;
/** `sqlite`, `postgres` or both (the default), comma-separated. */
const ENGINES = (process.env.ACK_PASS_ENGINES ?? 'sqlite,postgres').split(',');
const ROUNDS = Number(process.env.ACK_PASS_ROUNDS ?? 3);
const CONCURRENCY = 50;
const COMMAND = 'status';
const DAY_MS = 86_400_000;
/** The pass's claim is seen to have ended within this long. */
const POLL_MS = 10;
/** How long before a window its load starts, so that the load is steady when the window begins. */
const LEAD_MS = 1500;

const userOf = (round: number, i: number) => `U1P${round}${String(i).padStart(6, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const f1 = (x: number) => `${x.toFixed(1)} ms`;

/** The ack benchmark's seed, and `rounds` groups of `due` learners on a track, no nudge planned yet. */
async function seedGroups(db: string, rounds: number, due: number): Promise<void> {
  await seed(db);
  const container = await buildContainer(loadConfig({ AIPATH_DB: db }), { logger: createLogger('error') });
  const now = new Date('2026-11-23T10:00:00Z');
  try {
    await container.services.store.transaction(async (tx) => {
      for (let r = 0; r < rounds; r++) {
        for (let i = 0; i < due; i++) {
          const user = userOf(r, i);
          await tx.users.ensure(WS, user, now);
          await tx.users.setProfile(WS, user, { tz: 'Europe/London', isWorkspaceAdmin: false }, now);
          await tx.enrolments.switchTo(WS, user, 'devops', '2026-11-02', now);
        }
      }
    });
  } finally {
    await container.close();
  }
}

/** One window: the acknowledgements of the requests in flight during it (see the top of this file), and the CPU used. */
interface Window {
  acks: number[];
  cores: CoresUsed;
}

interface RoundFigures {
  claimMs: number;
  claim: Window;
  control: Window;
  bare: Window;
}

type Loaded = Awaited<ReturnType<typeof load>>;

/** The acknowledgements of `m`'s requests in flight at any moment from `from` to `to` (performance.now()). */
function within(what: string, m: Loaded, from: number, to: number, loadBegan: number): number[] {
  if (m.acks.length === 0)
    throw new Error(`${what}: the load sent nothing (it began ${f1(from - loadBegan)} before the window, which lasted ${f1(to - from)})`);
  const acks = m.acks.filter((ack, i) => m.started[i]! < to && m.started[i]! + ack > from);
  const loadEnd = Math.max(...m.acks.map((ack, i) => m.started[i]! + ack));
  if (loadEnd < to) throw new Error(`${what}: the load ended ${f1(to - loadEnd)} before the window did: raise ACK_PASS_REQUESTS`);
  return acks;
}

/** Sleeps until `LEAD_MS` before the next minute begins on the wall clock; returns when it begins, in this process's clock. */
async function leadUpToMinute(): Promise<number> {
  const minute = Math.ceil(Date.now() / 60_000) * 60_000;
  await sleep(minute - LEAD_MS - Date.now());
  return performance.now() + (minute - Date.now());
}

/** What a process and the machine have used of the CPU by now. */
interface CpuAt {
  at: number;
  main: number;
  all: number;
  machine: number;
}
const cpuAt = (pid: number): CpuAt => ({ at: performance.now(), main: cpuMs(pid, pid), all: cpuMs(pid), machine: machineBusyMs() });

/** Cores used from one reading to the next: the measured server's main thread, its other threads, the whole machine. */
interface CoresUsed {
  main: number;
  others: number;
  machine: number;
}
function coresUsed(from: CpuAt, to: CpuAt): CoresUsed {
  const ms = to.at - from.at;
  return { main: (to.main - from.main) / ms, others: (to.all - to.main - (from.all - from.main)) / ms, machine: (to.machine - from.machine) / ms };
}

/**
 * Polls every POLL_MS from `from` until `done()` says so or `end()` has passed (both performance.now()), and says what
 * the process `pid` and the machine used of the CPU meanwhile. The same poll runs during every window, so that this
 * process's share of the machine is the same in each.
 */
async function poll(pid: number, from: number, end: () => number, done: () => Promise<boolean>): Promise<CoresUsed> {
  await sleep(from - performance.now());
  const first = cpuAt(pid);
  while (performance.now() < end()) {
    if (await done()) break;
    await sleep(POLL_MS);
  }
  return coresUsed(first, cpuAt(pid));
}

const describe = ({ acks, cores }: Window) =>
  `${acks.length} requests, ack p99 ${f1(percentile(acks, 99))}, worst ${f1(Math.max(...acks))}, cores used: main thread ${cores.main.toFixed(2)}, other threads ${cores.others.toFixed(2)}, machine ${cores.machine.toFixed(2)}`;

/** One engine: its server, the bare app beside it, `ROUNDS` rounds. */
async function measureEngine(engine: string, db: string, fake: FakeSlackProcess, bare: Launched, lines: string[]): Promise<RoundFigures[]> {
  const t = performance.now();
  await seedGroups(db, ROUNDS, DUE);
  if (db.startsWith('postgres')) await withClient(db, (c) => c.query('VACUUM (ANALYZE)'));
  lines.push(
    `  ${engine}: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s (2,000 learners with cards and points, ${ROUNDS} groups of ${DUE.toLocaleString('en')})`,
  );
  const server = await launch(process.execPath, ['dist/cli.js', 'start'], { ...serverEnv(fake), AIPATH_DB: db });
  // The bench's own connection to the database: arms each round's group and watches its claim.
  const probe = await buildContainer(loadConfig({ AIPATH_DB: db }), { logger: createLogger('error') });
  const { store } = probe.services;
  const url = (s: Launched) => `http://127.0.0.1:${s.port}/slack/events`;
  const figures: RoundFigures[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const agent = connections(CONCURRENCY);
      const bareAgent = connections(CONCURRENCY);
      try {
        await load(url(server), COMMAND, 200, CONCURRENCY, { sink: fake, agent });
        await load(url(bare), COMMAND, 200, CONCURRENCY, { agent: bareAgent });
        // Armed just after a minute's pass has begun, so that the next minute's pass is the one that claims the group.
        await sleep(Math.ceil(Date.now() / 60_000) * 60_000 + 500 - Date.now());
        const dueAt = new Date(Date.now() - 3 * DAY_MS);
        const ids: number[] = [];
        await store.transaction(async (tx) => {
          for (let i = 0; i < DUE; i++) {
            const e = await tx.enrolments.current(WS, userOf(round, i));
            await tx.enrolments.setNextNudge(e!.id, dueAt);
            ids.push(e!.id);
          }
        });
        // Between a Monday's nudge time and three days later (Europe/London, 09:00), a Monday nudge falls between the armed
        // due time and now: the first step moves each learner to it, still past, and the next batch finds them again.
        const twice = nextWeeklyAt(dueAt, 'Europe/London', '09:00').toMillis() <= Date.now();
        const last = userOf(round, DUE - 1);
        if (Math.max(...ids) !== ids.at(-1)) throw new Error('the group is not last in id order');
        const claimed = async () => {
          const e = await store.enrolments.current(WS, last);
          return e?.nextNudgeAt?.getTime() !== dueAt.getTime();
        };
        const never = async () => (await claimed()) && false;

        /** One window's load, from now until TAIL_MS after `end()` (with the poll meanwhile), and the acknowledgements in flight from `from` to `end()`. */
        const measure = async (what: string, target: Launched, a: Agent, from: number, end: () => number, done: () => Promise<boolean>) => {
          const began = performance.now();
          // A claim not seen to end is given up a minute after its own.
          const until = () => (Number.isNaN(end()) ? from + 60_000 : end());
          const [cores, measured] = await Promise.all([
            poll(target.child.pid!, from, until, done),
            load(url(target), COMMAND, REQUESTS, CONCURRENCY, {
              sink: target === bare ? undefined : fake,
              agent: a,
              until: () => performance.now() > until() + TAIL_MS,
            }),
          ]);
          return { acks: within(`${engine} round ${round + 1}, ${what}`, measured, from, end(), began), cores };
        };

        // The claim: from the minute its pass begins until the poll sees the group's last learner moved on.
        const passStart = await leadUpToMinute();
        let claimEnd = Number.NaN;
        const claim = await measure(
          'the claim',
          server,
          agent,
          passStart,
          () => claimEnd,
          async () => {
            const done = await claimed();
            if (done) claimEnd = performance.now();
            return done;
          },
        );
        if (Number.isNaN(claimEnd))
          throw new Error(
            `${engine}: round ${round + 1}: the pass did not claim the group within a minute; the server's log ends:\n${server.output().slice(-4000)}`,
          );
        const claimMs = claimEnd - passStart;
        // Control: the next minute, nothing due.
        const controlStart = await leadUpToMinute();
        const control = await measure('control', server, agent, controlStart, () => controlStart + claimMs, never);
        // The bare app: from LEAD_MS into its load.
        const bareStart = performance.now() + LEAD_MS;
        const bareWindow = await measure('bare', bare, bareAgent, bareStart, () => bareStart + claimMs, never);

        figures.push({ claimMs, claim, control, bare: bareWindow });
        const line = `  ${engine} round ${round + 1}: claim of ${DUE.toLocaleString('en')}${twice ? ' (each found twice: a Monday nudge since the armed due time)' : ''} ended ${f1(claimMs)} after the minute | during it: ${describe(claim)} | control minute: ${describe(control)} | bare: ${describe(bareWindow)}`;
        lines.push(line);
        // A long run says how it goes as each round ends.
        process.stderr.write(`${line}\n`);
      } finally {
        agent.destroy();
        bareAgent.destroy();
      }
    }
  } finally {
    await probe.close();
    await server.stop();
  }
  return figures;
}

export async function benchAckPass(): Promise<string[]> {
  const lines = [
    `ack-pass: /aipath ${COMMAND} acknowledged while the server's scheduler pass claims ${DUE.toLocaleString('en')} weekly nudges (missed: due 3 days before, so nothing is delivered after the claim); ${CONCURRENCY} concurrent, from ${LEAD_MS} ms before each window (the claim, a control minute without one, the bare app) to ${TAIL_MS} ms after it; ${ROUNDS} rounds; goal: ack p99 during the claim ≤ ${GOAL_P99_RATIO}× a minute without one (the pass's own cost; the bare app's beside it)`,
  ];
  const fake = await startFakeSlackProcess();
  const stops: (() => Promise<unknown>)[] = [() => fake.stop()];
  const results: { engine: string; figures: RoundFigures[] }[] = [];
  try {
    const bare = await launch(process.execPath, ['bench/bare-bolt.mjs'], serverEnv(fake));
    stops.unshift(() => bare.stop());
    if (ENGINES.includes('sqlite')) results.push({ engine: 'SQLite', figures: await measureEngine('SQLite', tempDb(), fake, bare, lines) });
    const pg = ENGINES.includes('postgres') ? await startBenchServer() : undefined;
    if (pg) stops.push(() => pg.stop());
    if (pg?.url) {
      const db = await freshDatabase(pg.url, 'bench_ack_pass');
      try {
        results.push({ engine: 'PostgreSQL', figures: await measureEngine('PostgreSQL', db.url, fake, bare, lines) });
      } finally {
        await db.drop();
      }
    } else if (pg) {
      lines.push(`  PostgreSQL skipped: ${pg.skipped}`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
  const p99 = (w: Window) => percentile(w.acks, 99);
  const ratios = (figures: RoundFigures[], of: (r: RoundFigures) => number) => {
    const each = figures.map(of);
    return `×${median(each).toFixed(2)} (${each.map((x) => `×${x.toFixed(2)}`).join(' / ')})`;
  };
  for (const { engine, figures } of results) {
    const ratio = median(figures.map((r) => p99(r.claim) / p99(r.control)));
    const served = (r: RoundFigures) => r.claim.acks.length / r.control.acks.length;
    lines.push(
      `  ${engine.padEnd(11)} ack p99 during the claim × the control minute's, median of the rounds ${ratios(figures, (r) => p99(r.claim) / p99(r.control))} (goal ≤ ×${GOAL_P99_RATIO} ${ratio <= GOAL_P99_RATIO ? '✓' : '✗'}); requests served during the claim × control ${ratios(figures, served)}; the claim × bare ${ratios(figures, (r) => p99(r.claim) / p99(r.bare))}; control × bare ${ratios(figures, (r) => p99(r.control) / p99(r.bare))}; claim ${median(figures.map((r) => r.claimMs)).toFixed(0)} ms (median)`,
    );
  }
  return lines;
}
