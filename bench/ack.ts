import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { loadConfig } from '../src/config.js';
import { signedHeaders } from '../test/support/signed.js';
import { createLogger } from '../src/log.js';
import { buildContainer } from '../src/container.js';
import { newCard, review } from '../src/domain/review/memory.js';
import { epochNow } from './answer-sink.js';
import { type FakeSlackProcess, startFakeSlackProcess } from './fake-slack-process.js';
import { cpuMs, type Launched, launch, median, percentile, SECRET, tempDb } from './support.js';
import { startBenchServer, withClient } from './pg-server.js';
import { type FreshDatabase, freshDatabase } from '../test/support/postgres.js';

export const WS = 'T0ACKBNCH1';
const COMMANDS = ['service bedrock', 'cert aip-c01', 'status', 'leaderboard', 'review', 'readiness'];

/** Memory cards of each learner (every one answered twice: a personal quiz, then a review), so review and readiness do real work. */
const CARDS = 40;

/** A workspace with learners, points and a caller on a track, so status and leaderboard do real work. */
export async function seed(path: string): Promise<void> {
  const container = await buildContainer(loadConfig({ AIPATH_DB: path }), { logger: createLogger('error') });
  const now = new Date('2026-11-23T10:00:00Z');
  const bank = container.services.content.quiz.map((q) => q.id);
  try {
    await container.services.store.transaction(async (tx) => {
      for (let i = 0; i < 2000; i++) {
        const user = `U${String(i).padStart(8, '0')}`;
        await tx.users.ensure(WS, user, now);
        await tx.users.setProfile(WS, user, { tz: 'Europe/London', isWorkspaceAdmin: false }, now);
        const { enrolment } = await tx.enrolments.switchTo(WS, user, 'devops', '2026-11-02', now);
        await tx.enrolments.markDone(enrolment.id, 1, now);
        await tx.points.award(WS, user, 'milestone', `${enrolment.id}:1`, 25 + (i % 7), now);
        await tx.points.markStudyDay(WS, user, '2026-11-23');
        await tx.users.setExamTarget(WS, user, { cert: 'aip-c01', date: '2027-03-01' });
        for (let k = 0; k < CARDS; k++) {
          const question = bank[(i * 7 + k) % bank.length]!;
          let card = newCard(now);
          for (let r = 0; r < 2; r++) {
            const at = new Date(now.getTime() + k * 3_600_000 + r * 86_400_000);
            const graded = review(card, (i + k + r) % 5 === 0 ? 'again' : 'good', at);
            if (r === 0) await tx.quiz.answer(WS, user, question, null, [0], (i + k) % 5 !== 0, at);
            await tx.reviews.saveReview(WS, user, question, graded.card, graded.log, r === 0 ? 'personal_quiz' : 'review');
            card = graded.card;
          }
        }
      }
    });
  } finally {
    await container.close();
  }
}

/** A new database on the PostgreSQL server at `serverUrl`, seeded as `seed` does and vacuumed. */
export async function seededPostgres(serverUrl: string, label: string): Promise<FreshDatabase> {
  const db = await freshDatabase(serverUrl, label);
  await seed(db.url);
  // What autovacuum would otherwise do to the freshly written tables while the first rounds are measured.
  await withClient(db.url, (c) => c.query('VACUUM (ANALYZE)'));
  return db;
}

/** The environment of the measured servers (aipath and the bare app): one workspace, Slack's Web API the fake's. */
export const serverEnv = (fake: Pick<FakeSlackProcess, 'url'>) => ({
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.url,
  LOG_LEVEL: 'warn',
});

/** Where aipath's answers go, and when each arrived: the fake Slack's process (bench/fake-slack-process.ts). */
export type Answers = Pick<FakeSlackProcess, 'sinkUrl' | 'arrivals'>;

let requestIds = 0;

/**
 * A signed POST over node:http, on the agent's kept-alive connections: the load generator shares this machine's cores
 * with the server it times, and the global fetch costs it several times the CPU (and the garbage) a request.
 */
function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Kept-alive connections for one target's warm-up and measured load: the measured requests go on connections already
 * open, as a steady stream of requests does. On connections of its own, each load began with 50 TCP handshakes at once,
 * and those first 50 requests were most of the slowest 1% of 1,000 (the p99), for the bare app and aipath alike.
 */
export const connections = (concurrency: number) => new Agent({ keepAlive: true, maxSockets: concurrency });

/**
 * Acknowledgement latencies, and when `sink` is given, the answers' latencies: in the acknowledgement, or posted to the
 * sink (all awaited). `agent`: the connections to send on (see `connections`), left open; without it, connections of
 * this load's own. `until`: the load sends no more once it says so, even if fewer than `total` were sent. `perSecond`:
 * the load sends no faster than this many requests a second in all (each client waits for the next free slot).
 */
export async function load(
  url: string,
  text: string,
  total: number,
  concurrency: number,
  opts: { sink?: Answers; onAcked?: () => void; agent?: Agent; until?: () => boolean; perSecond?: number } = {},
): Promise<{ acks: number[]; started: number[]; answers: number[]; inAck: number }> {
  const { sink, onAcked } = opts;
  const acks: number[] = [];
  // When each request was sent (performance.now()), in the order of acks.
  const started: number[] = [];
  const sent = new Map<number, number>();
  const answeredInAck: number[] = [];
  let count = 0;
  const agent = opts.agent ?? connections(concurrency);
  const began = performance.now();
  const worker = async () => {
    while (count < total && !opts.until?.()) {
      count++;
      if (opts.perSecond) {
        const slot = began + ((count - 1) * 1000) / opts.perSecond;
        if (slot > performance.now()) await new Promise((r) => setTimeout(r, slot - performance.now()));
      }
      const id = ++requestIds;
      const body = new URLSearchParams({
        command: '/aipath',
        text,
        team_id: WS,
        user_id: `U${String(id % 2000).padStart(8, '0')}`,
        channel_id: 'C0ACKBNCH1',
        response_url: sink ? `${sink.sinkUrl}/r/${id}` : 'http://127.0.0.1:9/r',
        trigger_id: 't',
      }).toString();
      const t0 = performance.now();
      sent.set(id, epochNow());
      const res = await post(agent, url, { 'content-type': 'application/x-www-form-urlencoded', ...signedHeaders(SECRET, body) }, body);
      const inAck = res.text !== '';
      const acked = performance.now() - t0;
      acks.push(acked);
      started.push(t0);
      if (res.status !== 200) throw new Error(`HTTP ${res.status} for "${text}"`);
      // An answer in the acknowledgement arrived with it; the others follow by response_url.
      if (inAck) {
        answeredInAck.push(acked);
        sent.delete(id);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker)).finally(() => {
    if (!opts.agent) agent.destroy();
  });
  onAcked?.();
  if (!sink) return { acks, started, answers: acks, inAck: acks.length };
  const deadline = performance.now() + 120_000;
  let arrived = await sink.arrivals();
  while ([...sent.keys()].some((id) => !arrived.has(id))) {
    if (performance.now() > deadline) throw new Error(`answers to "${text}" missing after 120 s`);
    await new Promise((r) => setTimeout(r, 100));
    arrived = await sink.arrivals();
  }
  return { acks, started, answers: [...answeredInAck, ...[...sent].map(([id, t0]) => arrived.get(id)! - t0)], inAck: answeredInAck.length };
}

const inAckShare = (ms: Measured[]) => `${Math.round((100 * ms.reduce((n, m) => n + m.inAck, 0)) / ms.reduce((n, m) => n + m.answers.length, 0))}%`;
const ms = (xs: number[]) => `p50 ${median(xs).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms`;
const GOAL_P99_RATIO = 1.3;
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

interface Target {
  engine: string;
  server: Launched;
}

/** One command's measurement on one target in one round, with the server's CPU time per request while measured. */
interface Measured {
  acks: number[];
  answers: number[];
  /** How many answers came in the acknowledgement (the rest by response_url). */
  inAck: number;
  cpuPerRequestMs: number;
  /** The part of it spent while the requests were being acknowledged (answers worked out then included). */
  ackPhaseCpuPerRequestMs: number;
}

/**
 * With `ACK_PIN=1` (Linux, taskset, 2 or more cores): the measured servers (aipath and the bare app alike) run on the
 * last core, and everything else (this load generator, the fake Slack, PostgreSQL) on the others. In production
 * Slack, the clients and the database are other machines; on one machine of two cores they otherwise take CPU from the
 * server being timed, the more so the more it answers, which the bare app never does.
 */
function pinning(): { server: (command: string, args: string[]) => [string, string[]]; note: string; unpin(): void } {
  const unpinned = {
    server: (command: string, args: string[]): [string, string[]] => [command, args],
    note: 'unpinned (all processes share every core)',
    unpin: () => {},
  };
  if (!process.env.ACK_PIN) return unpinned;
  const cores = availableParallelism();
  if (cores < 2) return { ...unpinned, note: `ACK_PIN set but this machine has ${cores} core: unpinned` };
  try {
    // -a: every thread of this process (V8's and libuv's too), and what it spawns from now on.
    execFileSync('taskset', ['-a', '-cp', `0-${cores - 2}`, String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { ...unpinned, note: 'ACK_PIN set but taskset failed: unpinned' };
  }
  return {
    server: (command, args) => ['taskset', ['-c', String(cores - 1), command, ...args]],
    note: `pinned: the measured servers on core ${cores - 1}, the load generator, fake Slack and PostgreSQL on ${cores === 2 ? 'core 0' : `cores 0–${cores - 2}`}`,
    // The benchmarks that run after this one in the same process get every core back.
    unpin: () => execFileSync('taskset', ['-a', '-cp', `0-${cores - 1}`, String(process.pid)], { stdio: 'ignore' }),
  };
}

/**
 * Signed POST → acknowledgement, 50 concurrent (each of 50 clients sends its next command when the last is
 * acknowledged), aipath on SQLite and on PostgreSQL (bench/pg-server.ts; skipped, and said so, without its binaries)
 * beside a bare Bolt app that answers in its acknowledgement; aipath's answers by response_url are timed too (from the
 * request to their arrival), and all of them have arrived before the next target is measured. For each command the
 * bare app is measured between the two engines, so neither is favoured by when it ran.
 *
 * `ACK_ROUNDS` rounds (3 by default) each measure every command on every target; a command's figure is the median
 * over the rounds of its p99 ratio to the bare app's p99 in the same round (this machine's noise moves a single
 * p99 by a factor of two), with the rounds' range beside it.
 */
export async function benchAck(
  perCommand = Number(process.env.ACK_REQUESTS ?? 2000),
  concurrency = 50,
  rounds = Number(process.env.ACK_ROUNDS ?? 3),
): Promise<string[]> {
  // `ACK_COMMANDS=status,review` measures those alone (to look into one command without the others' time).
  const commands = process.env.ACK_COMMANDS?.split(',') ?? COMMANDS;
  const unknown = commands.filter((c) => !COMMANDS.includes(c));
  if (unknown.length > 0) throw new Error(`ACK_COMMANDS: unknown ${unknown.join(', ')}; choose from ${COMMANDS.join(',')}`);
  const pin = pinning();
  const lines = [
    `ack latency (signed POST /slack/events → response; ${perCommand} requests per command, ${concurrency} concurrent, ${rounds} rounds; 2,000 seeded learners; goal: ack p99 ≤ ${GOAL_P99_RATIO}× bare, median of the rounds); ${pin.note}; load average ${loadAverage()}`,
  ];
  // Slack (its Web API and the response_urls) is another machine: a process of its own, here.
  const fake = await startFakeSlackProcess();
  const sink = fake;
  const stops: (() => Promise<unknown>)[] = [() => fake.stop()];
  const server = (args: string[], env: Record<string, string>) => launch(...pin.server(process.execPath, args), env);
  try {
    const env = serverEnv(fake);
    const db = tempDb();
    await seed(db);
    const sqlite = await server(['dist/cli.js', 'start'], { ...env, AIPATH_DB: db });
    stops.unshift(() => sqlite.stop());
    const targets: Target[] = [{ engine: 'SQLite', server: sqlite }];
    const pg = process.env.ACK_SQLITE_ONLY ? { skipped: 'ACK_SQLITE_ONLY set', stop: async () => {} } : await startBenchServer();
    stops.push(() => pg.stop());
    if (pg.url) {
      const pgDb = await seededPostgres(pg.url, 'bench_ack');
      stops.push(() => pgDb.drop());
      const onPg = await server(['dist/cli.js', 'start'], { ...env, AIPATH_DB: pgDb.url });
      stops.unshift(() => onPg.stop());
      targets.push({ engine: 'PostgreSQL', server: onPg });
    } else {
      lines.push(`  PostgreSQL skipped: ${pg.skipped}`);
    }
    const bare = await server(['bench/bare-bolt.mjs'], env);
    stops.unshift(() => bare.stop());
    const at = (port: number) => `http://127.0.0.1:${port}/slack/events`;
    const measure = async (server: Launched, text: string, answers?: Answers): Promise<Measured> => {
      const agent = connections(concurrency);
      let cpuBefore = Number.NaN;
      let cpuAcked = Number.NaN;
      let measured: Awaited<ReturnType<typeof load>>;
      try {
        // Warm up (JIT, caches, and the connections the measured requests go on) before measuring.
        await load(at(server.port), text, 200, concurrency, { sink: answers, agent });
        cpuBefore = cpuMs(server.child.pid!);
        measured = await load(at(server.port), text, perCommand, concurrency, { sink: answers, agent, onAcked: () => (cpuAcked = cpuMs(server.child.pid!)) });
      } catch (err) {
        // A load whose answers do not all arrive says what the server logged meanwhile.
        throw new Error(`${err instanceof Error ? err.message : String(err)}; the server's log ends:\n${server.output().slice(-4000)}`);
      } finally {
        agent.destroy();
      }
      // The answers have all arrived (load waits for them): their work is counted too.
      return {
        ...measured,
        cpuPerRequestMs: (cpuMs(server.child.pid!) - cpuBefore) / perCommand,
        ackPhaseCpuPerRequestMs: (cpuAcked - cpuBefore) / perCommand,
      };
    };
    // results[command][round]: the bare app's figures and each engine's.
    const results = new Map<string, Array<{ bare: Measured; engines: Map<string, Measured> }>>(commands.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      for (const text of commands) {
        const [first, ...rest] = targets;
        const engines = new Map([[first!.engine, await measure(first!.server, text, sink)]]);
        const bareRound = await measure(bare, text);
        for (const t of rest) engines.set(t.engine, await measure(t.server, text, sink));
        results.get(text)!.push({ bare: bareRound, engines });
      }
      process.stderr.write(`ack: round ${round + 1} of ${rounds} done, load average ${loadAverage()}\n`);
    }
    const p99 = (m: Measured) => percentile(m.acks, 99);
    const range = (xs: number[]) => `×${Math.min(...xs).toFixed(2)}–×${Math.max(...xs).toFixed(2)}`;
    for (const text of commands) {
      const measured = results.get(text)!;
      const bareP99s = measured.map((r) => p99(r.bare));
      const cpu = (ms: Measured[]) =>
        `server CPU ${median(ms.map((m) => m.cpuPerRequestMs)).toFixed(2)} ms a request (${median(ms.map((m) => m.ackPhaseCpuPerRequestMs)).toFixed(2)} while acknowledging)`;
      const p50s = (ms: Measured[]) => `ack p50 ${median(ms.map((m) => median(m.acks))).toFixed(1)} ms`;
      lines.push(
        `  ${text.padEnd(16)} bare ack p99 by round ${bareP99s.map((x) => x.toFixed(1)).join(' / ')} ms, ${p50s(measured.map((r) => r.bare))} | ${cpu(measured.map((r) => r.bare))}`,
      );
      for (const { engine } of targets) {
        const ratios = measured.map((r) => p99(r.engines.get(engine)!) / p99(r.bare));
        const ratio = median(ratios);
        const all = measured.map((r) => r.engines.get(engine)!);
        lines.push(
          `    ${engine.padEnd(11)} aipath ack p99 by round ${all.map((m) => p99(m).toFixed(1)).join(' / ')} ms | p99 × bare: median ×${ratio.toFixed(2)} (goal ≤ ×${GOAL_P99_RATIO} ${ratio <= GOAL_P99_RATIO ? '✓' : '✗'}), rounds ${range(ratios)}, ${ratios.filter((x) => x <= GOAL_P99_RATIO).length} of ${rounds} within, ${p50s(all)} | ${cpu(all)} | answer ${ms(all.flatMap((m) => m.answers))}, ${inAckShare(all)} in the ack`,
        );
      }
    }
    lines.push(`  load average after: ${loadAverage()}`);
  } finally {
    for (const stop of stops) await stop().catch(() => {});
    pin.unpin();
  }
  return lines;
}
