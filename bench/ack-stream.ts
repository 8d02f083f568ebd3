/**
 * `npm run bench -- ack-stream`: `/aipath status` under a steady stream of commands (a fixed rate, 50 connections),
 * aipath on SQLite and PostgreSQL beside the bare Bolt app: acknowledgements and answers. `ack` sends bursts, whose
 * answers come after the burst; `ack-pass` a load as fast as the server acknowledges (more than it can answer); here
 * the rate is one the server keeps up with, as a busy install's commands arrive.
 *
 * Per rate and round, each target gets the stream for `WINDOW_MS`; the figures are the requests sent after its first
 * second (the stream steady by then), and every answer (in the acknowledgement, or by `response_url` at the fake
 * Slack's sink). `ACK_STREAM_RATES` (`300,700` a second), `ACK_STREAM_ROUNDS` (3), `ACK_STREAM_ENGINES=sqlite` to
 * leave PostgreSQL out (a throwaway server, as `ack` starts it).
 */
import { type Answers, connections, load, seed, seededPostgres, serverEnv } from './ack.js';
import { startFakeSlackProcess } from './fake-slack-process.js';
import { startBenchServer } from './pg-server.js';
import { type Launched, launch, median, percentile, tempDb } from './support.js';

const RATES = (process.env.ACK_STREAM_RATES ?? '300,700').split(',').map(Number);
const ROUNDS = Number(process.env.ACK_STREAM_ROUNDS ?? 3);
/** `sqlite` alone, or with `postgres` (the default), comma-separated: SQLite always runs. */
const ENGINES = (process.env.ACK_STREAM_ENGINES ?? 'sqlite,postgres').split(',');
const CONCURRENCY = 50;
const WINDOW_MS = 4000;
const STEADY_AFTER_MS = 1000;
const GOAL_P99_RATIO = 1.3;

interface StreamFigures {
  ackP50: number;
  ackP99: number;
  answerP50: number;
  answerP99: number;
  inAckShare: number;
}

async function stream(server: Launched, rate: number, sink?: Answers): Promise<StreamFigures> {
  const url = `http://127.0.0.1:${server.port}/slack/events`;
  const agent = connections(CONCURRENCY);
  try {
    await load(url, 'status', 200, CONCURRENCY, { sink, agent });
    const began = performance.now();
    const m = await load(url, 'status', Number.MAX_SAFE_INTEGER, CONCURRENCY, {
      sink,
      agent,
      perSecond: rate,
      until: () => performance.now() - began > WINDOW_MS,
    });
    const steady = m.acks.filter((_, i) => m.started[i]! - began >= STEADY_AFTER_MS);
    return {
      ackP50: median(steady),
      ackP99: percentile(steady, 99),
      answerP50: median(m.answers),
      answerP99: percentile(m.answers, 99),
      inAckShare: m.inAck / m.answers.length,
    };
  } finally {
    agent.destroy();
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const each = (rounds: StreamFigures[], of: (f: StreamFigures) => number) =>
  `${ms(median(rounds.map(of)))} (${rounds.map((f) => of(f).toFixed(1)).join(' / ')})`;

/** The stream's figures for one engine's server beside the bare app's, rate by rate. */
async function measureEngine(engine: string, aipath: Launched, bare: Launched, fake: Answers, lines: string[]): Promise<void> {
  for (const rate of RATES) {
    const figures = { aipath: [] as StreamFigures[], bare: [] as StreamFigures[] };
    for (let round = 0; round < ROUNDS; round++) {
      figures.aipath.push(await stream(aipath, rate, fake));
      figures.bare.push(await stream(bare, rate));
    }
    const ratio = median(figures.aipath.map((f, i) => f.ackP99 / figures.bare[i]!.ackP99));
    lines.push(
      `  ${engine.padEnd(10)} ${rate}/s  bare: ack p50 ${each(figures.bare, (f) => f.ackP50)}, p99 ${each(figures.bare, (f) => f.ackP99)}`,
      `  ${engine.padEnd(10)} ${rate}/s  aipath: ack p50 ${each(figures.aipath, (f) => f.ackP50)}, p99 ${each(figures.aipath, (f) => f.ackP99)}, p99 × bare ×${ratio.toFixed(2)} (goal ≤ ×${GOAL_P99_RATIO} ${ratio <= GOAL_P99_RATIO ? '✓' : '✗'}) | answer p50 ${each(figures.aipath, (f) => f.answerP50)}, p99 ${each(figures.aipath, (f) => f.answerP99)}, ${Math.round(100 * median(figures.aipath.map((f) => f.inAckShare)))}% in the acknowledgement`,
    );
    process.stderr.write(`${lines.at(-2)}\n${lines.at(-1)}\n`);
  }
}

export async function benchAckStream(): Promise<string[]> {
  const lines = [
    `ack-stream: /aipath status in a steady stream at ${RATES.join(' and ')} a second over ${CONCURRENCY} connections, ${WINDOW_MS / 1000} s a round (figures from its ${STEADY_AFTER_MS / 1000} s on), ${ROUNDS} rounds; aipath on SQLite and PostgreSQL (2,000 seeded learners) beside the bare Bolt app; medians of the rounds (each round)`,
  ];
  const fake = await startFakeSlackProcess();
  const stops: (() => Promise<unknown>)[] = [() => fake.stop()];
  const started = async (db: string) => {
    const server = await launch(process.execPath, ['dist/cli.js', 'start'], { ...serverEnv(fake), AIPATH_DB: db });
    stops.unshift(() => server.stop());
    return server;
  };
  try {
    const bare = await launch(process.execPath, ['bench/bare-bolt.mjs'], serverEnv(fake));
    stops.unshift(() => bare.stop());
    const sqliteDb = tempDb();
    await seed(sqliteDb);
    await measureEngine('SQLite', await started(sqliteDb), bare, fake, lines);
    const pg = ENGINES.includes('postgres') ? await startBenchServer() : { skipped: 'ACK_STREAM_ENGINES has no postgres', stop: async () => {} };
    stops.push(() => pg.stop());
    if (pg.url) {
      const pgDb = await seededPostgres(pg.url, 'bench_ack_stream');
      stops.push(() => pgDb.drop());
      await measureEngine('PostgreSQL', await started(pgDb.url), bare, fake, lines);
    } else {
      lines.push(`  PostgreSQL skipped: ${pg.skipped}`);
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {});
  }
  return lines;
}
