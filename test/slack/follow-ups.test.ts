import { describe, expect, it, vi } from 'vitest';
import { FollowUps } from '../../src/slack/follow-ups.js';

describe('FollowUps', () => {
  it('lets the event loop turn between two follow-ups, so requests waiting to be acknowledged go first', async () => {
    const followUps = new FollowUps();
    const order: string[] = [];
    const runs = [1, 2, 3].map((n) =>
      followUps.run(async () => {
        order.push(`follow-up ${n}`);
      }),
    );
    // Stands for a request that arrived meanwhile: its callback waits for the next turn of the loop.
    setImmediate(() => order.push('request'));
    order.push('acknowledged');
    await Promise.all(runs);
    expect(order[0]).toBe('acknowledged');
    expect(order.indexOf('request')).toBeLessThan(order.indexOf('follow-up 3'));
  });

  it('runs at most `concurrency` at a time, and passes on results and errors', async () => {
    const followUps = new FollowUps({ concurrency: 2 });
    let running = 0;
    let most = 0;
    const work = (n: number) =>
      followUps.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        if (n === 3) throw new Error('three');
        return n;
      });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(work));
    expect(most).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 2, 'three', 4, 5]);
    expect(followUps.pending).toBe(0);
  });

  it('is overloaded while the follow-up waiting longest has waited more than maxWaitMs, and not once it starts', async () => {
    const t = { value: 0 };
    const followUps = new FollowUps({ concurrency: 1, maxWaitMs: 10_000, now: () => t.value });
    let release = () => {};
    const blocker = followUps.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setImmediate(r));
    const waiting = followUps.run(async () => 'ran');
    expect(followUps.overloaded).toBe(false);
    t.value = 10_000;
    expect(followUps.overloaded).toBe(false);
    t.value = 10_001;
    expect(followUps.overloaded).toBe(true);
    release();
    await blocker;
    expect(await waiting).toBe('ran');
    expect(followUps.overloaded).toBe(false);
  });

  it('tells a command it is crowded when others arrived in the same turn of the loop or follow-ups are pending, not when alone', async () => {
    const followUps = new FollowUps();
    expect(await followUps.crowded()).toBe(false);
    expect(await Promise.all([followUps.crowded(), followUps.crowded()])).toEqual([true, true]);
    let release: (() => void) | undefined;
    const held = followUps.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(await followUps.crowded()).toBe(true);
    await vi.waitFor(() => expect(release).toBeDefined());
    release!();
    await held;
    expect(await followUps.crowded()).toBe(false);
  });

  it('holds follow-ups back while commands keep arriving, and starts them once a quiet window passes', async () => {
    const followUps = new FollowUps({ quietMs: 20, maxDeferMs: 60_000 });
    let ran = false;
    const arrivals = setInterval(() => void followUps.crowded(), 5);
    await new Promise((r) => setTimeout(r, 10));
    const work = followUps.run(async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 150));
    // Commands came every 5 ms for 150 ms, each within the 20 ms window: the follow-up waited.
    expect(ran).toBe(false);
    clearInterval(arrivals);
    await work;
    expect(ran).toBe(true);
  });

  it('starts a follow-up held back by a burst once it has waited maxDeferMs, though commands keep arriving', async () => {
    const t = { value: 0 };
    const followUps = new FollowUps({ quietMs: 20, maxDeferMs: 1000, now: () => t.value });
    let ran = false;
    const arrivals = setInterval(() => void followUps.crowded(), 5);
    await new Promise((r) => setTimeout(r, 10));
    const work = followUps.run(async () => {
      ran = true;
    });
    await new Promise((r) => setTimeout(r, 60));
    expect(ran).toBe(false);
    t.value = 1000;
    await work;
    clearInterval(arrivals);
    expect(ran).toBe(true);
  });

  it('treats commands that keep arriving for longer than maxDeferMs as a stream: follow-ups start at once until they pause', async () => {
    const t = { value: 0 };
    const followUps = new FollowUps({ quietMs: 50, maxDeferMs: 1000, now: () => t.value });
    // A command every 10 ms of `t` (every 2 ms of real time): never a gap of quietMs (real time) between them.
    const commands = () =>
      setInterval(() => {
        t.value += 10;
        void followUps.crowded();
      }, 2);
    /** Queues a follow-up; resolves with how long (in `t`) it waited to start. */
    const follow = async () => {
      const queued = t.value;
      return followUps.run(async () => t.value - queued);
    };
    let arrivals = commands();
    await new Promise((r) => setTimeout(r, 10));
    // Held back until the stream is a second old (it began a few commands before this follow-up was queued).
    expect(await follow()).toBeGreaterThanOrEqual(900);
    // A second of commands without a pause: a stream. The next follow-up starts at once.
    expect(await follow()).toBeLessThan(500);
    // The commands pause; the next ones are a new burst, whose follow-ups wait again.
    clearInterval(arrivals);
    t.value += 200;
    arrivals = commands();
    await new Promise((r) => setTimeout(r, 10));
    expect(await follow()).toBeGreaterThanOrEqual(900);
    clearInterval(arrivals);
  });
});
