/**
 * The pacer (src/scheduler/rate-limit.ts) with its workspace pace shared through each engine's store: two limiters,
 * as two processes would have, on one database and one virtual clock. They hand out one slot sequence between them,
 * a 429 one of them is told of holds the other, and a database that cannot reserve costs the shared slot only (the
 * post is paced in memory, with one warning). The PostgreSQL case is skipped, saying why, without a server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { SendPace, Store } from '../../src/ports/store.js';
import { PostRateLimiter, PACE_HEADROOM, type Timers } from '../../src/scheduler/rate-limit.js';
import { openStore } from '../../src/store/open.js';
import { postgresUrl, type TestEngine, testDatabase } from '../support/postgres.js';

const WS = 'T0PACER001';
/** 600 posts a minute: 100 ms apart, 105 ms with the pace's headroom. */
const LIMITS = { perChannelIntervalMs: 1000, perWorkspacePerMinute: 600 };
const SPACING = Math.ceil(100 * (1 + PACE_HEADROOM));
const T0 = Date.parse('2026-12-01T09:00:00Z');

/** A clock shared by the limiters of a test: sleeping moves it on. */
function virtualClock(): Timers & { t: number } {
  const clock = {
    t: T0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += Math.max(0, ms);
    },
  };
  return clock;
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const engines: TestEngine[] = postgresUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!postgresUrl()) describe.skip('on postgres', () => it('no PostgreSQL server: the PostgreSQL suite is skipped', () => {}));

describe.each(engines)('the shared pace on %s', (engine) => {
  async function store(): Promise<Store> {
    const db = await testDatabase(engine, 'pacer');
    cleanup.push(() => db.drop());
    const s = await openStore(db.path, createLogger('error'));
    cleanup.push(() => s.database.close());
    return s;
  }

  it('two processes get one slot sequence between them, spaced by the budget (plus headroom)', async () => {
    const s = await store();
    const clock = virtualClock();
    const a = new PostRateLimiter(LIMITS, clock, { pace: s.pace });
    const b = new PostRateLimiter(LIMITS, clock, { pace: s.pace });
    expect(a.sharesPace).toBe(true);
    const granted: number[] = [];
    for (const [limiter, channel] of [
      [a, 'C1'],
      [b, 'C2'],
      [a, 'C3'],
      [b, 'C4'],
      [b, 'C5'],
    ] as const) {
      await limiter.acquire(WS, channel);
      granted.push(clock.t - T0);
    }
    expect(granted).toEqual([0, SPACING, 2 * SPACING, 3 * SPACING, 4 * SPACING]);
    // Another workspace is paced on its own.
    await b.acquire('T0PACER002', 'C1');
    expect(clock.t - T0).toBe(4 * SPACING);
  });

  it("keeps a channel's gap in the process, and the workspace slot after it", async () => {
    const s = await store();
    const clock = virtualClock();
    const a = new PostRateLimiter(LIMITS, clock, { pace: s.pace });
    await a.acquire(WS, 'C1');
    await a.acquire(WS, 'C1');
    expect(clock.t - T0).toBe(LIMITS.perChannelIntervalMs);
  });

  it('a 429 one process is told of holds the other for Retry-After', async () => {
    const s = await store();
    const clock = virtualClock();
    let held: Promise<void> | undefined;
    // The hold is written without the post waiting for it (its own retry waits in memory); the test waits for it.
    const watched: SendPace = { reserve: (...args) => s.pace.reserve(...args), holdUntil: (ws, until) => (held = s.pace.holdUntil(ws, until)) };
    const a = new PostRateLimiter(LIMITS, clock, { pace: watched });
    const b = new PostRateLimiter(LIMITS, clock, { pace: s.pace });
    await a.acquire(WS, 'C1');
    a.backOff(WS, 2);
    await held;
    await b.acquire(WS, 'C2');
    expect(clock.t - T0).toBe(2000);
  });

  it('a database that cannot reserve costs the shared slot, not the post: paced in memory, one warning, and one when it works again', async () => {
    const s = await store();
    const clock = virtualClock();
    const warnings: string[] = [];
    let broken = true;
    const flaky: SendPace = {
      reserve: (ws, spacing, now) => (broken ? Promise.reject(new Error('connection refused')) : s.pace.reserve(ws, spacing, now)),
      holdUntil: (ws, until) => s.pace.holdUntil(ws, until),
    };
    const a = new PostRateLimiter(LIMITS, clock, { pace: flaky, warn: (m) => warnings.push(m) });
    await a.acquire(WS, 'C1');
    await a.acquire(WS, 'C2');
    await a.acquire(WS, 'C3');
    // In memory: paced as one process paces itself, with the same headroom.
    expect(clock.t - T0).toBe(2 * 100 * (1 + PACE_HEADROOM));
    expect(warnings).toEqual([expect.stringContaining('could not use the shared Slack pace in the database (connection refused)')]);
    broken = false;
    await a.acquire(WS, 'C4');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('works again');
  });
});
