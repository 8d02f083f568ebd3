import { classifySlackError } from '../slack/errors.js';
import { errorMessage } from '../shared/errors.js';
import type { Delivery, HeldClaim } from '../ports/store.js';
import { retryWhileBusy } from '../shared/busy.js';
import type { Bound, KindContext } from './kinds/kind.js';
import type { PassRun } from './pass.js';
import type { PostRateLimiter } from './rate-limit.js';

/** One claimed delivery on its way out. */
export interface Outgoing {
  row: Delivery;
  /** This pass's hold on the row: every write and the send itself check it. */
  claim: HeldClaim;
  bound: Bound;
  /** How late it may still go out. */
  graceMs: number;
}

/** How often a paused workspace's deliveries try Slack again (pass time). */
export const WORKSPACE_PROBE_MS = 10 * 60_000;

/**
 * Sends one delivery exactly once: a message Slack already has (after a crash) is recorded, not
 * sent again; the claim is checked right before posting (fencing); 429s are waited out at the
 * workspace's pace; a target Slack refuses for good is paused, a workspace whose token fails is
 * paused as a whole, and anything else is given back to be retried with a growing back-off.
 */
export async function deliver(run: PassRun, o: Outgoing, limiter: PostRateLimiter): Promise<void> {
  try {
    await attempt(run, o, limiter);
  } catch (err) {
    // Only a database that stays locked past every retry gets here: the claim stays open and a
    // later pass takes it over, checking Slack first. Never let one delivery end the pass.
    run.deps.logger.error(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) could not be recorded: ${errorMessage(err)}`);
  }
}

async function attempt(run: PassRun, o: Outgoing, limiter: PostRateLimiter): Promise<void> {
  const { deps, opts, now, summary } = run;
  const { ledger, workspaces } = deps.services.store;
  const ws = o.row.workspaceId;
  const slack = deps.slack.forWorkspace(ws);
  const ctx: KindContext = { services: deps.services, slack, logger: deps.logger, now };
  const fail = async (reason: string) => {
    if (await retryWhileBusy(() => ledger.markFailed(o.claim, reason, now))) summary.failed += 1;
  };
  const lost = () => deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) was taken over by another process; not sending`);
  const followUp = async (sent: { channel: string; ts: string; contentId: string | null }) => {
    // What follows a post is the kind's business; a failure there is logged and never turns the
    // sent delivery into a failed one.
    try {
      await retryWhileBusy(() => o.bound.afterSent(ctx, o.row, sent));
    } catch (err) {
      deps.logger.error(`after sending delivery ${o.row.id} (${o.row.kind} to ${o.row.target}): ${errorMessage(err)}`);
    }
  };
  /** The token or its scopes, not this target: every delivery of the workspace waits for a probe. */
  const pauseWorkspace = (reason: string) =>
    retryWhileBusy(() =>
      deps.services.store.transaction(async (tx) => {
        await tx.workspaces.pause(ws, reason, now);
        await tx.ledger.putBack(o.claim, `workspace paused: ${reason}`, now);
      }),
    );
  const pause = await retryWhileBusy(() => workspaces.pauseOf(ws));
  // A paused workspace: one delivery per probe interval tries Slack again; the rest wait for it.
  if (pause && !(await retryWhileBusy(() => workspaces.takeProbe(ws, new Date(now.getTime() - WORKSPACE_PROBE_MS), now)))) {
    const tooLate = now.getTime() - o.row.dueAt.getTime() > o.graceMs;
    if (tooLate && (await retryWhileBusy(() => ledger.markMissed(o.claim, `workspace paused: ${pause.reason}`, now)))) summary.missed += 1;
    else if (!tooLate) await retryWhileBusy(() => ledger.putBack(o.claim, `workspace paused: ${pause.reason}`, now));
    return;
  }
  // Multi-workspace mode: a workspace without an active installation (uninstalled, revoked) is paused as a whole
  // before anything is composed or sent; reinstalling resumes it.
  const unavailable = await deps.slack.unavailable?.(ws);
  if (unavailable) {
    await pauseWorkspace(unavailable);
    deps.logger.warn(`workspace ${ws}: ${unavailable}; its deliveries are paused until it is installed again`);
    return;
  }
  try {
    const found = o.row.channel ? await alreadyPosted(run, o) : undefined;
    if (found) {
      await followUp({ channel: o.row.channel!, ts: found, contentId: o.row.contentId });
      summary.sent += 1;
      return;
    }
    const composed = await o.bound.compose(ctx, o.row);
    // What follows a wait for Slack or the database runs in the turn of the loop that ended it: a slice of its own.
    await run.slicer.turn();
    if (!composed) return await fail('nothing to send');
    if (!(await retryWhileBusy(() => ledger.setChannel(o.claim, composed.channel, composed.contentId, now)))) return lost();
    for (let tries = 1; ; tries++) {
      // The fencing check (a process that took this claim over may be sending it now) comes before the wait for
      // Slack's pace, so that only the post follows the slot: a database round trip between them made posts late by
      // uneven amounts, which Slack's rolling window answers with 429s. The check renews the lease, and a claim is
      // taken over only once its lease has run out: a wait of less than half the lease cannot see a takeover, and a
      // longer one checks again.
      const confirm = () => retryWhileBusy(() => ledger.confirm(o.claim, run.owner.id, run.leaseUntil()));
      if (!(await confirm())) return lost();
      const confirmedUntil = run.leaseUntil().getTime();
      await limiter.acquire(ws, composed.channel);
      if (run.leaseUntil().getTime() - confirmedUntil > opts.claimLeaseMs / 2 && !(await confirm())) return lost();
      let sent: { channel: string; ts: string };
      try {
        sent = await slack.post(composed.channel, composed.message, o.row.id);
      } catch (err) {
        const failure = classifySlackError(err);
        if (failure.kind === 'rate-limited' && tries < opts.maxRateLimitRetries) {
          limiter.backOff(ws, failure.retryAfter);
          summary.rateLimited += 1;
          continue;
        }
        throw err;
      }
      limiter.succeeded(ws);
      await run.slicer.turn();
      if (!(await retryWhileBusy(() => ledger.markSent(o.claim, sent.channel, sent.ts, composed.contentId, now)))) {
        deps.logger.warn(`delivery ${o.row.id} went out but another process holds its claim now; it will find the message in Slack`);
      }
      if (pause && (await retryWhileBusy(() => workspaces.resume(ws))))
        deps.logger.info(`workspace ${ws}: Slack accepts aipath's token again; deliveries resumed`);
      await followUp({ ...sent, contentId: composed.contentId });
      summary.sent += 1;
      if (o.row.late) summary.late += 1;
      return;
    }
  } catch (err) {
    const failure = classifySlackError(err);
    const { reason } = failure;
    if (failure.kind === 'installation') {
      await pauseWorkspace(reason);
      deps.logger.warn(`workspace ${ws}: Slack answered ${reason}; its deliveries are paused until a later send succeeds`);
    } else if (failure.kind === 'target') {
      await fail(reason);
      await retryWhileBusy(() => o.bound.onTargetError(ctx, reason));
      deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) failed for good: ${reason}; target paused`);
    } else if (o.row.attempts + 1 >= opts.maxAttempts) {
      await fail(`gave up after ${o.row.attempts + 1} attempts: ${reason}`);
      deps.logger.error(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) failed ${o.row.attempts + 1} times: ${reason}`);
    } else {
      // Given back: a pass after the back-off takes it up again.
      await retryWhileBusy(() => ledger.release(o.claim, reason, now));
      deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) will be retried: ${reason}`);
    }
  }
}

/**
 * A claim left open by a process that stopped after choosing a channel: Slack may already have the
 * message. Look for our delivery id in the channel's recent metadata before posting again.
 */
async function alreadyPosted(run: PassRun, o: Outgoing): Promise<string | undefined> {
  const { deps, now } = run;
  const { row } = o;
  try {
    const since = new Date((row.claimedAt ?? row.dueAt).getTime() - 3600_000);
    const ts = await deps.slack.forWorkspace(row.workspaceId).findDelivery(row.channel!, row.id, since);
    if (!ts) return undefined;
    await retryWhileBusy(() => deps.services.store.ledger.markSent(o.claim, row.channel!, ts, row.contentId, now));
    deps.logger.info(`delivery ${row.id} was already in Slack (${ts}); recorded, not sent again`);
    return ts;
  } catch (err) {
    // Without history access we cannot prove it was posted; sending again risks one duplicate, never a loss.
    deps.logger.warn(`could not check ${row.channel} for delivery ${row.id}: ${errorMessage(err)}; sending`);
    return undefined;
  }
}
