/**
 * Refreshes cached Slack profiles behind the answers, at a pace Slack allows.
 *
 * A profile a day old is still right for nearly everyone (people rarely move timezone or lose admin rights
 * overnight), so a command answers from it at once and asks Slack again afterwards. Asking before the answer would put
 * a users.info round trip, and in a busy morning a burst of them, in front of every learner's first reply of the day;
 * users.info is a Tier 4 method (about 100 calls a minute per workspace), so such a burst would draw 429s besides.
 *
 * Each workspace has a queue of its own, drained one call at a time, `spacingMs` apart; a user already queued is not
 * queued twice, and the queues hold at most `capacity` users in all (a user left out is asked for at their next command).
 */
export class ProfileRefresher {
  private readonly queues = new Map<string, Array<{ key: string; refresh: () => Promise<void> }>>();
  private readonly queued = new Set<string>();
  private readonly draining = new Set<Promise<void>>();
  private stopped = false;
  private wake!: () => void;
  /** Settles on stop, so a queue pausing between two calls ends at once. */
  private readonly stopping = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    private readonly logger: { warn(message: string): void },
    private readonly spacingMs = PROFILE_REFRESH_SPACING_MS,
    private readonly capacity = 5_000,
    private readonly sleep: (ms: number) => Promise<void> = unrefSleep,
  ) {}

  /** Queues `refresh` for `user` of `workspace` unless they are queued already, the queues are full, or it stopped. */
  request(workspace: string, user: string, refresh: () => Promise<void>): void {
    const key = `${workspace}:${user}`;
    if (this.stopped || this.queued.has(key) || this.queued.size >= this.capacity) return;
    this.queued.add(key);
    const queue = this.queues.get(workspace);
    if (queue) {
      queue.push({ key, refresh });
      return;
    }
    this.queues.set(workspace, [{ key, refresh }]);
    const drain = this.drain(workspace).finally(() => this.draining.delete(drain));
    this.draining.add(drain);
  }

  /** How many users are waiting for a refresh or being refreshed. */
  get pending(): number {
    return this.queued.size;
  }

  /** Resolves once every queue has drained (tests) or, after `stop`, once the refreshes under way have finished. */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all(this.draining);
  }

  /** Takes no more requests, drops the queued ones and waits for those under way (they write to the database). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const queue of this.queues.values()) queue.length = 0;
    await this.idle();
  }

  private async drain(workspace: string): Promise<void> {
    const queue = this.queues.get(workspace)!;
    for (let job = queue.shift(); job; job = queue.shift()) {
      try {
        await job.refresh();
      } catch (err) {
        this.logger.warn(`refreshing the profile of ${job.key} failed: ${(err as Error).message}`);
      } finally {
        this.queued.delete(job.key);
      }
      if (queue.length > 0 && !this.stopped) await Promise.race([this.sleep(this.spacingMs), this.stopping]);
    }
    this.queues.delete(workspace);
  }
}

/** 50 users.info calls a minute per workspace: half of Tier 4's allowance, leaving room for the app's other calls. */
export const PROFILE_REFRESH_SPACING_MS = 1_200;

/** A pause that does not keep the process alive on its own (a stop ends it: see `stopping`). */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
