/** The scheduler's start: node-cron is armed a moment later, off the start-up path, without losing a minute's pass. */
import { afterEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';
import { emptySummary, Scheduler } from '../../src/scheduler/cron.js';

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

function schedulerAt(now: { value: Date }) {
  const passes: Date[] = [];
  const s = new Scheduler(
    async (at) => {
      passes.push(at);
      return emptySummary();
    },
    { now: () => now.value },
    createLogger('error'),
    30,
  );
  return { s, passes };
}

it('reports itself started at once and arms node-cron after the delay, running no pass when no minute began meanwhile', async () => {
  const now = { value: new Date('2026-12-01T09:00:10.000Z') };
  const { s, passes } = schedulerAt(now);
  scheduler = s;
  s.start();
  expect(s.state().state).toBe('idle');
  expect(s.armed).toBe(false);
  await vi.waitFor(() => expect(s.armed).toBe(true), { timeout: 5_000, interval: 5 });
  expect(passes).toEqual([]);
  await s.stop();
  expect(s.armed).toBe(false);
  expect(s.state().state).toBe('stopped');
});

it('runs the pass of a minute that began between start and arming', async () => {
  const now = { value: new Date('2026-12-01T09:00:59.990Z') };
  const { s, passes } = schedulerAt(now);
  scheduler = s;
  s.start();
  now.value = new Date('2026-12-01T09:01:00.020Z');
  await vi.waitFor(() => expect(passes).toEqual([new Date('2026-12-01T09:01:00.020Z')]), { timeout: 5_000, interval: 5 });
  expect(s.armed).toBe(true);
});

it('never arms node-cron when stopped before the delay is over', async () => {
  const { s } = schedulerAt({ value: new Date('2026-12-01T09:00:10.000Z') });
  s.start();
  await s.stop();
  await new Promise((r) => setTimeout(r, 60));
  expect(s.armed).toBe(false);
  expect(s.state().state).toBe('stopped');
});
