import { requestTurn } from '../shared/request-turns.js';

/**
 * Work that follows an acknowledgement (a command's answer sent by response_url, a Home refresh) waits behind the
 * requests still to be acknowledged. Slack cancels a command that is not acknowledged within 3 s and shows the
 * user an error, while a response_url stays valid for 30 minutes: under a burst, answers may come a little later,
 * but every request is acknowledged at once.
 *
 * Whether a command's answer may be worked out before its acknowledgement is decided once the requests that arrived
 * with it have all been read (`crowded`): alone, with nothing queued, it may; in a burst, every acknowledgement goes
 * first and the answers follow here.
 *
 * While commands keep arriving (one came in the last window of `quietMs`), follow-ups wait for the burst to pass, so the
 * acknowledgements get the process's time rather than share it with answers; none waits longer than `maxDeferMs`.
 * Commands that go on arriving for longer than that (without a pause of STREAM_PAUSE_MS) are a steady stream, not a
 * burst: from then on follow-ups share the process with them at once, until the commands pause. (Held back each in
 * turn, every answer of a steady stream waited the whole `maxDeferMs`, however idle the process, and a second's
 * queue of answers made the acknowledgements slower.) Each follow-up starts in a `setImmediate` turn of its own, and
 * Node polls for I/O (new requests, whose acknowledgements then go out) before every such turn; at most `concurrency`
 * run at a time, so a slow Slack or database call holds back only its own share.
 *
 * The queue is bounded by time: while the follow-up that has waited longest has waited more than `maxWaitMs`, the
 * process is further behind than a learner waits for an answer, and `overloaded` tells callers to refuse new work
 * (with a reply saying so) rather than let the backlog, and every answer's delay, grow without bound.
 */
export class FollowUps {
  private readonly waiting: Array<{ since: number; start: () => void }> = [];
  private running = 0;
  private scheduled = false;
  /** Commands arrived in all, and how many had when `schedule` last looked: a difference means the burst goes on. */
  private commands = 0;
  private commandsSeen = 0;
  /** When the last command arrived, and the first after the last pause of `STREAM_PAUSE_MS` (`now()`). */
  private lastCommandAt = Number.NEGATIVE_INFINITY;
  private streamBegan = Number.NEGATIVE_INFINITY;
  /** The end of the turn of the event loop in which commands are asking `crowded`: how many asked in it. */
  private turnEnd: Promise<number> | undefined;

  private readonly concurrency: number;
  private readonly maxWaitMs: number;
  private readonly quietMs: number;
  private readonly maxDeferMs: number;
  private readonly now: () => number;

  constructor(opts: { concurrency?: number; maxWaitMs?: number; quietMs?: number; maxDeferMs?: number; now?: () => number } = {}) {
    this.concurrency = opts.concurrency ?? 8;
    this.maxWaitMs = opts.maxWaitMs ?? MAX_WAIT_MS;
    this.quietMs = opts.quietMs ?? QUIET_MS;
    this.maxDeferMs = opts.maxDeferMs ?? MAX_DEFER_MS;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Runs `work` after the requests already waiting to be read; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        since: this.now(),
        start: () => {
          this.running += 1;
          work()
            .then(resolve, reject)
            .finally(() => {
              this.running -= 1;
              this.schedule();
            });
        },
      });
      this.schedule();
    });
  }

  /**
   * Called as a command arrives; resolves after every request that arrived in the same turn of the event loop has been
   * read (the turn's check phase): true when others came with it or follow-ups are queued or running, so that its
   * answer should follow its acknowledgement rather than hold up theirs.
   */
  crowded(): Promise<boolean> {
    const before = this.commands++;
    const now = this.now();
    if (now - this.lastCommandAt >= STREAM_PAUSE_MS) this.streamBegan = now;
    this.lastCommandAt = now;
    this.turnEnd ??= requestTurn().then(() => {
      this.turnEnd = undefined;
      return this.commands - before;
    });
    return this.turnEnd.then((arrivals) => arrivals > 1 || this.pending > 0);
  }

  /** How many follow-ups are waiting to start and running. */
  get pending(): number {
    return this.waiting.length + this.running;
  }

  /** Whether the oldest follow-up still waiting to start has waited longer than `maxWaitMs`: new work is refused. */
  get overloaded(): boolean {
    const oldest = this.waiting[0];
    return oldest !== undefined && this.now() - oldest.since > this.maxWaitMs;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.running >= this.concurrency) return;
    this.scheduled = true;
    const now = this.now();
    const deferredFor = Math.max(now - this.waiting[0]!.since, now - this.streamBegan);
    if (this.commands !== this.commandsSeen && deferredFor < this.maxDeferMs) {
      // A command came since the last look: wait a quiet window (a timer, so the burst's requests are read meanwhile
      // without the loop spinning) and look again.
      this.commandsSeen = this.commands;
      setTimeout(() => {
        this.scheduled = false;
        this.schedule();
      }, this.quietMs);
      return;
    }
    setImmediate(() => {
      this.scheduled = false;
      if (this.running < this.concurrency) this.waiting.shift()?.start();
      this.schedule();
    });
  }
}

/** Past this wait for a turn, new commands are refused (see FollowUps): well beyond a burst's usual delay of seconds. */
export const MAX_WAIT_MS = 10_000;
/** A gap between commands this long ends a burst: far longer than the process takes to acknowledge one. */
const QUIET_MS = 3;
/**
 * The longest a follow-up waits for a burst to pass; commands that have kept arriving for longer than this, without a
 * pause of STREAM_PAUSE_MS, are a steady stream, whose follow-ups do not wait at all.
 */
const MAX_DEFER_MS = 1000;
/**
 * A pause between commands this long ends a steady stream. Far longer than QUIET_MS: the process sees commands when it
 * reads them, so a few milliseconds of its own work (a collection, a follow-up) look like a gap between them.
 */
const STREAM_PAUSE_MS = 100;
