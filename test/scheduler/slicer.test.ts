import { describe, expect, it } from 'vitest';
import { LoopSlicer } from '../../src/scheduler/slicer.js';
import { requestTurn } from '../../src/shared/request-turns.js';

/** Whether `p` settles within the microtasks now queued, without the event loop going round. */
async function settlesAtOnce(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}
const loopComesRound = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A slicer on the test's clock whose rests are recorded (each lets the loop come round). */
function recording(serving?: () => boolean) {
  const clock = { now: 1000 };
  const rests: number[] = [];
  const rest = async (ms: number) => {
    rests.push(ms);
    await loopComesRound();
  };
  return { clock, rests, slicer: new LoopSlicer({ clock: () => clock.now, rest, serving }) };
}

describe('LoopSlicer', () => {
  it('lets steps through until the pass has held the loop for a slice, then waits for the loop to come round', async () => {
    let now = 1000;
    const slicer = new LoopSlicer({ clock: () => now, serving: () => false });
    expect(await settlesAtOnce(slicer.turn())).toBe(true); // a slice begins
    now += 6;
    expect(await settlesAtOnce(slicer.turn())).toBe(true);
    now += 6; // 12 ms without the loop coming round
    const waiting = slicer.turn();
    expect(await settlesAtOnce(waiting)).toBe(false);
    await loopComesRound();
    expect(await settlesAtOnce(waiting)).toBe(true);
    // The step that came back began the next slice; the next one within it goes through.
    now += 3;
    expect(await settlesAtOnce(slicer.turn())).toBe(true);
  });

  it('never holds up a pass that is not busy: a step after the loop came round begins a new slice', async () => {
    let now = 1000;
    const slicer = new LoopSlicer({ clock: () => now, serving: () => false });
    await slicer.turn();
    await loopComesRound();
    now += 500; // a long wait for Slack's pace, with the loop free meanwhile
    expect(await settlesAtOnce(slicer.turn())).toBe(true);
  });

  it('lets only one slice of waiting steps through when the loop comes round', async () => {
    let now = 1000;
    const slicer = new LoopSlicer({ clock: () => now, serving: () => false });
    await slicer.turn();
    now += 20;
    const steps = [slicer.turn(), slicer.turn(), slicer.turn()];
    const through: number[] = [];
    for (const [i, s] of steps.entries()) {
      void s.then(() => {
        through.push(i);
        now += 8; // each step keeps the loop for 8 ms
      });
    }
    // One turn of the loop: an immediate set after theirs runs right after them, in the same check phase.
    await new Promise((resolve) => setImmediate(resolve));
    // The first two fit in the new slice (0 and 8 ms into it); the third waits for the loop again.
    expect(through).toEqual([0, 1]);
    await loopComesRound();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(through).toEqual([0, 1, 2]);
  });

  it("lets a request's wait for the check phase go first, though the pass queued its own before it", async () => {
    let now = 1000;
    const slicer = new LoopSlicer({ clock: () => now, serving: () => false });
    await slicer.turn();
    now += 20; // the slice is used up: the next step waits for the loop
    const order: string[] = [];
    const step = slicer.turn().then(() => order.push('pass'));
    // A command read meanwhile waits for the same check phase before its acknowledgement.
    const request = requestTurn().then(() => order.push('request'));
    await Promise.all([step, request]);
    expect(order).toEqual(['request', 'pass']);
  });

  it('takes slices of 2 ms while requests are being served, and rests four times as long after each', async () => {
    const { clock, rests, slicer } = recording(() => true);
    await slicer.turn();
    clock.now += 1;
    expect(await settlesAtOnce(slicer.turn())).toBe(true);
    clock.now += 2;
    await slicer.turn();
    expect(rests).toEqual([12]);
    // The next step is inside the new slice.
    clock.now += 1;
    expect(await settlesAtOnce(slicer.turn())).toBe(true);
  });

  it('knows requests are being served by their turns', async () => {
    const { clock, rests, slicer } = recording();
    // A command's turn, just now (the default looks at the wall clock).
    await requestTurn();
    expect(slicer.serving()).toBe(true);
    await slicer.turn();
    clock.now += 3;
    await slicer.turn();
    expect(rests).toEqual([12]);
  });

  it('never rests inside a transaction: it gives the loop its turn instead', async () => {
    const { clock, rests, slicer } = recording(() => true);
    await slicer.turn(true);
    clock.now += 3;
    const waiting = slicer.turn(true);
    expect(await settlesAtOnce(waiting)).toBe(false);
    await loopComesRound();
    expect(await settlesAtOnce(waiting)).toBe(true);
    expect(rests).toEqual([]);
  });
});
