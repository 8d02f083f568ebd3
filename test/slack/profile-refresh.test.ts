import { describe, expect, it } from 'vitest';
import { ProfileRefresher } from '../../src/slack/profile-refresh.js';

/** Pauses that end when the test says so, recording how long each was asked to be. */
function manualSleep() {
  const asked: number[] = [];
  const waiting: Array<() => void> = [];
  return {
    asked,
    sleep: (ms: number) => {
      asked.push(ms);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    /** Lets the queue reach its pause, ends it, then lets the queue run up to its next one. */
    async next() {
      await new Promise((r) => setImmediate(r));
      waiting.shift()?.();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const quiet = { warn: () => {} };
const settle = () => new Promise((r) => setImmediate(r));

describe('ProfileRefresher', () => {
  it('asks one user at a time per workspace, spaced by its pace, each workspace on its own', async () => {
    const clock = manualSleep();
    const refresher = new ProfileRefresher(quiet, 1200, 100, clock.sleep);
    const done: string[] = [];
    for (const [ws, user] of [
      ['T1', 'U1'],
      ['T1', 'U2'],
      ['T1', 'U3'],
      ['T2', 'U1'],
    ] as const)
      refresher.request(ws, user, async () => void done.push(`${ws}:${user}`));
    await settle();
    // Each workspace's first call goes at once; the next ones wait their turn.
    expect(done).toEqual(['T1:U1', 'T2:U1']);
    expect(clock.asked).toEqual([1200]);
    await clock.next();
    expect(done).toEqual(['T1:U1', 'T2:U1', 'T1:U2']);
    await clock.next();
    expect(done).toEqual(['T1:U1', 'T2:U1', 'T1:U2', 'T1:U3']);
    await refresher.idle();
    expect(refresher.pending).toBe(0);
  });

  it('queues a user once while they wait, and again once they have been asked', async () => {
    const clock = manualSleep();
    const refresher = new ProfileRefresher(quiet, 1200, 100, clock.sleep);
    let calls = 0;
    const ask = async () => void calls++;
    refresher.request('T1', 'U0', async () => {});
    refresher.request('T1', 'U1', ask);
    refresher.request('T1', 'U1', ask);
    expect(refresher.pending).toBe(2);
    await clock.next();
    await refresher.idle();
    expect(calls).toBe(1);
    refresher.request('T1', 'U1', ask);
    await refresher.idle();
    expect(calls).toBe(2);
  });

  it('holds at most its capacity, and a failing refresh is logged without stopping the queue', async () => {
    const clock = manualSleep();
    const warnings: string[] = [];
    const refresher = new ProfileRefresher({ warn: (m) => warnings.push(m) }, 1200, 2, clock.sleep);
    const done: string[] = [];
    refresher.request('T1', 'U1', async () => {
      throw new Error('socket hang up');
    });
    refresher.request('T1', 'U2', async () => void done.push('U2'));
    refresher.request('T1', 'U3', async () => void done.push('U3')); // over capacity: left for the next command
    await clock.next();
    await refresher.idle();
    expect(done).toEqual(['U2']);
    expect(warnings).toEqual([expect.stringContaining('T1:U1 failed: socket hang up')]);
  });

  it('on stop, drops what waits, ends a pause at once, and waits for the refresh under way', async () => {
    const clock = manualSleep();
    const refresher = new ProfileRefresher(quiet, 1200, 100, clock.sleep);
    let finish!: () => void;
    let finished = false;
    const done: string[] = [];
    refresher.request('T1', 'U1', async () => {
      await new Promise<void>((r) => (finish = r));
      finished = true;
    });
    refresher.request('T2', 'U1', async () => void done.push('T2:U1'));
    refresher.request('T2', 'U2', async () => void done.push('T2:U2'));
    await settle();
    const stopped = refresher.stop();
    let hasStopped = false;
    void stopped.then(() => {
      hasStopped = true;
    });
    await settle();
    expect(hasStopped).toBe(false); // T1's refresh is still writing
    finish();
    await stopped;
    expect(finished).toBe(true);
    expect(done).toEqual(['T2:U1']);
    refresher.request('T1', 'U9', async () => void done.push('late'));
    await settle();
    expect(done).toEqual(['T2:U1']);
  });
});
