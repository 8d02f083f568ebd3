import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/slack/in-flight.js';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('InFlight', () => {
  it('drains once every piece of work has ended, including work added while it waited', async () => {
    const inFlight = new InFlight(() => {});
    const first = deferred();
    const second = deferred();
    inFlight.add(first.promise);
    let drained = false;
    const draining = inFlight.drain(Date.now() + 5000).then((left) => {
      drained = true;
      return left;
    });
    // An answer handed on by a listener that was itself tracked: added while the drain waits.
    inFlight.add(second.promise);
    first.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    expect(inFlight.size).toBe(1);
    second.resolve();
    expect(await draining).toBe(0);
    expect(inFlight.size).toBe(0);
  });

  it('gives up at the deadline and says how much is still running', async () => {
    const inFlight = new InFlight(() => {});
    inFlight.add(new Promise(() => {}));
    inFlight.add(Promise.resolve());
    expect(await inFlight.drain(Date.now() + 30)).toBe(1);
  });

  it('reports a failure to its handler and counts the work as ended, leaving no rejection unhandled', async () => {
    const errors: unknown[] = [];
    const inFlight = new InFlight((err) => errors.push(err));
    const work = deferred();
    inFlight.add(work.promise);
    work.reject(new Error('slack went away'));
    expect(await inFlight.drain(Date.now() + 1000)).toBe(0);
    expect(errors).toEqual([new Error('slack went away')]);
  });

  it('is idle once every piece of work has ended, including work added meanwhile', async () => {
    const inFlight = new InFlight(() => {});
    const first = deferred();
    const second = deferred();
    inFlight.add(first.promise);
    let idle = false;
    const idling = inFlight.idle().then(() => (idle = true));
    inFlight.add(second.promise);
    first.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    second.resolve();
    await idling;
    expect(inFlight.size).toBe(0);
  });
});
