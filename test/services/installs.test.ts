/**
 * The installations' life after install, on a real database (SQLite here; PostgreSQL in
 * test/engines/installs.postgres.test.ts): the retention purge with an injected time, run alone and by the scheduler
 * pass, and key rotation when a reinstall races it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppLogger, createLogger } from '../../src/log.js';
import { RETENTION_CHECK_EVERY_MS, RetentionSweep } from '../../src/scheduler/retention.js';
import type { Store } from '../../src/ports/store.js';
import { PURGES_PER_PASS, purgeExpired, rotateKeys, WORKSPACE_ID } from '../../src/services/installs.js';
import { SecretBox } from '../../src/shared/secret-box.js';
import { openStore } from '../../src/store/open.js';
import { SchedulerWorld } from '../support/scheduler-world.js';
import { testDatabase, testEngine, type TestDatabaseHandle } from '../support/postgres.js';
import { EMPTY_WORKSPACE, readWorkspace, seedWorkspace } from '../store/contract/workspace-seed.js';

const DAY = 24 * 60 * 60_000;
const T0 = new Date('2026-12-01T09:00:00.000Z');
const daysOn = (days: number, ms = 0) => new Date(T0.getTime() + days * DAY + ms);

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function freshStore(): Promise<Store> {
  const db: TestDatabaseHandle = await testDatabase(testEngine(), 'installs');
  cleanup.push(() => db.drop());
  const store = await openStore(db.path, createLogger('error'));
  cleanup.push(() => store.database.close());
  return store;
}

const install = (store: Store, ws: string, tokenCiphertext: string | null = `v1.00000000.${ws}`) =>
  store.installations.save({
    workspaceId: ws,
    teamId: ws,
    enterpriseId: null,
    isEnterpriseInstall: false,
    teamName: `Team ${ws}`,
    botUserId: 'U0BOT',
    botId: 'B0BOT',
    scopes: ['commands'],
    installerUserId: 'U0INSTALLER',
    tokenCiphertext,
    installedAt: T0,
  });

describe('purgeExpired', () => {
  it('purges a workspace once it has been inactive longer than the retention period, and no other', async () => {
    const store = await freshStore();
    const first = await seedWorkspace(store, 'T0FIRST', T0);
    const second = await seedWorkspace(store, 'T0SECOND', T0);
    const active = await seedWorkspace(store, 'T0ACTIVE', T0);
    const single = await seedWorkspace(store, 'T0SINGLE', T0, false);
    await store.installations.deactivate('T0FIRST', T0);
    await store.installations.deactivate('T0SECOND', daysOn(5));
    const kept = await Promise.all([second, active, single].map((w) => readWorkspace(store, w)));

    // Exactly 30 days is not longer than 30 days.
    expect(await purgeExpired(store, daysOn(30), 30)).toEqual([]);
    expect((await readWorkspace(store, first)).user).toBeDefined();
    expect(await purgeExpired(store, daysOn(30, 1), 30)).toEqual(['T0FIRST']);
    expect(await readWorkspace(store, first)).toEqual(EMPTY_WORKSPACE);
    expect(await Promise.all([second, active, single].map((w) => readWorkspace(store, w)))).toEqual(kept);
    // Nothing more until the second one's period is over too; a shorter retention takes it sooner.
    expect(await purgeExpired(store, daysOn(34), 30)).toEqual([]);
    expect(await purgeExpired(store, daysOn(34), 7)).toEqual(['T0SECOND']);
    expect(await readWorkspace(store, second)).toEqual(EMPTY_WORKSPACE);
    // An active installation, and a workspace without one (single-workspace mode), are never purged.
    expect(await purgeExpired(store, daysOn(3650), 1)).toEqual([]);
    expect(await Promise.all([active, single].map((w) => readWorkspace(store, w)))).toEqual(kept.slice(1));
  });

  it('spares a workspace reinstalled before its period ran out', async () => {
    const store = await freshStore();
    const w = await seedWorkspace(store, 'T0BACK', T0);
    await store.installations.deactivate('T0BACK', T0);
    await install(store, 'T0BACK');
    expect(await purgeExpired(store, daysOn(60), 30)).toEqual([]);
    expect((await readWorkspace(store, w)).user).toBeDefined();
  });

  it('spares a workspace reinstalled between the query for expired ones and its purge', async () => {
    const store = await freshStore();
    const w = await seedWorkspace(store, 'T0RACE', T0);
    await store.installations.deactivate('T0RACE', T0);
    // The reinstall lands right after the pass read the list of expired installations.
    const racing: Store = {
      ...store,
      installations: {
        ...store.installations,
        expired: async (before) => {
          const ids = await store.installations.expired(before);
          await install(store, 'T0RACE', 'v1.00000000.new');
          return ids;
        },
      },
    };
    expect(await purgeExpired(racing, daysOn(31), 30)).toEqual([]);
    expect(await store.installations.find('T0RACE')).toMatchObject({ state: 'active', tokenCiphertext: 'v1.00000000.new' });
    expect((await readWorkspace(store, w)).user).toBeDefined();
  });

  it(`purges at most ${PURGES_PER_PASS} workspaces a call, longest inactive first; the next call takes the rest`, async () => {
    const store = await freshStore();
    const ids = Array.from({ length: PURGES_PER_PASS + 2 }, (_, i) => `T0GONE${String(i).padStart(2, '0')}`);
    for (const [i, ws] of ids.entries()) {
      await store.users.ensure(ws, 'U1', T0);
      await install(store, ws);
      await store.installations.deactivate(ws, daysOn(0, ids.length - i));
    }
    const firstRound = await purgeExpired(store, daysOn(31), 30);
    expect(firstRound).toEqual([...ids].reverse().slice(0, PURGES_PER_PASS));
    expect(await purgeExpired(store, daysOn(31), 30)).toEqual([...ids].reverse().slice(PURGES_PER_PASS));
    for (const ws of ids) expect(await store.users.get(ws, 'U1')).toBeUndefined();
  });
});

describe('the scheduler pass', () => {
  it('purges expired workspaces as it runs, once their retention period is over, and delivers as before', async () => {
    const world = await SchedulerWorld.create();
    cleanup.push(() => world.close());
    const store = world.services.store;
    const gone = await seedWorkspace(store, 'T0UNINSTALLED', T0);
    const kept = await seedWorkspace(store, 'T0STILLHERE', T0);
    await store.installations.deactivate('T0UNINSTALLED', T0);
    const keptBefore = await readWorkspace(store, kept);

    await world.pass(daysOn(29));
    expect((await readWorkspace(store, gone)).user).toBeDefined();
    await world.pass(daysOn(31));
    expect(await readWorkspace(store, gone)).toEqual(EMPTY_WORKSPACE);
    const keptAfter = await readWorkspace(store, kept);
    // The pass delivered for the workspace that stays (its ledger grew, its pause was probed); what it learnt stays.
    const learnt = (w: typeof keptAfter) => ({
      user: w.user?.userId,
      doneWeeks: w.doneWeeks,
      answers: w.answers,
      earned: w.earned,
      studyDays: w.studyDays,
      mockAnswers: w.mockAnswers,
      installation: w.installation,
    });
    expect(learnt(keptAfter)).toEqual(learnt(keptBefore));
    // Its practice exam, left running, ran out of time long before: the first pass finished it and graded its answer.
    expect(keptAfter.mock).toEqual({ ...keptBefore.mock, finishedAt: daysOn(29) });
    expect(keptAfter.reviewLog).toEqual([...keptBefore.reviewLog, expect.objectContaining({ questionId: 'q-1', source: 'mock' })]);
    expect(keptAfter.subscriptions.map((s) => s.channelId)).toEqual(['C1']);
  });
});

describe('RetentionSweep', () => {
  it(`looks for expired installations at most once every ${RETENTION_CHECK_EVERY_MS / 60_000} minutes of pass time; again when time goes back`, async () => {
    const world = await SchedulerWorld.create();
    cleanup.push(() => world.close());
    const store = world.services.store;
    const expired = store.installations.expired.bind(store.installations);
    const looks: Date[] = [];
    store.installations.expired = (before) => {
      looks.push(before);
      return expired(before);
    };
    const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);
    for (const m of [0, 1, 2, 59, 60, 61, 125, 30]) await world.pass(minutes(m));
    // The first pass looks; the next at an hour on; a `tick --now` back in time looks again.
    expect(looks.map((b) => (b.getTime() + 30 * DAY - T0.getTime()) / 60_000)).toEqual([0, 60, 125, 30]);
  });

  it('keeps its last look when purging failed, and the pass goes on', async () => {
    const store = await freshStore();
    const sweep = new RetentionSweep(30);
    const failing: Store = {
      ...store,
      installations: {
        ...store.installations,
        expired: () => Promise.reject(new Error('disk I/O error')),
      },
    };
    const warnings: string[] = [];
    const logger = { ...createLogger('error'), warn: (message: string) => void warnings.push(message) } as unknown as AppLogger;
    expect(await sweep.run(failing, T0, logger)).toEqual([]);
    expect(warnings).toEqual(['could not purge the data of uninstalled workspaces: disk I/O error']);
    // It failed: the next pass, a minute on, looks again.
    await seedWorkspace(store, 'T0LATE', T0);
    await store.installations.deactivate('T0LATE', T0);
    expect(await sweep.run(store, daysOn(31), logger)).toEqual(['T0LATE']);
  });
});

describe('rotateKeys', () => {
  it('re-reads and re-seals a token a reinstall replaced during the rotation, never overwriting it with the old one', async () => {
    const store = await freshStore();
    const current = new SecretBox(randomBytes(32));
    const next = new SecretBox(randomBytes(32));
    await install(store, 'T0RACE', current.seal('xoxb-old-token', 'T0RACE'));
    await install(store, 'T0CALM', current.seal('xoxb-calm-token', 'T0CALM'));
    let raced = false;
    const racing: Store = {
      ...store,
      installations: {
        ...store.installations,
        reseal: async (ws, previous, sealed) => {
          if (ws === 'T0RACE' && !raced) {
            raced = true;
            // The workspace reinstalls (the running bot still seals with the current key) just before this write.
            await install(store, 'T0RACE', current.seal('xoxb-new-token', 'T0RACE'));
          }
          return store.installations.reseal(ws, previous, sealed);
        },
      },
    };
    expect(await rotateKeys(racing, current, next)).toEqual({ resealed: 2, alreadyNew: 0, otherKey: [], unreadable: [] });
    expect(next.open((await store.installations.find('T0RACE'))!.tokenCiphertext!, 'T0RACE')).toBe('xoxb-new-token');
    expect(next.open((await store.installations.find('T0CALM'))!.tokenCiphertext!, 'T0CALM')).toBe('xoxb-calm-token');
    expect(await rotateKeys(store, current, next)).toEqual({ resealed: 0, alreadyNew: 2, otherKey: [], unreadable: [] });
  });

  it('leaves a token that does not authenticate under the current key as it is, and says so', async () => {
    const store = await freshStore();
    const current = new SecretBox(randomBytes(32));
    const next = new SecretBox(randomBytes(32));
    // Sealed for another workspace and copied here: the key id is right, the associated data is not.
    const moved = current.seal('xoxb-elsewhere', 'T0OTHER');
    await install(store, 'T0MOVED', moved);
    expect(await rotateKeys(store, current, next)).toEqual({ resealed: 0, alreadyNew: 0, otherKey: [], unreadable: ['T0MOVED'] });
    expect((await store.installations.find('T0MOVED'))!.tokenCiphertext).toBe(moved);
  });

  it('refuses to rotate to the current key', async () => {
    const store = await freshStore();
    const key = randomBytes(32);
    await expect(rotateKeys(store, new SecretBox(key), new SecretBox(Buffer.from(key)))).rejects.toThrow(/the new key is the current key/);
  });
});

describe('WORKSPACE_ID', () => {
  it('takes a team id, an enterprise id, or a team of an Enterprise Grid org, and nothing else', () => {
    for (const ok of ['T0123ABCD', 'E0ORG', 'E0ORG:T0TEAM1']) expect(WORKSPACE_ID.test(ok), ok).toBe(true);
    for (const bad of ['t0lower', 'C0CHANNEL1', 'U0USER1', 'E0ORG:C01', 'T0A:T0B', 'E0ORG:', ':T0TEAM', 'T0', "T0X'; DROP TABLE users;--", 'T0ABC ', ''])
      expect(WORKSPACE_ID.test(bad), bad).toBe(false);
  });
});
