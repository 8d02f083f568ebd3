import { DAY_MS, HOUR_MS } from '../domain/due.js';
import type { AppLogger } from '../log.js';
import type { Services } from '../services/index.js';
import { DEFAULT_RETENTION_DAYS } from '../config.js';
import type { SlackGateway } from '../slack/gateway.js';
import { errorMessage } from '../shared/errors.js';
import type { Delivery, DeliveryKey, OpenClaimsQuery } from '../ports/store.js';
import { retryWhileBusy } from '../shared/busy.js';
import { beginPass, localProbe, ownerAlive, type ClaimOwner } from './claim-owner.js';
import { emptySummary, type PassSummary } from './cron.js';
import { deliver, WORKSPACE_PROBE_MS, type Outgoing } from './delivery.js';
import { deliveryKinds } from './kinds/index.js';
import type { ClaimSpec, ScheduledKinds } from './kinds/kind.js';
import { LoopSlicer } from './slicer.js';
import { fanOut, spreadByTarget } from './fan-out.js';
import type { PostRateLimiter } from './rate-limit.js';
import { RetentionSweep } from './retention.js';

export interface PassOptions {
  /** How late a daily post may still go out; older ones are recorded as missed. */
  dailyGraceMs: number;
  weeklyGraceMs: number;
  /**
   * How long a claim's lease runs (wall-clock time) before its owner must renew it; the owner renews
   * every quarter of it while the pass runs. Also the first retry back-off, in pass time.
   */
  claimLeaseMs: number;
  /** Open claims looked at per pass. */
  batchSize: number;
  /**
   * Due targets claimed per transaction, between which the pass yields to requests in flight; by default 250 on SQLite,
   * whose transaction runs on the event loop, and 1,000 on PostgreSQL, where it only waits for the server and each
   * batch costs a few round trips; while requests are being served, at most 50 and 250 (SERVING_CLAIM_BATCH).
   */
  claimBatchSize?: number;
  /** Sends in flight at once; Slack's pace is enforced by the rate limiter. */
  concurrency: number;
  /** 429s one delivery may wait out within a pass before it is left for the next. */
  maxRateLimitRetries: number;
  /** Failed attempts, across passes, before a delivery is recorded as failed for good. */
  maxAttempts: number;
}

export const DEFAULT_PASS_OPTIONS: PassOptions = {
  dailyGraceMs: 6 * HOUR_MS,
  weeklyGraceMs: 2 * DAY_MS,
  claimLeaseMs: 2 * 60_000,
  batchSize: 500,
  concurrency: 16,
  maxRateLimitRetries: 10,
  maxAttempts: 8,
};
/** A delivery that goes out this long after it fell due says it is late. */
export const LATE_AFTER_MS = 2 * 60_000;

export interface PassDeps {
  services: Services;
  slack: SlackGateway;
  logger: AppLogger;
  defaultTimezone: string;
  options?: Partial<PassOptions>;
  /** Names the process in the ledger's claimed_by (default: the host name). */
  worker?: string;
  /** Wall-clock milliseconds, for leases only: a pass's `now` may be any instant (`tick --now`). */
  wallClock?: () => number;
  /** Shared across passes so that Slack's pace holds from one minute to the next. */
  limiter: PostRateLimiter;
  /**
   * The retention purge of uninstalled workspaces, shared across passes so that it looks only now and then (see
   * RetentionSweep); without one, every pass looks, with the default retention period.
   */
  retention?: RetentionSweep;
}

/** A pass's context: its clock and identity, its options, and where its results go. */
export interface PassRun {
  deps: PassDeps;
  opts: PassOptions;
  /** Shares the event loop out between the pass's steps and everything else the process serves. */
  slicer: LoopSlicer;
  owner: ClaimOwner;
  leaseUntil: () => Date;
  now: Date;
  summary: PassSummary;
}

/**
 * One scheduler pass as of `now`: take over claims whose owner has stopped, claim what is due in the
 * ledger (exactly one claim per target, kind and local period, whichever process gets there first),
 * then deliver the claims at Slack's pace, each kind composing its own message.
 */
export async function runPass(deps: PassDeps, now: Date): Promise<PassSummary> {
  const opts = { ...DEFAULT_PASS_OPTIONS, ...deps.options };
  // Nothing is claimed into a database file that was deleted or replaced under us.
  const lost = deps.services.store.database.writesRefused();
  if (lost) throw new Error(`scheduler pass skipped: ${lost}`);
  const wall = deps.wallClock ?? Date.now;
  const owner = beginPass(deps.worker);
  const leaseUntil = () => new Date(wall() + opts.claimLeaseMs);
  // The lease is renewed for as long as this pass runs, however long Slack's pace makes its queue.
  const heartbeat = setInterval(() => renewLeases(deps, owner, leaseUntil()), Math.max(opts.claimLeaseMs / 4, 1000));
  heartbeat.unref();
  try {
    const run: PassRun = { deps, opts, slicer: LOOP, owner, leaseUntil, now, summary: emptySummary() };
    const kinds = deliveryKinds(deps.defaultTimezone);
    const wallNow = wall();
    // One look-up says what there is to do: most passes find nothing and end here.
    const work = await retryWhileBusy(() => deps.services.store.ledger.pendingWork(now, abandonedQuery(run, wallNow)));
    const outgoing = work.openClaims ? await takeOverAbandoned(run, kinds, wallNow) : [];
    for (const schedule of kinds) {
      // One by one: spreading a claim of tens of thousands into push() would exceed the arguments a call may take.
      if (work.due.has(schedule.dueSet)) for (const o of await claimDue(run, schedule)) outgoing.push(o);
    }
    const queue = spreadByTarget(outgoing, targetOf);
    // The queue alone holds the deliveries from here, and lets each go once it is taken (see fanOut).
    outgoing.length = 0;
    await fanOut(queue, opts.concurrency, run.slicer, targetOf, (o) => deliver(run, o, deps.limiter));
    // After the deliveries, so a purge never holds them up.
    await (deps.retention ?? new RetentionSweep(DEFAULT_RETENTION_DAYS)).run(deps.services.store, now, deps.logger);
    return run.summary;
  } finally {
    clearInterval(heartbeat);
    owner.release();
  }
}

function renewLeases(deps: PassDeps, owner: ClaimOwner, until: Date): void {
  deps.services.store.ledger.renewAll(owner.id, until).catch((err: unknown) => {
    // A busy database delays one renewal; the lease outlasts several.
    deps.logger.warn(`could not renew claim leases: ${errorMessage(err)}`);
  });
}

const graceMs = (grace: 'daily' | 'weekly', opts: PassOptions) => (grace === 'daily' ? opts.dailyGraceMs : opts.weeklyGraceMs);

/** Which open claims may have been abandoned, as of this pass (see DeliveryLedger.openClaims). */
function abandonedQuery({ opts, now }: PassRun, wallNow: number): Omit<OpenClaimsQuery, 'limit'> {
  return {
    claimedBefore: new Date(now.getTime() - opts.claimLeaseMs),
    wallNow: new Date(wallNow),
    host: localProbe(wallNow).host,
    probeBefore: new Date(now.getTime() - WORKSPACE_PROBE_MS),
  };
}

/**
 * Open claims whose owner has stopped (crashed, killed, or gave the claim back after a failed
 * attempt) and whose back-off has run out, in the pass's time: taken over with a new fencing token,
 * each in a transaction of its own, so a busy database never leaves half a takeover behind.
 */
async function takeOverAbandoned(run: PassRun, kinds: ScheduledKinds[], wallNow: number): Promise<Outgoing[]> {
  const { deps, opts, now } = run;
  const { services } = deps;
  const { store } = services;
  const probe = localProbe(wallNow);
  const candidates = await retryWhileBusy(() => store.ledger.openClaims({ ...abandonedQuery(run, wallNow), limit: opts.batchSize }));
  const out: Outgoing[] = [];
  for (const row of candidates) {
    await run.slicer.turn();
    // Each failed attempt doubles the wait before the next (2, 4, 8 … minutes, at most 64).
    const backoffMs = opts.claimLeaseMs * 2 ** Math.min(row.attempts, 5);
    if ((row.claimedAt ?? row.dueAt).getTime() + backoffMs > now.getTime()) continue;
    if (ownerAlive(row.claimedBy, row.leaseUntil, probe)) continue;
    const schedule = kinds.find((k) => k.kinds.includes(row.kind));
    const bound = schedule && (await retryWhileBusy(() => schedule.recover(store, row)));
    if (!schedule || !bound) continue;
    const taken = await retryWhileBusy(() =>
      store.transaction(async (tx): Promise<Delivery | undefined> => {
        const fence = await tx.ledger.reclaim(row, run.owner.id, run.leaseUntil(), now);
        if (fence === undefined) return undefined;
        // A retry that goes out well after the due time says so, like any late delivery.
        const late = now.getTime() - row.dueAt.getTime() > LATE_AFTER_MS && (await tx.ledger.markLate(row.id));
        // The row keeps its first claim time: recovery looks for the post in Slack from then on.
        const claimed: Delivery = { ...row, fence, late: late || row.late };
        await bound.prepare({ tx, content: services.content, now }, claimed);
        return claimed;
      }),
    );
    if (!taken) continue;
    out.push({ row: taken, claim: { id: taken.id, fence: taken.fence }, bound, graceMs: graceMs(schedule.grace, opts) });
    run.summary.retried += 1;
  }
  return out;
}

/**
 * Due targets claimed per transaction while requests are being served (see claimDue). On PostgreSQL a batch costs
 * the server a few statements whatever its size, on the cores the requests need too: with batches of 50 a claim of
 * 10,000 under load took 3.2–5.4 s (1.5–1.9 s with 250), and the acknowledgements' p99 during it was ×1.57 that of a
 * minute without one (×1.22 with 250; bench/README.md, fourteenth round).
 */
const SERVING_CLAIM_BATCH = { sqlite: 50, postgres: 250 };
/** One per process: passes that overlap (a long fan-out and the next minute's pass) share the loop's slices. */
const LOOP = new LoopSlicer();
const targetOf = (o: Outgoing) => `${o.row.workspaceId}/${o.row.target}`;
const isRecordOf = (k: DeliveryKey, d: Delivery) => k.target === d.target && k.period === d.period && k.kind === d.kind && k.ws === d.workspaceId;

/** One claim transaction's outcome: its ledger rows with the specs they were written for, and whether more may be due. */
interface ClaimedBatch {
  rows: { row: Delivery; spec: ClaimSpec }[];
  more: boolean;
}

/**
 * Claims everything a schedule finds due, a batch per transaction: the batch's targets are found and locked (other
 * passes skip them and take others), their due times move on (compare-and-set) and their ledger rows are written, a
 * few statements a batch whatever its size. Two processes can never both claim one delivery: the ledger's key is
 * unique and the due time moves in the same transaction. Between batches the pass yields to requests in flight.
 *
 * On PostgreSQL two batches are in flight at once: once a batch has found (and locked) a full batch of targets, the
 * next batch's transaction starts on another connection and finds the targets after them (SKIP LOCKED), while the
 * first moves its due times and writes its ledger rows. The server's work on one batch overlaps this process's work on
 * the other, where one transaction at a time left each waiting for the other. The next batch starts only after the
 * previous one's targets are locked, so it finds the ones after them in due order, and the batches' results are
 * taken in the order they started: the deliveries come out in the order one transaction at a time gave. SQLite's
 * transactions run one at a time on the event loop: one batch in flight.
 */
async function claimDue(run: PassRun, schedule: ScheduledKinds): Promise<Outgoing[]> {
  const { store } = run.deps.services;
  const { opts } = run;
  const postgres = store.database.engine === 'postgres';
  const claimBatchSize = opts.claimBatchSize ?? (postgres ? 1000 : 250);
  const depth = postgres ? 2 : 1;
  const out: Outgoing[] = [];
  const take = (batch: ClaimedBatch) => {
    for (const { row, spec } of batch.rows) {
      run.summary.due += 1;
      if (row.status === 'missed') run.summary.missed += 1;
      else out.push({ row, claim: { id: row.id, fence: row.fence }, bound: spec.bound, graceMs: graceMs(spec.grace, opts) });
    }
    return batch.more;
  };
  const inFlight: Promise<ClaimedBatch>[] = [];
  try {
    for (let more = true; more; ) {
      await run.slicer.turn();
      // While requests are being served, smaller batches: each of a batch's steps holds the loop for as long as its
      // statement and its rows take, and a request that comes in meanwhile waits for it.
      const size = run.slicer.serving() ? Math.min(claimBatchSize, SERVING_CLAIM_BATCH[store.database.engine]) : claimBatchSize;
      let heard!: (full: boolean) => void;
      const full = new Promise<boolean>((resolve) => (heard = resolve));
      const batch = claimBatch(run, schedule, size, (found) => heard(found === size));
      // A batch that fails or ends before its targets are found starts nothing more.
      batch.then(
        () => heard(false),
        () => heard(false),
      );
      inFlight.push(batch);
      const wasFull = await full;
      // A full batch: more targets are due; the next batch takes them while this one finishes.
      if (wasFull && inFlight.length < depth) continue;
      // Otherwise the oldest batches are taken, all of them unless the last was full; the last one taken says whether
      // more may be due (a due time moved on to an instant still past).
      const keep = wasFull ? depth - 1 : 0;
      while (inFlight.length > keep) more = take(await inFlight[0]!.finally(() => inFlight.shift()));
      if (keep > 0) more = true;
    }
  } finally {
    // A batch that failed leaves the others to end before the error goes on: no transaction outlives the pass.
    await Promise.allSettled(inFlight);
  }
  return out;
}

/** One claim transaction of `schedule`'s due targets (retried while the database is busy). */
function claimBatch(run: PassRun, schedule: ScheduledKinds, limit: number, found: (count: number) => void): Promise<ClaimedBatch> {
  const { services } = run.deps;
  const { now, opts } = run;
  return retryWhileBusy(() =>
    services.store.transaction(async (tx) => {
      // On SQLite a batch's statements run on the event loop, one after the other: between them the loop gets a turn
      // once a slice is used up (a transaction's statements are not all one block), while the connection's other users
      // wait for the transaction, as they would anyway.
      const between = () => run.slicer.turn(true);
      const { specs, more } = await schedule.claimBatch(tx, now, limit, (count) => {
        found(count);
        return between();
      });
      await between();
      const leaseUntil = run.leaseUntil();
      const wanted = specs.map((spec) => {
        const age = now.getTime() - spec.dueAt.getTime();
        const status: 'claimed' | 'missed' = age > graceMs(spec.grace, opts) ? 'missed' : 'claimed';
        return { key: spec.key, dueAt: spec.dueAt, status, late: age > LATE_AFTER_MS };
      });
      const rows: { row: Delivery; spec: ClaimSpec }[] = [];
      // The new records come in the order asked, those whose key had one already left out.
      let j = 0;
      for (const row of await tx.ledger.insertMany(wanted, run.owner.id, leaseUntil, now)) {
        while (!isRecordOf(specs[j]!.key, row)) j++;
        const spec = specs[j++]!;
        if (row.status === 'claimed') await spec.bound.prepare({ tx, content: services.content, now }, row);
        rows.push({ row, spec });
      }
      return { rows, more };
    }),
  );
}
