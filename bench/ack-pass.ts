/**
 * `npm run bench -- ack-pass`: acknowledgements while the server's own scheduler pass claims 10,000 weekly nudges, on
 * SQLite and PostgreSQL, beside a bare Bolt app (issue 15: every command acknowledged at p99 ≤ 1.3× the bare app, and
 * nothing in the acknowledgement's path waiting on the pass).
 *
 * The built server (`dist/cli.js start`) runs its real once-a-minute cron. Each round arms a group of learners of its
 * own (their weekly nudge due three days ago, past the two-day grace) just after a minute begins, so the next minute's pass
 * claims all of them as missed deliveries: the claim does its full work (find and lock, move the due times on, write the
 * ledger rows) and nothing goes to Slack afterwards, so the pass ends with its claim and the next round's pass is not
 * queued behind a paced delivery. 50 clients start sending `/aipath status` 100 ms before that minute and go on until
 * `ACK_PASS_REQUESTS` (3,000: some 0.5–1 s of requests, longer than the claim) are acknowledged. The claim's end is seen by polling (every 10 ms, from this process) the
 * due time of the group's last learner in due order, which the pass's last claim transaction moves on.
 *
 * Per round: the acknowledgements of requests in flight at any moment of the claim (from the minute to the poll that saw
 * it end), their p99 and worst, and the p99 of the whole load; the same server's p99 without a pass and the bare app's,
 * measured just before.
 */
import { loadConfig } from '../src/config.js';
import { buildContainer } from '../src/container.js';
import { createLogger } from '../src/log.js';
import { freshDatabase } from '../test/support/postgres.js';
import { connections, load, seed, serverEnv, WS } from './ack.js';
import { type FakeSlackProcess, startFakeSlackProcess } from './fake-slack-process.js';
import { startBenchServer, withClient } from './pg-server.js';
import { type Launched, launch, median, percentile, tempDb } from './support.js';

const GOAL_P99_RATIO = 1.3;
const DUE = Number(process.env.ACK_PASS_DUE ?? 10_000);
const REQUESTS = Number(process.env.ACK_PASS_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.ACK_PASS_ROUNDS ?? 3);
const CONCURRENCY = 50;
const COMMAND = 'status';
const DAY_MS = 86_400_000;
/** The pass's claim is seen to have ended within this long. */
const POLL_MS = 10;
/** How long before the minute the load starts, so that it is under way when the pass begins. */
const LEAD_MS = 100;

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

interface RoundFigures {
  claimMs: number;
  during: number[];
  all: number[];
  quiet: number[];
  bare: number[];
}

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
        const quiet = (await load(url(server), COMMAND, REQUESTS, CONCURRENCY, { sink: fake, agent })).acks;
        const bareAcks = (await load(url(bare), COMMAND, REQUESTS, CONCURRENCY, { agent: bareAgent })).acks;
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
        const minute = Math.ceil(Date.now() / 60_000) * 60_000;
        const last = userOf(round, DUE - 1);
        if (Math.max(...ids) !== ids.at(-1)) throw new Error('the group is not last in id order');
        await sleep(minute - LEAD_MS - Date.now());
        // The pass starts at `minute` on the wall clock; in this process's clock, here:
        const passStart = performance.now() + (minute - Date.now());
        let claimEnd = Number.NaN;
        const watch = (async () => {
          const deadline = passStart + 60_000;
          while (performance.now() < deadline) {
            const e = await store.enrolments.current(WS, last);
            if (e?.nextNudgeAt && e.nextNudgeAt.getTime() !== dueAt.getTime()) {
              claimEnd = performance.now();
              return;
            }
            await sleep(POLL_MS);
          }
        })();
        const measured = await load(url(server), COMMAND, REQUESTS, CONCURRENCY, { sink: fake, agent });
        await watch;
        if (Number.isNaN(claimEnd))
          throw new Error(
            `${engine}: round ${round + 1}: the pass did not claim the group within a minute; the server's log ends:\n${server.output().slice(-4000)}`,
          );
        const during = measured.acks.filter((ack, i) => measured.started[i]! < claimEnd && measured.started[i]! + ack > passStart);
        const loadEnd = Math.max(...measured.acks.map((ack, i) => measured.started[i]! + ack));
        if (during.length === 0)
          throw new Error(
            `${engine}: round ${round + 1}: no request was in flight during the claim (${f1(claimEnd - passStart)} after the minute; the load ended ${f1(loadEnd - passStart)} after it): raise ACK_PASS_REQUESTS`,
          );
        figures.push({ claimMs: claimEnd - passStart, during, all: measured.acks, quiet, bare: bareAcks });
        const r = figures.at(-1)!;
        lines.push(
          `  ${engine} round ${round + 1}: claim of ${DUE.toLocaleString('en')} ended ${f1(r.claimMs)} after the minute, the load ${f1(loadEnd - passStart)} after it; ${during.length} of ${REQUESTS} requests in flight during it: ack p99 ${f1(percentile(during, 99))}, worst ${f1(Math.max(...during))} | whole load p99 ${f1(percentile(r.all, 99))} | no pass: aipath p99 ${f1(percentile(quiet, 99))}, bare p99 ${f1(percentile(bareAcks, 99))}`,
        );
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
    `ack-pass: /aipath ${COMMAND} acknowledged while the server's scheduler pass claims ${DUE.toLocaleString('en')} weekly nudges (missed: due 3 days before, so nothing is delivered after the claim); ${REQUESTS} requests a round, ${CONCURRENCY} concurrent, from ${LEAD_MS} ms before the pass's minute; ${ROUNDS} rounds; goal: ack p99 ≤ ${GOAL_P99_RATIO}× bare`,
  ];
  const fake = await startFakeSlackProcess();
  const stops: (() => Promise<unknown>)[] = [() => fake.stop()];
  const results: { engine: string; figures: RoundFigures[] }[] = [];
  try {
    const bare = await launch(process.execPath, ['bench/bare-bolt.mjs'], serverEnv(fake));
    stops.unshift(() => bare.stop());
    results.push({ engine: 'SQLite', figures: await measureEngine('SQLite', tempDb(), fake, bare, lines) });
    const pg = await startBenchServer();
    stops.push(() => pg.stop());
    if (pg.url) {
      const db = await freshDatabase(pg.url, 'bench_ack_pass');
      try {
        results.push({ engine: 'PostgreSQL', figures: await measureEngine('PostgreSQL', db.url, fake, bare, lines) });
      } finally {
        await db.drop();
      }
    } else {
      lines.push(`  PostgreSQL skipped: ${pg.skipped}`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
  for (const { engine, figures } of results) {
    const ratios = figures.map((r) => percentile(r.during, 99) / percentile(r.bare, 99));
    const ratio = median(ratios);
    lines.push(
      `  ${engine.padEnd(11)} during the claim: ack p99 × bare p99, median of the rounds ×${ratio.toFixed(2)} (goal ≤ ×${GOAL_P99_RATIO} ${ratio <= GOAL_P99_RATIO ? '✓' : '✗'}), rounds ${ratios.map((x) => `×${x.toFixed(2)}`).join(' / ')}; claim ${median(figures.map((r) => r.claimMs)).toFixed(0)} ms (median); without a pass ×${median(figures.map((r) => percentile(r.quiet, 99) / percentile(r.bare, 99))).toFixed(2)}`,
    );
  }
  return lines;
}
