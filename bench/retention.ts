/**
 * What the retention purge costs a scheduler pass with nothing due (`npm run bench -- retention`), on SQLite and on
 * PostgreSQL, side by side in one run: the same empty pass (5,000 active installations, 500 subscribed channels not
 * due, no installation inactive) with a RetentionSweep that looks on every pass, and with one that does not look (it
 * looked within the hour, as in all but one pass an hour in production); alternated, medians of 300 each; and the
 * expired-installations query alone.
 */
import { loadavg } from 'node:os';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config.js';
import { buildContainer, deliveryGateway } from '../src/container.js';
import { createLogger } from '../src/log.js';
import { runPass } from '../src/scheduler/pass.js';
import { RetentionSweep } from '../src/scheduler/retention.js';
import { retentionCutoff } from '../src/services/installs.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { freshDatabase } from '../test/support/postgres.js';
import startPostgresServer from '../test/support/postgres-server.js';
import { median, tempDb } from './support.js';

const INSTALLATIONS = 5_000;
const CHANNELS = 500;
const ROUNDS = 300;
const NOW = new Date('2026-12-01T09:00:00.000Z');
const FAR = new Date('2027-06-01T09:00:00.000Z');
const quiet = createLogger('error');
const ms = (x: number) => `${x.toFixed(3)} ms`;

async function measure(label: string, dbPath: string, fakeUrl: string): Promise<string[]> {
  const container = await buildContainer(loadConfig({ AIPATH_DB: dbPath }), { logger: quiet });
  try {
    const { services, limiter } = container;
    const { store } = services;
    await store.transaction(async (tx) => {
      for (let i = 0; i < INSTALLATIONS; i++)
        await tx.installations.save({
          workspaceId: `T${String(i).padStart(8, '0')}`,
          teamId: `T${String(i).padStart(8, '0')}`,
          enterpriseId: null,
          isEnterpriseInstall: false,
          teamName: null,
          botUserId: 'U0BOT',
          botId: null,
          scopes: ['commands'],
          installerUserId: 'U0INSTALLER',
          tokenCiphertext: `v1.00000000.${'x'.repeat(120)}`,
          installedAt: NOW,
        });
      for (let i = 0; i < CHANNELS; i++)
        await tx.subscriptions.upsert(
          {
            ws: `T${String(i % INSTALLATIONS).padStart(8, '0')}`,
            channel: `C${i}`,
            time: '09:00',
            tz: 'UTC',
            track: null,
            by: 'U1',
            nextDaily: FAR,
            nextWeekly: FAR,
          },
          NOW,
        );
    });
    const slack = deliveryGateway('xoxb-bench', fakeUrl, quiet);
    const pass = (retention: RetentionSweep) =>
      runPass({ services, slack, limiter, logger: quiet, defaultTimezone: 'UTC', retention }, NOW).then((s) => {
        if (s.due !== 0) throw new Error(`the pass found ${s.due} due: the benchmark needs an empty pass`);
      });
    const looked = new RetentionSweep(30);
    await pass(looked); // it has looked: later passes at the same time do not
    const every = () => new RetentionSweep(30, 0);
    for (let i = 0; i < 20; i++) await pass(i % 2 ? looked : every());
    const withLook: number[] = [];
    const withoutLook: number[] = [];
    const query: number[] = [];
    const timed = async (retention: RetentionSweep, into: number[]) => {
      const t = performance.now();
      await pass(retention);
      into.push(performance.now() - t);
    };
    for (let i = 0; i < ROUNDS; i++) {
      // Which goes first alternates, so neither always runs on a connection the other just warmed.
      if (i % 2) {
        await timed(every(), withLook);
        await timed(looked, withoutLook);
      } else {
        await timed(looked, withoutLook);
        await timed(every(), withLook);
      }
      const t = performance.now();
      await store.installations.expired(retentionCutoff(NOW, 30));
      query.push(performance.now() - t);
    }
    return [
      `${label}: empty pass ${ms(median(withoutLook))} without a look, ${ms(median(withLook))} with one (+${ms(median(withLook) - median(withoutLook))}); the expired query alone ${ms(median(query))}`,
    ];
  } finally {
    await container.close();
  }
}

export async function benchRetention(): Promise<string[]> {
  const out = [
    `retention: empty scheduler pass, ${INSTALLATIONS.toLocaleString('en')} active installations, ${CHANNELS} channels not due; medians of ${ROUNDS}; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  ];
  const fake = await new ScriptableFakeSlack().start();
  const provided: { postgresUrl?: string; postgresSkipReason?: string } = {};
  const project = { provide: (key: keyof typeof provided, value: string) => (provided[key] = value) } as unknown as TestProject;
  const teardown = await startPostgresServer(project);
  try {
    out.push(...(await measure('   SQLite', tempDb(), fake.url)));
    if (provided.postgresUrl) {
      const db = await freshDatabase(provided.postgresUrl, 'bench_retention');
      try {
        out.push(...(await measure('   PostgreSQL', db.url, fake.url)));
      } finally {
        await db.drop();
      }
    } else out.push(`   PostgreSQL: skipped (${provided.postgresSkipReason ?? 'no server'})`);
  } finally {
    await teardown?.();
    await fake.stop();
  }
  out.push(
    `   load after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  return out;
}
