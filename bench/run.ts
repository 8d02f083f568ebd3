import { execFileSync } from 'node:child_process';
import { benchCrash } from './crash.js';
import { benchDueSet } from './due-set.js';
import { benchFanout } from './fanout.js';
import { benchStartup } from './startup.js';
import { benchAck } from './ack.js';
import { benchLeaderboard } from './leaderboard.js';

/** `npm run bench [name…]`: runs the named benchmarks (all by default) and prints their figures. */
const BENCHES: Record<string, () => Promise<string[]>> = {
  // `--runs=N`: fewer (or more) starts per engine than the 7 of a full run.
  startup: () => benchStartup(runsFlag() ?? 7),
  'due-set': async () => (await benchDueSet()).lines,
  fanout: () => benchFanout('daily'),
  'fanout-dm': () => benchFanout('dm', 4_000),
  crash: () => benchCrash(),
  ack: () => benchAck(),
  'ack-pass': async () => (await import('./ack-pass.js')).benchAckPass(),
  'ack-stream': async () => (await import('./ack-stream.js')).benchAckStream(),
  leaderboard: () => benchLeaderboard(),
  admin: async () => (await import('./admin.js')).benchAdmin(),
  efficacy: async () => (await import('./efficacy.js')).benchEfficacy(),
  reviews: async () => (await import('./reviews.js')).benchReviews(),
  engines: async () => (await import('./engines.js')).benchEngines(process.argv.includes('--small')),
  retention: async () => (await import('./retention.js')).benchRetention(),
  transport: async () => (await import('./transport.js')).benchTransport(),
};

function runsFlag(): number | undefined {
  const flag = process.argv.find((a) => a.startsWith('--runs='));
  const n = flag ? Number(flag.slice('--runs='.length)) : undefined;
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !BENCHES[w]);
if (unknown.length) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
// The benchmarks run the built bot, as production does.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
process.stdout.write(`node ${process.version}, ${new Date().toISOString()}\n`);
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  for (const line of await BENCHES[name]!()) process.stdout.write(`${line}\n`);
}
