/**
 * Keeps a scheduler pass from holding the event loop. A pass is many small steps (a claim batch, a delivery), each
 * synchronous until it waits for Slack or the database; on SQLite the database never makes it wait, and against a
 * fast Slack sixteen deliveries at a time leave the loop no idle moment. Without slices, one turn of the loop runs
 * every step that became ready in it, back to back, and a slash command arriving meanwhile waits for all of them.
 *
 * A step calls `turn()` before it starts. A slice begins with the first step after the loop came round to its timers
 * (a sentinel timer, set when the slice begins, tells when it has); once the pass has kept the loop busy for `sliceMs`
 * without it coming round, `turn()` waits for a timer, which fires in a later turn of the loop, after the requests
 * that arrived meanwhile were read. A step that comes back after the new slice is used up waits again. So one turn of the loop runs at most about a slice of the
 * pass's work, plus the one step that began inside it; and a pass that is not busy (posts paced by Slack's limits)
 * never waits at all.
 */
export class LoopSlicer {
  private sliceStart = 0;
  /** A sentinel timer is pending: the loop has not come round to its timers since the slice began. */
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
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
  }

  private arm(): void {
    this.armed = true;
    setTimeout(() => {
      this.armed = false;
    }, 0).unref();
  }
}
