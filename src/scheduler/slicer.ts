/**
 * Keeps a scheduler pass from holding the event loop. A pass is many small steps (a claim batch, a delivery), each
 * synchronous until it waits for Slack or the database; on SQLite the database never makes it wait, and against a
 * fast Slack sixteen deliveries at a time leave the loop no idle moment. Without slices, one turn of the loop runs
 * every step that became ready in it, back to back, and a slash command arriving meanwhile waits for all of them.
 *
 * A step calls `turn()` before it starts. Once the loop has been busy with the pass for `sliceMs` since the slice
 * began, `turn()` waits for a timer, which fires in a later turn of the loop, after the requests that arrived in the
 * meantime were read. The first step back starts a new slice; a step that comes back after the new slice is used up
 * waits again. So one turn of the loop runs at most about a slice of the pass's work, plus the one step that began
 * inside it.
 */
export class LoopSlicer {
  private sliceStart = performance.now();

  constructor(
    private readonly sliceMs = 10,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async turn(): Promise<void> {
    for (;;) {
      const now = this.clock();
      if (now - this.sliceStart < this.sliceMs) return;
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      // The first step back after the slice ran out begins the next one.
      if (this.sliceStart <= now) this.sliceStart = this.clock();
    }
  }
}
