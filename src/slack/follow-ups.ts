/**
 * Work that follows an acknowledgement (a command's answer sent by response_url, a Home refresh) waits behind the
 * requests still to be acknowledged. Slack cancels a command that is not acknowledged within 3 s and shows the
 * user an error, while a response_url stays valid for 30 minutes: under a burst, answers may come a little later,
 * but every request is acknowledged at once.
 *
 * Each follow-up starts in a `setImmediate` turn of its own, and Node polls for I/O (new requests, whose
 * acknowledgements then go out) before every such turn; at most `concurrency` run at a time, so a slow Slack or
 * database call holds back only its own share.
 */
export class FollowUps {
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private scheduled = false;

  constructor(private readonly concurrency = 8) {}

  /** Runs `work` after the requests already waiting to be read; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.running += 1;
        work()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.schedule();
          });
      });
      this.schedule();
    });
  }

  /** How many follow-ups are waiting to start and running. */
  get pending(): number {
    return this.waiting.length + this.running;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.running >= this.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.running < this.concurrency) this.waiting.shift()?.();
      this.schedule();
    });
  }
}
