import { describe, expect, it } from 'vitest';
import { fanOut, spreadByTarget } from '../../src/scheduler/fan-out.js';
import { LoopSlicer } from '../../src/scheduler/slicer.js';

interface Item {
  target: string;
  name: string;
  /** Turns of the loop its work takes before it "posts" (a slow compose, a wait for the database). */
  turns: number;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function run(items: Item[], concurrency: number): Promise<string[]> {
  const posted: string[] = [];
  await fanOut<Item>(
    [...items],
    concurrency,
    new LoopSlicer(),
    (i) => i.target,
    async (i) => {
      for (let t = 0; t < i.turns; t++) await turn();
      posted.push(i.name);
    },
  );
  return posted;
}

describe('fanOut', () => {
  it("posts a target's deliveries in the order given, however long each takes", async () => {
    // The tip composes slowly; the quiz behind it in the same channel is quick, as is the other channel's tip.
    const items = spreadByTarget(
      [
        { target: 'C1', name: 'C1 tip', turns: 20 },
        { target: 'C1', name: 'C1 quiz', turns: 0 },
        { target: 'C2', name: 'C2 tip', turns: 0 },
      ],
      (i) => i.target,
    );
    const posted = await run(items, 16);
    expect(posted.indexOf('C1 tip')).toBeLessThan(posted.indexOf('C1 quiz'));
    // Other targets do not wait for it.
    expect(posted[0]).toBe('C2 tip');
  });

  it('runs every item once, with at most `concurrency` at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const items = Array.from({ length: 50 }, (_, n) => n);
    await fanOut<number>(
      items,
      4,
      new LoopSlicer(),
      (n) => `T${n % 7}`,
      async (n) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await turn();
        done.push(n);
        inFlight -= 1;
      },
    );
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(most).toBeLessThanOrEqual(4);
    expect(items.every((i) => i === undefined)).toBe(true);
  });
});

describe('spreadByTarget', () => {
  it("puts a target's second delivery after every target's first", () => {
    const order = spreadByTarget(['a1', 'a2', 'b1', 'c1', 'c2', 'a3'], (s) => s[0]!);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });
});
