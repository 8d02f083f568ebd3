import type { LoopSlicer } from './slicer.js';

/**
 * Orders deliveries so that two for one target are far apart: a channel's quiz right behind its tip
 * would hold a sending slot for the whole per-channel gap.
 */
export function spreadByTarget<T>(items: T[], targetOf: (item: T) => string): T[] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const o of items) {
    const key = targetOf(o);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    const list = rounds[round] ?? [];
    list.push(o);
    rounds[round] = list;
  }
  return rounds.flat();
}

/**
 * Runs deliveries with bounded concurrency; the limiter, not the pool, sets the pace, and each delivery starts in a
 * slice of the event loop (see LoopSlicer). `work` never throws (a delivery records its own outcome), so the pass
 * ends only when every worker has. Each item is dropped from `items` as it is taken: a pass of thousands keeps only
 * those in flight alive, and the garbage collector's pauses stay short.
 *
 * A target's deliveries go out one after another, in the order given: a channel's tip, then its quiz, as the
 * channel reads them every day. Running side by side, whichever composed first would post first.
 */
export async function fanOut<T>(
  items: (T | undefined)[],
  concurrency: number,
  slicer: LoopSlicer,
  targetOf: (item: T) => string,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const total = items.length;
  /** Each target's latest delivery still running: the target's next one waits for it. */
  const running = new Map<string, Promise<void>>();
  const worker = async () => {
    for (;;) {
      await slicer.turn();
      if (next >= total) return;
      const item = items[next]!;
      items[next++] = undefined;
      const target = targetOf(item);
      const before = running.get(target);
      const done = before ? before.then(() => work(item)) : work(item);
      running.set(target, done);
      await done;
      if (running.get(target) === done) running.delete(target);
    }
  };
  await Promise.allSettled(Array.from({ length: Math.min(concurrency, total) }, worker));
}
