import type { Content } from '../../content/content.js';
import type { AppLogger } from '../../log.js';
import type { Delivery, Repositories } from '../../ports/store.js';
import type { Services } from '../../services/index.js';
import type { WorkspaceSlack } from '../../slack/gateway.js';
import type { Message } from '../../slack/views/blocks.js';

/** What a delivery kind works with while it composes and follows up a message. */
export interface KindContext {
  services: Services;
  slack: WorkspaceSlack;
  logger: AppLogger;
  now: Date;
}

export interface Composed {
  channel: string;
  message: Message;
  /** What was delivered (a tip id, a milestone week), for rotation and the record. */
  contentId: string | null;
}

/**
 * One kind of scheduled message (daily tip, weekly nudge…) for targets of type T (a channel's
 * subscription, a learner's enrolment). The scheduler claims, paces, sends, retries and recovers;
 * the kind says what the message is and what follows from sending it.
 */
/** What a kind may use while its claim's transaction is open: that transaction, and the content. */
export interface ClaimContext {
  tx: Repositories;
  content: Content;
  now: Date;
}

export interface DeliveryKindSpec<T> {
  kind: string;
  /** Writes that must exist before composing, made with the claim (and again, harmlessly, on a takeover). */
  prepare?(claim: ClaimContext, target: T, row: Delivery): Promise<void>;
  /** The message and where it goes. Reads only: composing twice changes nothing. */
  compose(ctx: KindContext, target: T, row: Delivery): Promise<Composed | undefined>;
  /** Follow-up that needs the posted message (a quiz closes the one before it). */
  afterSent?(ctx: KindContext, target: T, row: Delivery, sent: { channel: string; ts: string; contentId: string | null }): Promise<void>;
  /** Slack refused this target for good (channel gone, user deactivated): pause it with the reason. */
  onTargetError(ctx: KindContext, target: T, reason: string): Promise<void>;
}

/** When a kind of target falls due, and how its due time moves on: the kinds on one schedule share it. */
export interface Schedule<T> {
  name: string;
  /** Which grace window applies (PassOptions): how late a delivery may still go out before it is missed. */
  grace: 'daily' | 'weekly';
  /** Targets due by `now`, oldest first. */
  findDue(repos: Repositories, now: Date, limit: number): Promise<T[]>;
  /**
   * Moves the target's next due time on (compare-and-set) and says which local period just fell
   * due; undefined when another pass got there first or the target gets nothing this time.
   */
  advance(tx: Repositories, target: T, now: Date): Promise<{ dueAt: Date; period: string } | undefined>;
  /** The target of a ledger row found open after a crash or a failed attempt. */
  recover(repos: Repositories, row: Delivery): Promise<T | undefined>;
  workspaceOf(target: T): string;
  targetIdOf(target: T): string;
}

/** One ledger row to write for a due target, and the kind bound to that target. */
export interface ClaimSpec {
  key: { ws: string; kind: string; target: string; period: string };
  dueAt: Date;
  grace: 'daily' | 'weekly';
  bound: Bound;
}

/** A schedule with its kinds, its target type hidden, as the pass handles them all alike. */
export interface ScheduledKinds {
  name: string;
  kinds: string[];
  grace: 'daily' | 'weekly';
  /** Targets due by `now`; each claim runs inside the pass's claim transaction. */
  findDue(repos: Repositories, now: Date, limit: number): Promise<{ claim(tx: Repositories, now: Date): Promise<ClaimSpec[]> }[]>;
  recover(repos: Repositories, row: Delivery): Promise<Bound | undefined>;
}

/** A kind bound to its target: everything the pass needs to deliver one row. */
export interface Bound {
  prepare(claim: ClaimContext, row: Delivery): Promise<void>;
  compose(ctx: KindContext, row: Delivery): Promise<Composed | undefined>;
  afterSent(ctx: KindContext, row: Delivery, sent: { channel: string; ts: string; contentId: string | null }): Promise<void>;
  onTargetError(ctx: KindContext, reason: string): Promise<void>;
}

function bind<T>(spec: DeliveryKindSpec<T>, target: T): Bound {
  return {
    prepare: async (claim, row) => spec.prepare?.(claim, target, row),
    compose: (ctx, row) => spec.compose(ctx, target, row),
    afterSent: async (ctx, row, sent) => spec.afterSent?.(ctx, target, row, sent),
    onTargetError: (ctx, reason) => spec.onTargetError(ctx, target, reason),
  };
}

/** Registers kinds on their schedule. */
export function scheduled<T>(schedule: Schedule<T>, kinds: DeliveryKindSpec<T>[]): ScheduledKinds {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    name: schedule.name,
    kinds: kinds.map((k) => k.kind),
    grace: schedule.grace,
    async findDue(repos, now, limit) {
      return (await schedule.findDue(repos, now, limit)).map((target) => ({
        async claim(tx, at) {
          const due = await schedule.advance(tx, target, at);
          if (!due) return [];
          return kinds.map((spec) => ({
            key: { ws: schedule.workspaceOf(target), kind: spec.kind, target: schedule.targetIdOf(target), period: due.period },
            dueAt: due.dueAt,
            grace: schedule.grace,
            bound: bind(spec, target),
          }));
        },
      }));
    },
    async recover(repos, row) {
      const spec = byKind.get(row.kind);
      const target = spec && (await schedule.recover(repos, row));
      return spec && target ? bind(spec, target) : undefined;
    },
  };
}
