import { expect, it } from 'vitest';
import { PACE_HEADROOM, PostRateLimiter, type Timers } from '../../src/scheduler/rate-limit.js';

/** Time that moves only when the limiter sleeps. */
function fakeTimers(): Timers & { at: number } {
  const t = {
    at: 0,
    now: () => t.at,
    sleep: async (ms: number) => {
      t.at += ms;
    },
  };
  return t;
}

it('spaces one process’s posts to a workspace 5 % wider than its budget, as the shared pace does', async () => {
  const timers = fakeTimers();
  const limiter = new PostRateLimiter({ perChannelIntervalMs: 0, perWorkspacePerMinute: 600 }, timers);
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    await limiter.acquire('T0PACE0001', `D0PACE000${i}`);
    times.push(timers.at);
  }
  // 600 a minute is one every 100 ms; Slack's rolling window leaves no room for a post that comes late otherwise.
  expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([1, 2, 3].map(() => 100 * (1 + PACE_HEADROOM)));
});
