/**
 * Slack's pace for chat.postMessage: about one message a second per channel, and a budget per app per workspace
 * that every process sending for the workspace spends together.
 *
 * One process (SQLite, the embedded default) keeps the pace in memory: posts to a workspace are spaced evenly
 * (60 s / budget, 5 % wider: see Headroom) rather than let through in bursts, which is what draws 429s; a 429 holds
 * the workspace for Retry-After and widens the spacing.
 *
 * Shared pace (PostgreSQL, where N replicas and any number of `aipath tick` runs share one database): N processes
 * pacing themselves would spend N times the workspace's budget, so the workspace's spacing is kept in the
 * database. Each workspace has one row in `send_pace` holding when its next send slot begins, and a send reserves
 * a slot with ONE statement (store port `SendPace.reserve`):
 *
 *   INSERT … ON CONFLICT (workspace_id) DO UPDATE SET next_slot = GREATEST(next_slot, now) + spacing
 *   RETURNING next_slot - spacing
 *
 * The row lock orders reservations from every process; each gets a slot of its own, `spacing` after the one
 * before, and time nobody used is not saved up (no burst after a quiet spell). The sender sleeps until its slot,
 * passes the fencing check and posts. A 429 moves the row past Retry-After (`holdUntil`), so every process waits
 * it out, not only the one that was told. Slots rather than a token bucket or per-second counters: a bucket lets
 * its whole capacity through at once and a per-second lease a whole second's budget at the start of the second,
 * both of which Slack answers with 429s; slots spread posts evenly, as one process always did.
 *
 * - Cost: one short write per post (well under a millisecond against a post's tens), no polling; reservations
 *   run ahead by at most the sends in flight (16 per pass and process) times the spacing.
 * - Headroom: posts are spaced 5 % wider than the budget. A post may reach Slack a few milliseconds late (its event
 *   loop, the network) and the one after it on time; Slack counts a rolling window, so with no headroom any post
 *   later than the one a second after it draws a 429, and nothing evens that out. 5 % (at 50 posts/s, 1 ms a slot,
 *   50 ms a second) keeps such jitter inside the window. In one process, too: without it a pass of 5,000 posts at
 *   50/s drew 25 answers of 429 (bench/fanout.ts, 2026-12-02).
 *   Measured (test/replicas/pace.test.ts: three processes, one workspace, a fake Slack allowing 50/s): 47.6–47.8
 *   posts/s, 0–0.2 % of calls answered 429.
 * - Clocks: instants are each process's wall clock, as claim leases are; hosts kept in step by NTP (a few ms)
 *   differ far less than the headroom.
 * - Per process still: the channel gap (one pass claims a channel's posts for a slot together, so one process
 *   sends them), the spacing learned from 429s (passed with each reservation, so a process that was told to slow
 *   down spaces the slots after its own), and the hold of a 429 it saw itself (no round trip to learn it).
 * - A sender woken more than a slot late (a busy event loop) leaves its slot and reserves another rather than post
 *   on top of the next slot's owner (twice at most, then it posts).
 * - A database that cannot reserve (busy, gone) costs one post its shared slot, not the post: that post is paced
 *   in memory, and the next one tries the database again.
 *
 * SQLite keeps the in-memory limiter: one process serves Slack, and a write per post would contend for the file's
 * single write lock with the requests that process is answering. Its adapter implements the same port (the
 * contract tests hold both to it).
 */
import type { SendPace } from '../ports/store.js';

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
  /** Posts a workspace may make in a rolling minute across all channels (and, with a shared pace, all processes). */
  perWorkspacePerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perChannelIntervalMs: 1100, perWorkspacePerMinute: 300 };

/** How much wider than the budget posts are spaced, in one process and across processes (see above). */
export const PACE_HEADROOM = 0.05;

/** The database's pace for every process, and where to say that it could not be used. */
export interface SharedPace {
  pace: SendPace;
  /** Told once when reservations start failing (and the limiter falls back to its own pace), and once when they work again. */
  warn?: (message: string) => void;
}

/**
 * Paces chat.postMessage the way Slack limits it: per channel, per workspace, and not at all while a 429's
 * Retry-After is running for that workspace. `acquire` resolves when a post may go out. With `shared`, the
 * workspace's spacing is reserved in the database (shared by every process); without, kept in memory.
 */
export class PostRateLimiter {
  private readonly channelNext = new Map<string, number>();
  private readonly workspaceLast = new Map<string, number>();
  private readonly workspaceBlockedUntil = new Map<string, number>();
  /** Extra spacing learned from 429s: doubled once per episode, eased off by each success. */
  private readonly learnedGap = new Map<string, number>();
  private sharedFailing = false;

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly timers: Timers = realTimers,
    private readonly shared?: SharedPace,
  ) {}

  /** Whether the workspace budget is shared with other processes through the database. */
  get sharesPace(): boolean {
    return this.shared !== undefined;
  }

  async acquire(workspace: string, channel: string): Promise<void> {
    if (this.shared) return this.acquireShared(this.shared, workspace, channel);
    return this.acquireLocal(workspace, channel);
  }

  /** Slack answered 429: hold every post to this workspace for Retry-After seconds, then go slower. */
  backOff(workspace: string, retryAfterSeconds: number): void {
    const now = this.timers.now();
    const blockedUntil = this.workspaceBlockedUntil.get(workspace) ?? 0;
    const until = Math.max(now + Math.max(1, retryAfterSeconds) * 1000, blockedUntil);
    this.workspaceBlockedUntil.set(workspace, until);
    // Posts already in flight answer 429 together: widen the spacing (and tell the others) once per episode, not per post.
    if (now < blockedUntil) return;
    this.learnedGap.set(workspace, Math.min(5000, Math.max(2 * this.baseGap(), 50, 2 * (this.learnedGap.get(workspace) ?? 0))));
    this.shared?.pace.holdUntil(workspace, new Date(until)).then(
      () => this.sharedWorks(),
      (err: unknown) => this.sharedFailed(err),
    );
  }

  /** A post went through: creep back towards the configured pace. */
  succeeded(workspace: string): void {
    const gap = this.learnedGap.get(workspace);
    if (gap === undefined) return;
    if (gap * 0.97 <= this.baseGap()) this.learnedGap.delete(workspace);
    else this.learnedGap.set(workspace, gap * 0.97);
  }

  private async acquireLocal(workspace: string, channel: string): Promise<void> {
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

  private async acquireShared(shared: SharedPace, workspace: string, channel: string): Promise<void> {
    const key = `${workspace}/${channel}`;
    let lateWakes = 0;
    for (;;) {
      // The channel's gap and a 429 this process saw are waited out here, before a workspace slot is taken.
      let now = this.timers.now();
      const wait = Math.max(this.channelWait(workspace, channel, now), this.blockedWait(workspace, now));
      if (wait > 0) {
        await this.timers.sleep(wait);
        continue;
      }
      // The channel is taken before the round trip, so that another post to it in this process waits for this one;
      // given back if this post does not go out in the slot.
      const before = this.channelNext.get(key);
      const giveBack = () => {
        if (before === undefined) this.channelNext.delete(key);
        else this.channelNext.set(key, before);
      };
      this.channelNext.set(key, now + this.limits.perChannelIntervalMs);
      const spacing = this.spacing(workspace);
      let slot: number;
      try {
        slot = (await shared.pace.reserve(workspace, spacing, new Date(now))).getTime();
        this.sharedWorks();
      } catch (err) {
        this.sharedFailed(err);
        giveBack();
        return this.acquireLocal(workspace, channel);
      }
      const untilSlot = slot - this.timers.now();
      if (untilSlot > 0) await this.timers.sleep(untilSlot);
      now = this.timers.now();
      // A 429 this process was told of while it waited: the slot was reserved before the hold, so take a later one.
      // Woken more than a whole slot late (a busy event loop): posting now would crowd the next slot's post, sent on
      // time by another process, so leave the slot and take a new one (twice at most).
      if (this.blockedWait(workspace, now) > 0 || (now - slot > spacing && lateWakes++ < 2)) {
        giveBack();
        continue;
      }
      this.channelNext.set(key, Math.max(slot, now) + this.limits.perChannelIntervalMs);
      this.workspaceLast.set(workspace, now);
      return;
    }
  }

  private sharedFailed(err: unknown): void {
    if (this.sharedFailing) return;
    this.sharedFailing = true;
    this.shared?.warn?.(
      `could not use the shared Slack pace in the database (${(err as Error)?.message ?? String(err)}); pacing this process on its own until it works again`,
    );
  }

  private sharedWorks(): void {
    if (!this.sharedFailing) return;
    this.sharedFailing = false;
    this.shared?.warn?.('the shared Slack pace in the database works again');
  }

  private baseGap(): number {
    return 60_000 / this.limits.perWorkspacePerMinute;
  }

  /** The workspace's spacing: the budget's with headroom, or wider while 429s have taught it to slow down. */
  private spacing(workspace: string): number {
    return Math.max(this.baseGap() * (1 + PACE_HEADROOM), this.learnedGap.get(workspace) ?? 0);
  }

  private channelWait(workspace: string, channel: string, now: number): number {
    return (this.channelNext.get(`${workspace}/${channel}`) ?? 0) - now;
  }

  private blockedWait(workspace: string, now: number): number {
    return (this.workspaceBlockedUntil.get(workspace) ?? 0) - now;
  }

  private workspaceWait(workspace: string, now: number): number {
    const blocked = this.blockedWait(workspace, now);
    const last = this.workspaceLast.get(workspace);
    const spaced = last === undefined ? 0 : last + this.spacing(workspace) - now;
    return Math.max(blocked, spaced);
  }
}
