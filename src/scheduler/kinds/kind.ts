import type { Content } from '../../content/content.js';
import type { AppLogger } from '../../log.js';
import type { Delivery, DueMove, DueSet, Repositories } from '../../ports/store.js';
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

/** A delivery falling due: its instant and the local period it is for (a date, or an ISO week). */
export interface FallingDue {
  dueAt: Date;
  period: string;
}

/** Where a target's due time moves when it is claimed, and the delivery that falls due with it, if any. */
export interface Step {
  next: Date | null;
  due?: FallingDue;
}

/** When a kind of target falls due, and how its due time moves on: the kinds on one schedule share it. */
export interface Schedule<T> {
  name: string;
  /** Which grace window applies (PassOptions): how late a delivery may still go out before it is missed. */
  grace: 'daily' | 'weekly';
  /** The due set its targets are found in (the pass asks once whether any is due before looking). */
  dueSet: DueSet;
  /** Targets due by `now`, oldest first; inside a claim's transaction, locked against other passes. */
  findDue(repos: Repositories, now: Date, limit: number): Promise<T[]>;
  /**
   * Pure: where the target's due time moves on from the one it was found with, and which local period falls due with
   * it (none when the target gets nothing this time). A schedule lives for one pass, so it may remember the date
   * arithmetic of targets that share a timezone, a local time and a due instant: most of a due set does.
   */
  step(target: T, now: Date): Step;
  /**
   * Moves the targets' due times on, compare-and-set, in one statement: whether each moved (false: another pass did,
   * or, for a target that leaves its due set for good, whatever else took it out). `now` is the pass's instant.
   */
  advance(tx: Repositories, moves: DueMove<T>[], now: Date): Promise<boolean[]>;
  /**
   * What else the claim of a falling-due delivery needs, in its transaction: checks that need the database (are cards
   * still due?) and writes that go with it (a timed pause ends). False: nothing goes out this time after all.
   */
  confirm?(tx: Repositories, target: T, due: FallingDue, now: Date): Promise<boolean>;
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
  dueSet: DueSet;
  /**
   * Inside the pass's claim transaction: finds up to `limit` targets due by `now` (locked against other passes), moves
   * their due times on and says which deliveries fell due, in the order found, kind by kind. `more`: the due set may
   * hold more targets due by `now` (the batch was full, or a due time moved on to an instant still past). `found`, if
   * given, hears how many targets were found (and locked) as soon as they are, before their due times move; the batch
   * goes on once what it returns has settled (the pass gives the event loop a turn there).
   */
  claimBatch(tx: Repositories, now: Date, limit: number, found?: (count: number) => void | Promise<void>): Promise<{ specs: ClaimSpec[]; more: boolean }>;
  recover(repos: Repositories, row: Delivery): Promise<Bound | undefined>;
}

/** A kind bound to its target: everything the pass needs to deliver one row. */
export interface Bound {
  prepare(claim: ClaimContext, row: Delivery): Promise<void>;
  compose(ctx: KindContext, row: Delivery): Promise<Composed | undefined>;
  afterSent(ctx: KindContext, row: Delivery, sent: { channel: string; ts: string; contentId: string | null }): Promise<void>;
  onTargetError(ctx: KindContext, reason: string): Promise<void>;
}

/** A kind bound to one target: methods on the prototype, so that binding thousands of claims allocates one object each. */
class BoundKind<T> implements Bound {
  constructor(
    private readonly spec: DeliveryKindSpec<T>,
    private readonly target: T,
  ) {}
  async prepare(claim: ClaimContext, row: Delivery): Promise<void> {
    await this.spec.prepare?.(claim, this.target, row);
  }
  compose(ctx: KindContext, row: Delivery): Promise<Composed | undefined> {
    return this.spec.compose(ctx, this.target, row);
  }
  async afterSent(ctx: KindContext, row: Delivery, sent: { channel: string; ts: string; contentId: string | null }): Promise<void> {
    await this.spec.afterSent?.(ctx, this.target, row, sent);
  }
  onTargetError(ctx: KindContext, reason: string): Promise<void> {
    return this.spec.onTargetError(ctx, this.target, reason);
  }
}

const bind = <T>(spec: DeliveryKindSpec<T>, target: T): Bound => new BoundKind(spec, target);

/** Registers kinds on their schedule. */
export function scheduled<T>(schedule: Schedule<T>, kinds: DeliveryKindSpec<T>[]): ScheduledKinds {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return {
    name: schedule.name,
    kinds: kinds.map((k) => k.kind),
    grace: schedule.grace,
    dueSet: schedule.dueSet,
    async claimBatch(tx, now, limit, found) {
      const targets = await schedule.findDue(tx, now, limit);
      await found?.(targets.length);
      const steps = targets.map((target) => schedule.step(target, now));
      const moved = await schedule.advance(
        tx,
        targets.map((target, i) => ({ target, next: steps[i]!.next })),
        now,
      );
      const specs: ClaimSpec[] = [];
      for (const [i, target] of targets.entries()) {
        const due = steps[i]!.due;
        if (!moved[i] || !due) continue;
        if (schedule.confirm && !(await schedule.confirm(tx, target, due, now))) continue;
        for (const spec of kinds) {
          specs.push({
            key: { ws: schedule.workspaceOf(target), kind: spec.kind, target: schedule.targetIdOf(target), period: due.period },
            dueAt: due.dueAt,
            grace: schedule.grace,
            bound: bind(spec, target),
          });
        }
      }
      const more = targets.length === limit || steps.some((s, i) => moved[i] && s.next !== null && s.next <= now);
      return { specs, more };
    },
    async recover(repos, row) {
      const spec = byKind.get(row.kind);
      const target = spec && (await schedule.recover(repos, row));
      return spec && target ? bind(spec, target) : undefined;
    },
  };
}
