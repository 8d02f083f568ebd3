import { lastRequestTurnAt, requestTurnsPending } from '../shared/request-turns.js';

/** The most turns of the loop a pass waits for requests that keep arriving before it takes its slice anyway. */
const MAX_TURNS_GIVEN = 20;
/** While requests are being served, a pass rests this many times as long as each slice it took: a fifth of the loop at most. */
const REST_PER_SLICE = 4;
/** Requests are being served when one came in this recently (ms). */
const SERVING_WITHIN_MS = 100;
const nextCheckPhase = () => new Promise<void>((resolve) => setImmediate(resolve));
const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SlicerOptions {
  /** How long a slice may hold the loop (ms) while no request is being served. */
  sliceMs?: number;
  /** How long while requests are being served: what a request that arrives meanwhile waits for, at most. */
  servingSliceMs?: number;
  clock?: () => number;
  /** Waits that long (ms), the loop free meanwhile. */
  rest?: (ms: number) => Promise<void>;
  /** Whether requests are being served (by default: a command asked for a turn in the last 100 ms). */
  serving?: () => boolean;
}

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
 *
 * While requests are being served (a command asked for its turn in the last 100 ms), a slice is 2 ms, not 10, and
 * after it the pass rests four times as long, the loop free. A request that comes in during a slice waits for it:
 * with 10 ms slices (and claim batches of 250), acknowledgements' p99 while a pass claimed 10,000 on SQLite was 53 ms
 * against 36 ms in a minute without a claim, and is now 34 against 38 (bench/README.md, fourteenth round). Inside a
 * transaction the pass never rests: on SQLite the transaction holds up every other statement.
 */
export class LoopSlicer {
  private sliceStart = 0;
  /** A sentinel immediate is pending: the loop has not come round to its check phase since the slice began. */
  private armed = false;
  private readonly sliceMs: number;
  private readonly servingSliceMs: number;
  private readonly clock: () => number;
  private readonly rest: (ms: number) => Promise<void>;
  /** Whether requests are being served: a pass then takes shorter slices of the loop, and fewer of them. */
  readonly serving: () => boolean;

  constructor(opts: SlicerOptions = {}) {
    this.sliceMs = opts.sliceMs ?? 10;
    this.servingSliceMs = opts.servingSliceMs ?? 2;
    this.clock = opts.clock ?? (() => performance.now());
    this.rest = opts.rest ?? timer;
    this.serving = opts.serving ?? (() => performance.now() - lastRequestTurnAt() < SERVING_WITHIN_MS);
  }

  /**
   * Resolves when the step that calls it may run. `inTransaction`: the step is inside a database transaction, which
   * on SQLite holds up every other statement of the process: it never rests there, only gives the loop its turn.
   */
  async turn(inTransaction = false): Promise<void> {
    for (;;) {
      if (!this.armed) {
        // The loop came round since the pass last looked (or is idle): a new slice.
        this.sliceStart = this.clock();
        this.arm();
        return;
      }
      const used = this.clock() - this.sliceStart;
      const serving = this.serving();
      if (used < (serving ? this.servingSliceMs : this.sliceMs)) return;
      if (serving && !inTransaction) {
        // The pass rests, the loop free meanwhile, so that a pass of thousands does not take the server from the
        // requests for its whole length (it comes back to a new slice: the loop came round meanwhile).
        await this.rest(used * REST_PER_SLICE);
        continue;
      }
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
