/**
 * The fencing check and Slack's pace (src/scheduler/delivery.ts): the claim is confirmed before the wait for the
 * post's slot, so nothing but the post follows the slot; a wait longer than half the lease confirms again, so a claim
 * taken over meanwhile is never posted by the process that lost it.
 */
import { afterEach, expect, it } from 'vitest';
import type { Container } from '../../src/container.js';
import { SchedulerWorld } from '../support/scheduler-world.js';

const MONDAY_10 = new Date('2026-01-05T10:00:00Z');

let world: SchedulerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The world's first process, whose pass is run, and its pacer. */
const firstProcess = (w: SchedulerWorld) => (w as unknown as { containers: Container[] }).containers[0]!;

async function worldWithOneNudge(options: { claimLeaseMs?: number } = {}) {
  const w = await SchedulerWorld.create(undefined, options);
  await w.enrol('U0FENCE01', 'UTC');
  await w.services.store.users.setDmChannel('T0TEST001', 'U0FENCE01', 'D0FENCE01');
  return w;
}

it('confirms the claim before waiting for the slot, and posts with nothing in between', async () => {
  world = await worldWithOneNudge();
  const events: string[] = [];
  const { limiter } = firstProcess(world);
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (ws, channel) => {
    events.push('wait for the slot');
    await acquire(ws, channel);
    events.push('slot');
  };
  const { ledger } = world.services.store;
  const confirm = ledger.confirm.bind(ledger);
  ledger.confirm = (...args) => {
    events.push('fencing check');
    return confirm(...args);
  };
  expect(await world.pass(MONDAY_10)).toMatchObject({ due: 1, sent: 1 });
  // No database round trip between the slot and the post.
  expect(events).toEqual(['fencing check', 'wait for the slot', 'slot']);
  expect(world.posts('D0FENCE01')).toHaveLength(1);
});

it('checks the fence again after a wait longer than half the lease, and does not post a claim taken over meanwhile', async () => {
  world = await worldWithOneNudge({ claimLeaseMs: 200 });
  const w = world;
  const { limiter } = firstProcess(w);
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (ws, channel) => {
    await acquire(ws, channel);
    // Slack's pace kept this post waiting past half the lease, and another process took the claim over meanwhile.
    const [row] = await w.ledger((d) => d.target === 'U0FENCE01');
    await w.services.store.ledger.reclaim(row!, 'other-process', new Date(Date.now() + 60_000), MONDAY_10);
    await new Promise((resolve) => setTimeout(resolve, 150));
  };
  let checks = 0;
  const { ledger } = w.services.store;
  const confirm = ledger.confirm.bind(ledger);
  ledger.confirm = (...args) => {
    checks += 1;
    return confirm(...args);
  };
  await w.pass(MONDAY_10);
  expect(checks).toBe(2);
  expect(w.posts()).toHaveLength(0);
  expect(await w.ledger((d) => d.target === 'U0FENCE01')).toMatchObject([{ status: 'claimed', claimedBy: 'other-process' }]);
});
