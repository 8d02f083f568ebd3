/**
 * Work that follows an acknowledgement (a command's answer sent by response_url, a Home refresh) waits behind the
 * requests still to be acknowledged. Slack cancels a command that is not acknowledged within 3 s and shows the
 * user an error, while a response_url stays valid for 30 minutes: under a burst, answers may come a little later,
 * but every request is acknowledged at once.
 *
 * Each follow-up starts in a `setImmediate` turn of its own, and Node polls for I/O (new requests, whose
 * acknowledgements then go out) before every such turn; at most `concurrency` run at a time, so a slow Slack or
 * database call holds back only its own share.
 *
 * The queue is bounded by time: while the follow-up that has waited longest has waited more than `maxWaitMs`, the
 * process is further behind than a learner waits for an answer, and `overloaded` tells callers to refuse new work
 * (with a reply saying so) rather than let the backlog, and every answer's delay, grow without bound.
 */
export class FollowUps {
  private readonly waiting: Array<{ since: number; start: () => void }> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly concurrency = 8,
    private readonly maxWaitMs = MAX_WAIT_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

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
    setImmediate(() => {
      this.scheduled = false;
      if (this.running < this.concurrency) this.waiting.shift()?.start();
      this.schedule();
    });
  }
}

/** Past this wait for a turn, new commands are refused (see FollowUps): well beyond a burst's usual delay of seconds. */
export const MAX_WAIT_MS = 10_000;
