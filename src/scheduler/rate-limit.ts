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
 * a 429's Retry-After is running for that workspace. `acquire` resolves when a post may go out.
 */
export class PostRateLimiter {
  private readonly channelNext = new Map<string, number>();
  private readonly workspaceSent = new Map<string, number[]>();
  private readonly workspaceBlockedUntil = new Map<string, number>();
  /** Learned spacing between posts to a workspace: widened by each 429, narrowed by each success. */
  private readonly workspaceGap = new Map<string, { gapMs: number; last: number }>();

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
        this.window(workspace, now).push(now);
        const pace = this.workspaceGap.get(workspace);
        if (pace) pace.last = now;
        return;
      }
      await this.timers.sleep(wait);
    }
  }

  /**
   * Slack answered 429: hold every post to this workspace for Retry-After seconds, and space the
   * posts after it further apart, so that waiting senders do not all hit the limit again at once.
   */
  backOff(workspace: string, retryAfterSeconds: number): void {
    const now = this.timers.now();
    const blockedUntil = this.workspaceBlockedUntil.get(workspace) ?? 0;
    this.workspaceBlockedUntil.set(workspace, Math.max(now + Math.max(1, retryAfterSeconds) * 1000, blockedUntil));
    // Posts already in flight answer 429 together: widen the spacing once per episode, not per post.
    if (now < blockedUntil) return;
    const pace = this.workspaceGap.get(workspace) ?? { gapMs: 0, last: 0 };
    pace.gapMs = Math.min(5000, Math.max(50, pace.gapMs * 2));
    this.workspaceGap.set(workspace, pace);
  }

  /** A post went through: creep back towards full speed. */
  succeeded(workspace: string): void {
    const pace = this.workspaceGap.get(workspace);
    if (!pace) return;
    pace.gapMs *= 0.97;
    if (pace.gapMs < 10) this.workspaceGap.delete(workspace);
  }

  private channelWait(workspace: string, channel: string, now: number): number {
    return (this.channelNext.get(`${workspace}/${channel}`) ?? 0) - now;
  }

  private workspaceWait(workspace: string, now: number): number {
    const blocked = (this.workspaceBlockedUntil.get(workspace) ?? 0) - now;
    const sent = this.window(workspace, now);
    const full = sent.length >= this.limits.perWorkspacePerMinute ? sent[0]! + 60_000 - now : 0;
    const pace = this.workspaceGap.get(workspace);
    const paced = pace ? pace.last + pace.gapMs - now : 0;
    return Math.max(blocked, full, paced);
  }

  private window(workspace: string, now: number): number[] {
    let sent = this.workspaceSent.get(workspace);
    if (!sent) {
      sent = [];
      this.workspaceSent.set(workspace, sent);
    }
    while (sent.length > 0 && sent[0]! <= now - 60_000) sent.shift();
    return sent;
  }
}
