/**
 * One sending replica for test/replicas/pace.test.ts, as its own process: the app's container (its own pool and
 * pacer) on AIPATH_DB, with the pace the test gives (`aipath tick` has no setting for it). It says `ready` once built,
 * runs one scheduler pass as of PACE_AT when it reads `go` on standard input (so that the replicas start sending
 * together), prints the pass's summary as JSON and exits.
 *
 *   PACE_PER_MINUTE  the workspace budget (perWorkspacePerMinute)
 *   PACE_SHARED      1: the pace shared through the database (the default on PostgreSQL); 0: each process its own
 *   PACE_AT          the pass's instant (ISO-8601)
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config.js';
import { buildContainer } from '../../src/container.js';
import { createLogger } from '../../src/log.js';

const config = loadConfig(process.env);
const container = await buildContainer(config, {
  logger: createLogger('error'),
  rateLimits: { perChannelIntervalMs: 1100, perWorkspacePerMinute: Number(process.env.PACE_PER_MINUTE) },
  sharedPace: process.env.PACE_SHARED !== '0',
});
try {
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();
  const summary = await container.runPass(new Date(String(process.env.PACE_AT)));
  process.stdout.write(`${JSON.stringify({ summary, sharesPace: container.limiter.sharesPace })}\n`);
} finally {
  await container.close();
}
