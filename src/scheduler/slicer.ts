import { requestTurnsPending } from '../shared/request-turns.js';

/** The most turns of the loop a pass waits for requests that keep arriving before it takes its slice anyway. */
const MAX_TURNS_GIVEN = 20;
const nextCheckPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps a scheduler pass from holding the event loop. A pass is many small steps (a claim batch, a delivery), each
 * synchronous until it waits for Slack or the database; on SQLite the database never makes it wait, and against a
 * fast Slack sixteen deliveries at a time leave the loop no idle moment. Without slices, one turn of the loop runs
 * every step that became ready in it, back to back, and a slash command arriving meanwhile waits for all of them.
 *
 * A step calls `turn()` before it starts. A slice begins with the first step after the loop came round to its check
 * phase (a sentinel `setImmediate`, set when the slice begins, tells when it has); once the pass has kept the loop busy
 * for `sliceMs` without it coming round, `turn()` waits for an immediate of its own, which runs in the loop's check
 * phase, after its poll for I/O has read the requests that arrived meanwhile. A step that comes back after the new
 * slice is used up waits again. So one turn of the loop runs at most about a slice of the pass's work, plus the one
 * step that began inside it; and a pass that is not busy (posts paced by Slack's limits) never waits at all.
 *
 * Immediates rather than 0 ms timers: a timer waits at least a millisecond, the loop idle meanwhile (1.7–2.4 ms a
 * yield as measured, 13–14 yields in a claim of 3,333 due learners), where a pending immediate makes the loop poll
 * without waiting. Immediates run in the order queued, so a request's own wait for the check phase (a command's, before
 * its acknowledgement) would come after the pass's slice; the pass lets those go first.
 */
export class LoopSlicer {
  private sliceStart = 0;
  /** A sentinel immediate is pending: the loop has not come round to its check phase since the slice began. */
  private armed = false;

  constructor(
    private readonly sliceMs = 10,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async turn(): Promise<void> {
    for (;;) {
      if (!this.armed) {
        // The loop came round since the pass last looked (or is idle): a new slice.
        this.sliceStart = this.clock();
        this.arm();
        return;
      }
      if (this.clock() - this.sliceStart < this.sliceMs) return;
      await nextCheckPhase();
      // Requests waiting for this check phase go first (see requestTurn), though this immediate was queued before
      // theirs; a few turns at most, so that a stream of requests cannot hold the pass up for good.
      for (let given = 0; requestTurnsPending() && given < MAX_TURNS_GIVEN; given++) await nextCheckPhase();
    }
  }

  private arm(): void {
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
    }).unref();
  }
}
