/** Time as the limiter sees it; tests and benchmarks substitute their own. */
export interface Timers {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimits {
  /** Minimum gap between two posts to one channel (Slack: about one message a second). */
  perChannelIntervalMs: number;
  /** Posts a workspace may make in a rolling minute across all channels. */
  perWorkspacePerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perChannelIntervalMs: 1100, perWorkspacePerMinute: 300 };

/**
 * Paces chat.postMessage the way Slack limits it: per channel, per workspace, and not at all while
 * a 429's Retry-After is running for that workspace. Posts to a workspace are spaced evenly
 * (60 s / budget) rather than let through in bursts, which is what draws 429s.
 * `acquire` resolves when a post may go out.
 */
export class PostRateLimiter {
  private readonly channelNext = new Map<string, number>();
  private readonly workspaceLast = new Map<string, number>();
  private readonly workspaceBlockedUntil = new Map<string, number>();
  /** Extra spacing learned from 429s: doubled once per episode, eased off by each success. */
  private readonly learnedGap = new Map<string, number>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly timers: Timers = realTimers,
  ) {}

  async acquire(workspace: string, channel: string): Promise<void> {
    for (;;) {
      const now = this.timers.now();
      const wait = Math.max(this.channelWait(workspace, channel, now), this.workspaceWait(workspace, now));
      if (wait <= 0) {
        this.channelNext.set(`${workspace}/${channel}`, now + this.limits.perChannelIntervalMs);
        this.workspaceLast.set(workspace, now);
        return;
      }
      await this.timers.sleep(wait);
    }
  }

  /** Slack answered 429: hold every post to this workspace for Retry-After seconds, then go slower. */
  backOff(workspace: string, retryAfterSeconds: number): void {
    const now = this.timers.now();
    const blockedUntil = this.workspaceBlockedUntil.get(workspace) ?? 0;
    this.workspaceBlockedUntil.set(workspace, Math.max(now + Math.max(1, retryAfterSeconds) * 1000, blockedUntil));
    // Posts already in flight answer 429 together: widen the spacing once per episode, not per post.
    if (now < blockedUntil) return;
    this.learnedGap.set(workspace, Math.min(5000, Math.max(2 * this.baseGap(), 50, 2 * (this.learnedGap.get(workspace) ?? 0))));
  }

  /** A post went through: creep back towards the configured pace. */
  succeeded(workspace: string): void {
    const gap = this.learnedGap.get(workspace);
    if (gap === undefined) return;
    if (gap * 0.97 <= this.baseGap()) this.learnedGap.delete(workspace);
    else this.learnedGap.set(workspace, gap * 0.97);
  }

  private baseGap(): number {
    return 60_000 / this.limits.perWorkspacePerMinute;
  }

  private channelWait(workspace: string, channel: string, now: number): number {
    return (this.channelNext.get(`${workspace}/${channel}`) ?? 0) - now;
  }

  private workspaceWait(workspace: string, now: number): number {
    const blocked = (this.workspaceBlockedUntil.get(workspace) ?? 0) - now;
    const last = this.workspaceLast.get(workspace);
    const spaced = last === undefined ? 0 : last + Math.max(this.baseGap(), this.learnedGap.get(workspace) ?? 0) - now;
    return Math.max(blocked, spaced);
  }
}
