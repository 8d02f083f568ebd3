/**
 * Turns of the event loop that request handling waits for, counted. Before a command is acknowledged it waits for the
 * loop's check phase, once to see whether other requests arrived with it (FollowUps.crowded) and once to see whether
 * its answer is ready at once. Background work that yields by immediates (the scheduler's LoopSlicer) lets those go
 * first: immediates run in the order they were queued, so a pass that queued its own before a request arrived would
 * otherwise run a slice of its work ahead of the acknowledgement.
 */
let pending = 0;
/** When a request last asked for a turn (performance.now()), or -Infinity. */
let lastAskedAt = Number.NEGATIVE_INFINITY;

/** Resolves in the loop's next check phase, after its poll for I/O; counted as a request's wait meanwhile. */
export function requestTurn(): Promise<void> {
  pending += 1;
  lastAskedAt = performance.now();
  return new Promise((resolve) =>
    setImmediate(() => {
      pending -= 1;
      resolve();
    }),
  );
}

/** Whether a request is waiting for a check phase: background work should let it go first. */
export const requestTurnsPending = (): boolean => pending > 0;

/** When a request last asked for a turn (performance.now()): background work can tell whether requests are being served. */
export const lastRequestTurnAt = (): number => lastAskedAt;
