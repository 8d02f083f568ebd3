import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { launch, median, rssMb, SECRET, tempDb } from './support.js';

/** Issue 15's goal: cold start to ready and resident memory each at most this many times the bare Bolt app's. */
const GOAL_RATIO = 1.5;
const SNAPSHOT = 'dist/content.snapshot.json';

/**
 * CPU time (user + system, all threads) a process has used, from /proc (Linux, 100 ticks a second). Read at ready, it
 * moves less with the machine's load than the wall-clock time does.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Issues 2 and 15: cold start to ready and resident memory of HTTP mode, beside a bare Bolt app. */
export async function benchStartup(runs = 7): Promise<string[]> {
  const loadBefore = loadavg()[0]!;
  const fake = await new ScriptableFakeSlack().start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
  const results: Record<string, { ready: number[]; cpu: number[]; rss: number[] }> = {
    aipath: { ready: [], cpu: [], rss: [] },
    'bare Bolt': { ready: [], cpu: [], rss: [] },
  };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, cmd, args, extra] of [
        ['aipath', process.execPath, ['dist/cli.js', 'start'], { AIPATH_DB: tempDb() }],
        ['bare Bolt', process.execPath, ['bench/bare-bolt.mjs'], {}],
      ] as const) {
        const server = await launch(cmd, [...args], { ...env, ...extra });
        results[name]!.cpu.push(cpuMs(server.child.pid!));
        await new Promise((r) => setTimeout(r, 300)); // let start-up garbage settle before reading RSS
        results[name]!.ready.push(server.readyMs);
        results[name]!.rss.push(rssMb(server.child.pid!));
        await server.stop();
      }
    }
  } finally {
    await fake.stop();
  }
  const a = results.aipath!;
  const b = results['bare Bolt']!;
  const ratio = (x: number[], y: number[]) => median(x) / median(y);
  const verdict = (r: number) => `×${r.toFixed(2)} (goal ≤ ×${GOAL_RATIO}: ${r <= GOAL_RATIO ? 'met' : 'missed'})`;
  return [
    `startup (HTTP mode, median of ${runs} cold starts on a new SQLite file, spawn → first 200 from /healthz; RSS 300 ms after ready)`,
    `  content    ${existsSync(SNAPSHOT) ? `from ${SNAPSHOT} (built by npm run build)` : `no ${SNAPSHOT}: parsed and validated from the YAML`}`,
    `  aipath     ready ${median(a.ready).toFixed(0)} ms (CPU ${median(a.cpu).toFixed(0)} ms), RSS ${median(a.rss).toFixed(1)} MB`,
    `  bare Bolt  ready ${median(b.ready).toFixed(0)} ms (CPU ${median(b.cpu).toFixed(0)} ms), RSS ${median(b.rss).toFixed(1)} MB`,
    `  ratio      ready ${verdict(ratio(a.ready, b.ready))}, RSS ${verdict(ratio(a.rss, b.rss))}; CPU to ready ×${ratio(a.cpu, b.cpu).toFixed(2)}`,
    `  load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after (${runs * 2} starts, one at a time)`,
  ];
}
