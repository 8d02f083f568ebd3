import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { type FreshDatabase, freshDatabase } from '../test/support/postgres.js';
import { startBenchServer } from './pg-server.js';
import { cpuMs, launch, median, rssMb, SECRET, tempDb } from './support.js';

/** Issue 15's goal: cold start to ready and resident memory each at most this many times the bare Bolt app's. */
const GOAL_RATIO = 1.5;
const SNAPSHOT = 'dist/content.snapshot.json';

interface Figures {
  ready: number[];
  cpu: number[];
  rss: number[];
  /** RSS 2 s after ready: work a start defers (a thread, timers) has begun by then. */
  settled: number[];
}

/** When the later RSS is read, after ready. */
const SETTLED_MS = 2000;

/**
 * Issues 2 and 15: cold start to ready and resident memory of HTTP mode on SQLite (a new file each start) and on
 * PostgreSQL (a new database each start, on a throwaway server as bench/engines.ts starts it), beside a bare Bolt app;
 * the three start in turn, one at a time, in every round.
 */
export async function benchStartup(runs = 7): Promise<string[]> {
  const loadBefore = loadavg()[0]!;
  const server = await startBenchServer();
  const fake = await new ScriptableFakeSlack().start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
  const figures = (): Figures => ({ ready: [], cpu: [], rss: [], settled: [] });
  const results = { sqlite: figures(), postgres: figures(), sqliteAgain: figures(), postgresAgain: figures(), bare: figures() };
  const measure = async (into: Figures, args: string[], extra: Record<string, string>) => {
    const app = await launch(process.execPath, args, { ...env, ...extra });
    into.cpu.push(cpuMs(app.child.pid!));
    await new Promise((r) => setTimeout(r, 300)); // let start-up garbage settle before reading RSS
    into.ready.push(app.readyMs);
    into.rss.push(rssMb(app.child.pid!));
    await new Promise((r) => setTimeout(r, SETTLED_MS - 300));
    into.settled.push(rssMb(app.child.pid!));
    await app.stop();
  };
  // A replica's restart: the database is there and migrated already (by the first start of the round before).
  const keptFile = tempDb();
  const kept = server.url ? await freshDatabase(server.url, 'bench_restart') : undefined;
  try {
    for (let i = 0; i < runs; i++) {
      await measure(results.sqlite, ['dist/cli.js', 'start'], { AIPATH_DB: tempDb() });
      await measure(results.sqliteAgain, ['dist/cli.js', 'start'], { AIPATH_DB: keptFile });
      if (kept) await measure(results.postgresAgain, ['dist/cli.js', 'start'], { AIPATH_DB: kept.url });
      if (server.url) {
        // A new, empty database each start: the start migrates it, as a start on a new SQLite file does.
        const db: FreshDatabase = await freshDatabase(server.url, 'bench_startup');
        try {
          await measure(results.postgres, ['dist/cli.js', 'start'], { AIPATH_DB: db.url });
        } finally {
          await db.drop();
        }
      }
      await measure(results.bare, ['bench/bare-bolt.mjs'], {});
    }
  } finally {
    await kept?.drop();
    await fake.stop();
    await server.stop();
  }
  const b = results.bare;
  const trimFirst = (f: Figures): Figures => ({ ready: f.ready.slice(1), cpu: f.cpu.slice(1), rss: f.rss.slice(1), settled: f.settled.slice(1) });
  const ratio = (x: number[], y: number[]) => median(x) / median(y);
  const verdict = (r: number) => `×${r.toFixed(2)} (goal ≤ ×${GOAL_RATIO}: ${r <= GOAL_RATIO ? 'met' : 'missed'})`;
  const row = (name: string, f: Figures) =>
    `  ${name.padEnd(19)} ready ${median(f.ready).toFixed(0)} ms ${verdict(ratio(f.ready, b.ready))}, RSS ${median(f.rss).toFixed(1)} MB ${verdict(ratio(f.rss, b.rss))}; CPU to ready ${median(f.cpu).toFixed(0)} ms ×${ratio(f.cpu, b.cpu).toFixed(2)}; RSS after ${SETTLED_MS / 1000} s ${median(f.settled).toFixed(1)} MB ×${ratio(f.settled, b.settled).toFixed(2)}`;
  return [
    `startup (HTTP mode, median of ${runs} cold starts each, spawn → first 200 from /healthz; RSS 300 ms after ready (the goal's) and ${SETTLED_MS / 1000} s after; CPU used by ready)`,
    `  content             ${existsSync(SNAPSHOT) ? `from ${SNAPSHOT} (built by npm run build)` : `no ${SNAPSHOT}: parsed and validated from the YAML`}`,
    `  bare Bolt (baseline) ready ${median(b.ready).toFixed(0)} ms, RSS ${median(b.rss).toFixed(1)} MB, CPU to ready ${median(b.cpu).toFixed(0)} ms, RSS after ${SETTLED_MS / 1000} s ${median(b.settled).toFixed(1)} MB`,
    row('aipath, SQLite', results.sqlite),
    server.url
      ? row('aipath, PostgreSQL', results.postgres)
      : `  aipath, PostgreSQL  skipped (${server.skipped}); install PostgreSQL 15's binaries to measure it`,
    row('  restart, SQLite', trimFirst(results.sqliteAgain)),
    ...(server.url ? [row('  restart, PostgreSQL', trimFirst(results.postgresAgain))] : []),
    `  (SQLite: a new file each start; PostgreSQL: a new database each start on a throwaway ${server.version ?? 'server'}, fsync off;`,
    '   restart: the same file or database each start, migrated by the first, whose start is left out)',
    `  load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after (${runs * 5} starts, one at a time)`,
  ];
}
