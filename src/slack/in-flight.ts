/**
 * Work still running on behalf of Slack requests, which a graceful stop (and a test's `idle()`) waits for before the
 * database closes: each request's listeners, and the answers that go on after a listener has returned.
 *
 * A listener returns as soon as it has acknowledged and handed its answer here, rather than awaiting the answer: a
 * listener that is still running keeps its request alive (the HTTP request and response, Bolt's middleware chain and
 * context), and under a burst a thousand answers wait behind the acknowledgements. Every young-generation collection
 * then copies all of that: in a burst's acknowledgements they took 24–48 ms in all a load, up to 12 ms at a time, where a
 * bare app's took 4.5–14 ms (bench/README.md, "Issue 15, tenth round"). An answer handed here holds only what it needs.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /**
   * Tracks `work` until it settles. Work should handle its own failures (answer the user, log the cause); a rejection
   * that reaches here is reported to `onError`, never left unhandled.
   */
  add(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (err: unknown) => {
        try {
          this.onError(err);
        } catch {
          // A failing report (a logger that throws) must not become an unhandled rejection of its own.
        }
      },
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
  }

  /** How much is still running. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing runs, work added meanwhile included. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Waits until nothing runs or `deadline` (epoch ms) passes; how much was still running then. */
  async drain(deadline: number): Promise<number> {
    // Each round waits for what ran when it began; work added meanwhile (a listener's answer) is waited for in the next.
    while (this.running.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
      ]).finally(() => clearTimeout(timer));
    }
    return this.running.size;
  }
}
