/**
 * A pass claims what is due in batches (on PostgreSQL two batches in flight at once, see claimDue in
 * src/scheduler/pass.ts) and delivers in the order claimed: oldest due first, however the batches fall.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';

const LEARNERS = 23;
const MONDAY_10 = new Date('2026-01-05T10:00:00Z');

let world: SchedulerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('claiming in batches', () => {
  it('delivers every due nudge once, oldest due first, across batches of 5 and one delivery at a time', async () => {
    world = await SchedulerWorld.create(undefined, { claimBatchSize: 5, concurrency: 1 });
    // Enrolled latest-due first, so that neither the enrolments' ids nor the learners' names give the due order.
    for (let i = LEARNERS - 1; i >= 0; i--) {
      const user = `U0ORDER${String(i).padStart(3, '0')}`;
      await world.enrol(user, 'UTC', 'devops', '2026-01-05', new Date('2026-01-01T00:00:00Z'), `09:${String(i * 2).padStart(2, '0')}`);
      await world.services.store.users.setDmChannel(WS, user, `D${user.slice(1)}`);
    }
    const summary = await world.pass(MONDAY_10);
    expect(summary).toMatchObject({ due: LEARNERS, sent: LEARNERS, missed: 0, failed: 0 });
    const expected = Array.from({ length: LEARNERS }, (_, i) => `D0ORDER${String(i).padStart(3, '0')}`);
    expect(world.posts().map((p) => p.params.channel)).toEqual(expected);
    const ledger = await world.ledger();
    expect(ledger.map((d) => d.status)).toEqual(Array(LEARNERS).fill('sent'));
    // Nothing left due: the next pass finds nothing.
    expect((await world.pass(new Date(MONDAY_10.getTime() + 60_000))).due).toBe(0);
  });
});
