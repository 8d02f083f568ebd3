import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { launch, median, rssMb, SECRET, tempDb } from './support.js';

/** Issue 2: cold start to ready and resident memory of HTTP mode, beside a bare Bolt app. */
export async function benchStartup(runs = 7): Promise<string[]> {
  const fake = await new ScriptableFakeSlack().start();
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
  const results: Record<string, { ready: number[]; rss: number[] }> = { aipath: { ready: [], rss: [] }, 'bare Bolt': { ready: [], rss: [] } };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, cmd, args, extra] of [
        ['aipath', process.execPath, ['dist/cli.js', 'start'], { AIPATH_DB: tempDb() }],
        ['bare Bolt', process.execPath, ['bench/bare-bolt.mjs'], {}],
      ] as const) {
        const server = await launch(cmd, [...args], { ...env, ...extra });
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
  return [
    `startup (HTTP mode, median of ${runs} cold starts, spawn → first 200 from /healthz; RSS 300 ms after ready)`,
    `  aipath     ready ${median(a.ready).toFixed(0)} ms, RSS ${median(a.rss).toFixed(1)} MB`,
    `  bare Bolt  ready ${median(b.ready).toFixed(0)} ms, RSS ${median(b.rss).toFixed(1)} MB`,
    `  ratio      ready ×${(median(a.ready) / median(b.ready)).toFixed(2)}, RSS ×${(median(a.rss) / median(b.rss)).toFixed(2)}`,
  ];
}
