import type { WebClient } from '@slack/web-api';
import { DAY_MS, HOUR_MS, isoWeekOf, nextDailyAt, nextWeeklyAt, utcIso } from '../core/due.js';
import { localDate, planPosition } from '../core/plan.js';
import { pickRotating } from '../core/rotation.js';
import { tipsFor } from '../commands/lookup.js';
import { questionsFor } from '../commands/quiz.js';
import { weeklyRecap } from '../commands/recap.js';
import { channelQuizView, closedQuizView } from '../slack/views/quiz.js';
import { weeklyRecapView } from '../slack/views/leaderboard.js';
import type { AppLogger } from '../log.js';
import type { Services } from '../services.js';
import type { DeliveryKey, DeliveryRow, HeldClaim } from '../store/deliveries.js';
import type { DueNudgeRow } from '../store/enrolments.js';
import type { SubscriptionRow } from '../store/subscriptions.js';
import type { Message } from '../slack/views/blocks.js';
import { dailyTipView } from '../slack/views/daily.js';
import { congratulationsView, weeklyNudgeView } from '../slack/views/nudge.js';
import { emptySummary, type PassSummary } from './cron.js';
import { classifySlackError } from './slack-errors.js';
import { PostRateLimiter } from './rate-limit.js';
import { retryWhileBusy } from '../store/busy.js';
import { beginPass, localProbe, ownerAlive, type ClaimOwner } from './claim-owner.js';

export interface PassOptions {
  /** How late a daily post may still go out; older ones are recorded as missed. */
  dailyGraceMs: number;
  weeklyGraceMs: number;
  /**
   * How long a claim's lease runs (wall-clock time) before its owner must renew it; the owner renews
   * every quarter of it while the pass runs. Also the first retry back-off, in pass time.
   */
  claimLeaseMs: number;
  batchSize: number;
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
const LATE_AFTER_MS = 2 * 60_000;
/** How often a paused workspace's deliveries try Slack again (pass time). */
const WORKSPACE_PROBE_MS = 10 * 60_000;

export interface PassDeps {
  services: Services;
  client: WebClient;
  logger: AppLogger;
  defaultTimezone: string;
  options?: Partial<PassOptions>;
  /** Names the process in the ledger's claimed_by (default: the host name). */
  worker?: string;
  /** Wall-clock milliseconds, for leases only: a pass's `now` may be any instant (`tick --now`). */
  wallClock?: () => number;
  /** Shared across passes so that Slack's pace holds from one minute to the next. */
  limiter?: PostRateLimiter;
}

interface Outgoing {
  row: DeliveryRow;
  /** This pass's hold on the row: every write and the send itself check it. */
  claim: HeldClaim;
  /** Builds the message and its target channel at send time, so content reflects the latest state. */
  compose: () => Promise<{ channel: string; message: Message; contentId: string | null } | undefined>;
  onPermanentError: (reason: string) => void;
  /** Work that needs the posted message's timestamp (a quiz closes the previous one). */
  afterSent?: (channel: string, ts: string) => Promise<void>;
}

/**
 * One scheduler pass as of `now`: claim what is due in the ledger (exactly one claim per target,
 * kind and local period, whichever process gets there first), then deliver the claims.
 */
export async function runPass(deps: PassDeps, now: Date): Promise<PassSummary> {
  const opts = { ...DEFAULT_PASS_OPTIONS, ...deps.options };
  // Nothing is claimed into a database file that was deleted or replaced under us.
  const lost = deps.services.watch.fileProblem();
  if (lost) throw new Error(`scheduler pass skipped: ${lost}`);
  const wall = deps.wallClock ?? Date.now;
  const owner = beginPass(deps.worker);
  const leaseUntil = () => new Date(wall() + opts.claimLeaseMs);
  // The lease is renewed for as long as this pass runs, however long Slack's pace makes its queue.
  const heartbeat = setInterval(() => renewLeases(deps, owner), Math.max(opts.claimLeaseMs / 4, 1000));
  heartbeat.unref();
  try {
    const summary = emptySummary();
    const outgoing: Outgoing[] = [];
    const run: ClaimRun = { deps, opts, owner, leaseUntil, now, summary, out: outgoing };
    await retryWhileBusy(() => takeOverAbandoned(run, wall()));
    await claimDaily(run);
    await claimWeeklyNudges(run);
    await claimWeeklyLeaderboards(run);

    const limiter = deps.limiter ?? new PostRateLimiter();
    await fanOut(spreadByChannel(outgoing), opts.concurrency, (o) => deliver(run, o, limiter));
    return summary;
  } finally {
    clearInterval(heartbeat);
    owner.release();
  }
}

function renewLeases(deps: PassDeps, owner: ClaimOwner): void {
  try {
    deps.services.stores.deliveries.renewAll(
      owner.id,
      new Date((deps.wallClock ?? Date.now)() + (deps.options?.claimLeaseMs ?? DEFAULT_PASS_OPTIONS.claimLeaseMs)),
    );
  } catch (err) {
    // A busy database delays one renewal; the lease outlasts several.
    deps.logger.warn(`could not renew claim leases: ${(err as Error).message}`);
  }
}

/**
 * Open claims whose owner has stopped (crashed, killed, or gave the claim back after a failed
 * attempt) and whose back-off has run out, in the pass's time: taken over with a new fencing token.
 */
function takeOverAbandoned(run: ClaimRun, wallNow: number): void {
  const { deps, opts, now } = run;
  const { deliveries } = deps.services.stores;
  const probe = localProbe(wallNow);
  for (const row of deliveries.openClaims(new Date(now.getTime() - opts.claimLeaseMs), opts.batchSize)) {
    // Each failed attempt doubles the wait before the next (2, 4, 8 … minutes, at most 64).
    const backoffMs = opts.claimLeaseMs * 2 ** Math.min(row.attempts, 5);
    if (Date.parse(row.claimed_at ?? row.due_at) + backoffMs > now.getTime()) continue;
    if (ownerAlive(row.claimed_by, row.lease_until, probe)) continue;
    const fence = deliveries.reclaim(row, run.owner.id, run.leaseUntil(), now);
    if (fence === undefined) continue;
    // A retry that goes out well after the due time says so, like any late delivery.
    if (now.getTime() - Date.parse(row.due_at) > LATE_AFTER_MS && deliveries.markLate(row.id)) row.late = 1;
    // The row keeps its first claim time: recovery looks for the post in Slack from then on.
    const recovered = recover(deps, { ...row, fence }, now);
    if (recovered) {
      run.out.push(recovered);
      run.summary.retried += 1;
    }
  }
}

/** A claim's context: the pass's clock and identity, and where its results go. */
interface ClaimRun {
  deps: PassDeps;
  opts: PassOptions;
  owner: ClaimOwner;
  leaseUntil: () => Date;
  now: Date;
  summary: PassSummary;
  out: Outgoing[];
}

/** Targets claimed per transaction, between which the pass yields to Slack requests in flight. */
const CLAIM_CHUNK = 25;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Claims everything `fetch` finds due: `claim` moves a target's due time on (compare-and-set) and
 * writes its ledger rows inside an IMMEDIATE transaction, so two processes can never both claim one
 * delivery. Small chunks with a yield between them keep slash commands answered during a big claim.
 */
async function claimDue<T>(
  run: ClaimRun,
  fetch: () => T[],
  claim: (item: T) => DeliveryRow[],
  toOutgoing: (item: T, row: DeliveryRow) => Outgoing,
): Promise<void> {
  const { db } = run.deps.services;
  for (let batch = fetch(); batch.length > 0; batch = fetch()) {
    for (let i = 0; i < batch.length; i += CLAIM_CHUNK) {
      const chunk = batch.slice(i, i + CLAIM_CHUNK);
      const claimed = await retryWhileBusy(() => db.transaction(() => chunk.flatMap((item) => claim(item).map((row) => ({ item, row })))).immediate());
      for (const { item, row } of claimed) {
        run.summary.due += 1;
        if (row.status === 'missed') run.summary.missed += 1;
        else run.out.push(toOutgoing(item, row));
      }
      await yieldToEventLoop();
    }
  }
}

/** One ledger row: claimed if still within the grace window, missed if older. */
function ledgerRow(run: ClaimRun, key: DeliveryKey, dueAt: string, graceMs: number): DeliveryRow[] {
  const age = run.now.getTime() - Date.parse(dueAt);
  const row = run.deps.services.stores.deliveries.insert(
    key,
    dueAt,
    age > graceMs ? 'missed' : 'claimed',
    age > LATE_AFTER_MS,
    run.owner.id,
    run.leaseUntil(),
    run.now,
  );
  return row ? [row] : [];
}

function claimDaily(run: ClaimRun): Promise<void> {
  const { stores } = run.deps.services;
  return claimDue(
    run,
    () => stores.subscriptions.dueDaily(run.now, run.opts.batchSize),
    (sub) => {
      const dueAt = new Date(sub.next_daily_at!);
      if (!stores.subscriptions.advanceDaily(sub, utcIso(nextDailyAt(dueAt, sub.tz, sub.post_time)))) return [];
      const period = localDate(dueAt, sub.tz);
      return (['daily_tip', 'daily_quiz'] as const).flatMap((kind) =>
        ledgerRow(run, { ws: sub.workspace_id, kind, target: sub.channel_id, period }, sub.next_daily_at!, run.opts.dailyGraceMs),
      );
    },
    (sub, row) => (row.kind === 'daily_quiz' ? dailyQuiz(run.deps, sub, row, run.now) : dailyTip(run.deps, sub, row, run.now)),
  );
}

function dailyTip(deps: PassDeps, sub: SubscriptionRow, row: DeliveryRow, now: Date): Outgoing {
  const { content, stores } = deps.services;
  return {
    row,
    claim: { id: row.id, fence: row.fence },
    compose: async () => {
      const pool = tipsFor(content.tips, sub.track_id);
      const tip = pickRotating(pool, stores.deliveries.contentCounts(sub.workspace_id, sub.channel_id, 'daily_tip'), `${sub.channel_id}:${row.period}`);
      if (!tip) return undefined;
      const services = tip.services.map((id) => content.service(id)).filter((s) => s !== undefined);
      return { channel: sub.channel_id, message: dailyTipView(tip, services, row.late === 1), contentId: tip.id };
    },
    onPermanentError: (reason) => stores.subscriptions.pause(sub.workspace_id, sub.channel_id, `Slack: ${reason}`, now),
  };
}

function dailyQuiz(deps: PassDeps, sub: SubscriptionRow, row: DeliveryRow, now: Date): Outgoing {
  const { content, stores } = deps.services;
  return {
    row,
    claim: { id: row.id, fence: row.fence },
    compose: async () => {
      const pool = questionsFor(content.quiz, sub.track_id);
      const existing = stores.quiz.postCounts(sub.workspace_id, sub.channel_id);
      const q = pickRotating(pool, existing, `${sub.channel_id}:${row.period}:quiz`);
      if (!q) return undefined;
      const post = stores.quiz.createPost(sub.workspace_id, sub.channel_id, q.id, row.id, now);
      const question = content.question(post.question_id) ?? q;
      return { channel: sub.channel_id, message: channelQuizView(question, post.id, 0, row.late === 1), contentId: question.id };
    },
    onPermanentError: (reason) => stores.subscriptions.pause(sub.workspace_id, sub.channel_id, `Slack: ${reason}`, now),
    afterSent: async (channel, ts) => {
      // Found through the ledger row, so this also runs when a crashed send is recovered.
      const post = stores.quiz.postForDelivery(row.id);
      if (!post) return;
      stores.quiz.setMessageTs(post.id, ts);
      // A new question closes the ones before it, showing the answer and how the team did.
      for (const old of stores.quiz.openBefore(sub.workspace_id, channel, post.id)) {
        const q = content.question(old.question_id);
        if (!stores.quiz.close(old.id, now) || !q || !old.message_ts) continue;
        const closed = closedQuizView(q, stores.quiz.tally(old.id));
        try {
          await deps.client.chat.update({ channel, ts: old.message_ts, text: closed.text, blocks: closed.blocks });
        } catch (err) {
          deps.logger.warn(`could not show the closed quiz ${old.id} in ${channel}: ${classifySlackError(err).reason}`);
        }
      }
    },
  };
}

function claimWeeklyLeaderboards(run: ClaimRun): Promise<void> {
  const { stores } = run.deps.services;
  return claimDue(
    run,
    () => stores.subscriptions.dueWeekly(run.now, run.opts.batchSize),
    (sub) => {
      const dueAt = new Date(sub.next_weekly_at!);
      if (!stores.subscriptions.advanceWeekly(sub, utcIso(nextWeeklyAt(dueAt, sub.tz, sub.post_time)))) return [];
      const key = { ws: sub.workspace_id, kind: 'weekly_leaderboard' as const, target: sub.channel_id, period: isoWeekOf(localDate(dueAt, sub.tz)) };
      return ledgerRow(run, key, sub.next_weekly_at!, run.opts.weeklyGraceMs);
    },
    (sub, row) => weeklyLeaderboard(run.deps, sub, row, run.now),
  );
}

function weeklyLeaderboard(deps: PassDeps, sub: SubscriptionRow, row: DeliveryRow, now: Date): Outgoing {
  const { stores } = deps.services;
  return {
    row,
    claim: { id: row.id, fence: row.fence },
    compose: async () => ({ channel: sub.channel_id, message: weeklyRecapView(weeklyRecap(stores, sub, new Date(row.due_at))), contentId: null }),
    onPermanentError: (reason) => stores.subscriptions.pause(sub.workspace_id, sub.channel_id, `Slack: ${reason}`, now),
  };
}

function claimWeeklyNudges(run: ClaimRun): Promise<void> {
  const { stores } = run.deps.services;
  const tzOf = (e: DueNudgeRow) => e.tz_override ?? e.slack_tz ?? run.deps.defaultTimezone;
  return claimDue(
    run,
    () => stores.enrolments.dueNudges(run.now, run.opts.batchSize),
    (e) => {
      const tz = tzOf(e);
      const dueAt = new Date(e.next_nudge_at!);
      if (!stores.enrolments.advanceNudge(e, utcIso(nextWeeklyAt(dueAt, tz, e.nudge_time)))) return [];
      if (e.status === 'paused') {
        if (!e.paused_until || Date.parse(e.paused_until) > dueAt.getTime()) return [];
        stores.enrolments.setStatus(e.id, 'active', run.now);
      }
      const key = { ws: e.workspace_id, kind: 'weekly_nudge' as const, target: e.user_id, period: isoWeekOf(localDate(dueAt, tz)) };
      return ledgerRow(run, key, e.next_nudge_at!, run.opts.weeklyGraceMs);
    },
    (e, row) => weeklyNudge(run.deps, e, tzOf(e), row, run.now),
  );
}

function weeklyNudge(deps: PassDeps, e: DueNudgeRow, tz: string, row: DeliveryRow, now: Date): Outgoing {
  const { content, stores } = deps.services;
  return {
    row,
    claim: { id: row.id, fence: row.fence },
    compose: async () => {
      const track = content.track(e.track_id);
      if (!track) return undefined;
      const position = planPosition(track, e.started_on, localDate(new Date(row.due_at), tz));
      const opened = await deps.client.conversations.open({ users: e.user_id });
      const channel = opened.channel?.id;
      if (!channel) throw Object.assign(new Error('conversations.open returned no channel'), { data: { error: 'channel_not_found' } });
      if (position.finished) {
        stores.enrolments.setStatus(e.id, 'finished', now);
        stores.enrolments.setNextNudge(e.id, null);
        return { channel, message: congratulationsView(track), contentId: 'finished' };
      }
      const done = stores.enrolments.doneWeeks(e.id);
      const message = weeklyNudgeView({
        track,
        week: position.week,
        milestone: position.milestone!,
        lastWeekDone: position.week > 1 ? done.includes(position.week - 1) : undefined,
        doneCount: done.length,
        late: row.late === 1,
      });
      return { channel, message, contentId: `week-${position.week}` };
    },
    onPermanentError: (reason) => stores.enrolments.setStatus(e.id, 'paused', now, { reason: `Slack: ${reason}` }),
  };
}

/** A claim found without an outcome: rebuild its composer from the ledger row and its target. */
function recover(deps: PassDeps, row: DeliveryRow, now: Date): Outgoing | undefined {
  const { stores } = deps.services;
  if (row.kind === 'daily_tip' || row.kind === 'daily_quiz' || row.kind === 'weekly_leaderboard') {
    const sub = stores.subscriptions.get(row.workspace_id, row.target);
    if (!sub) return undefined;
    return row.kind === 'daily_tip'
      ? dailyTip(deps, sub, row, now)
      : row.kind === 'daily_quiz'
        ? dailyQuiz(deps, sub, row, now)
        : weeklyLeaderboard(deps, sub, row, now);
  }
  if (row.kind === 'weekly_nudge') {
    const enrolment = stores.enrolments.current(row.workspace_id, row.target);
    const user = stores.users.get(row.workspace_id, row.target);
    if (!enrolment || !user) return undefined;
    const tz = user.tz_override ?? user.slack_tz ?? deps.defaultTimezone;
    return weeklyNudge(deps, { ...enrolment, tz_override: user.tz_override, slack_tz: user.slack_tz, nudge_time: user.nudge_time }, tz, row, now);
  }
  return undefined;
}

/** Slack's copy of the message carries the delivery id, so a crash between post and record is recoverable. */
const METADATA_TYPE = 'aipath_delivery';

async function deliver(run: ClaimRun, o: Outgoing, limiter: PostRateLimiter): Promise<void> {
  const { deps, opts, now, summary } = run;
  const { deliveries, workspaces } = deps.services.stores;
  const ws = o.row.workspace_id;
  const fail = async (reason: string) => {
    if (await retryWhileBusy(() => deliveries.markFailed(o.claim, reason, now))) summary.failed += 1;
  };
  const lost = () => deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) was taken over by another process; not sending`);
  const pause = workspaces.pauseOf(ws);
  if (pause && now.getTime() - pause.probedAt.getTime() < WORKSPACE_PROBE_MS) {
    // The installation failed lately: wait for the next probe, or give up once too late to matter.
    const tooLate = now.getTime() - Date.parse(o.row.due_at) > graceOf(o.row.kind, opts);
    if (tooLate && (await retryWhileBusy(() => deliveries.markMissed(o.claim, `workspace paused: ${pause.reason}`, now)))) summary.missed += 1;
    else if (!tooLate) await retryWhileBusy(() => deliveries.putBack(o.claim, `workspace paused: ${pause.reason}`, now));
    return;
  }
  try {
    const found = o.row.channel ? await alreadyPosted(deps, o, now) : undefined;
    if (found) {
      await o.afterSent?.(o.row.channel!, found);
      summary.sent += 1;
      return;
    }
    const composed = await o.compose();
    if (!composed) return await fail('nothing to send');
    if (!(await retryWhileBusy(() => deliveries.setChannel(o.claim, composed.channel, now)))) return lost();
    for (let attempt = 1; ; attempt++) {
      await limiter.acquire(ws, composed.channel);
      // The fencing check: a process that took this claim over may be sending it now.
      if (!(await retryWhileBusy(() => deliveries.confirm(o.claim, run.owner.id, run.leaseUntil())))) return lost();
      try {
        const res = await deps.client.chat.postMessage({
          channel: composed.channel,
          text: composed.message.text,
          blocks: composed.message.blocks,
          metadata: { event_type: METADATA_TYPE, event_payload: { delivery_id: o.row.id } },
        });
        await retryWhileBusy(() => deliveries.markSent(o.claim, res.channel ?? composed.channel, res.ts ?? '', composed.contentId, now));
        limiter.succeeded(ws);
        if (pause && (await retryWhileBusy(() => workspaces.resume(ws))))
          deps.logger.info(`workspace ${ws}: Slack accepts aipath's token again; deliveries resumed`);
        await o.afterSent?.(res.channel ?? composed.channel, res.ts ?? '');
        summary.sent += 1;
        if (o.row.late === 1) summary.late += 1;
        return;
      } catch (err) {
        const c = classifySlackError(err);
        if (c.retryAfter !== undefined && attempt < opts.maxRateLimitRetries) {
          limiter.backOff(ws, c.retryAfter);
          summary.rateLimited += 1;
          continue;
        }
        throw err;
      }
    }
  } catch (err) {
    const { permanent, installation, reason } = classifySlackError(err);
    if (installation) {
      // The token or its scopes, not this target: every delivery of the workspace waits for a probe.
      await retryWhileBusy(() => {
        workspaces.pause(ws, reason, now);
        deliveries.putBack(o.claim, `workspace paused: ${reason}`, now);
      });
      deps.logger.warn(`workspace ${ws}: Slack answered ${reason}; its deliveries are paused until a later send succeeds`);
    } else if (permanent) {
      await fail(reason);
      o.onPermanentError(reason);
      deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) failed for good: ${reason}; target paused`);
    } else if (o.row.attempts + 1 >= opts.maxAttempts) {
      await fail(`gave up after ${o.row.attempts + 1} attempts: ${reason}`);
      deps.logger.error(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) failed ${o.row.attempts + 1} times: ${reason}`);
    } else {
      // Given back: a pass after the back-off takes it up again.
      await retryWhileBusy(() => deliveries.release(o.claim, null, reason, now));
      deps.logger.warn(`delivery ${o.row.id} (${o.row.kind} to ${o.row.target}) will be retried: ${reason}`);
    }
  }
}

const graceOf = (kind: DeliveryRow['kind'], opts: PassOptions) => (kind === 'daily_tip' || kind === 'daily_quiz' ? opts.dailyGraceMs : opts.weeklyGraceMs);

/**
 * A claim left open by a process that stopped after choosing a channel: Slack may already have the
 * message. Look for our delivery id in the channel's recent metadata before posting again.
 */
async function alreadyPosted(deps: PassDeps, o: Outgoing, now: Date): Promise<string | undefined> {
  const { row } = o;
  try {
    const oldest = (Date.parse(row.claimed_at ?? row.due_at) / 1000 - 3600).toFixed(6);
    const history = await deps.client.conversations.history({ channel: row.channel!, oldest, limit: 200, include_all_metadata: true });
    const found = history.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { delivery_id?: unknown } } }).metadata;
      return meta?.event_type === METADATA_TYPE && Number(meta.event_payload?.delivery_id) === row.id;
    });
    const ts = found?.ts;
    if (!ts) return undefined;
    await retryWhileBusy(() => deps.services.stores.deliveries.markSent(o.claim, row.channel!, ts, row.content_id, now));
    deps.logger.info(`delivery ${row.id} was already in Slack (${ts}); recorded, not sent again`);
    return ts;
  } catch (err) {
    // Without history access we cannot prove it was posted; sending again risks one duplicate, never a loss.
    deps.logger.warn(`could not check ${row.channel} for delivery ${row.id}: ${classifySlackError(err).reason}; sending`);
    return undefined;
  }
}

/**
 * Orders deliveries so that two for one target are far apart: a channel's quiz right behind its tip
 * would hold a sending slot for the whole per-channel gap.
 */
function spreadByChannel(items: Outgoing[]): Outgoing[] {
  const rounds: Outgoing[][] = [];
  const seen = new Map<string, number>();
  for (const o of items) {
    const key = `${o.row.workspace_id}/${o.row.target}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    rounds[round] = [...(rounds[round] ?? []), o];
  }
  return rounds.flat();
}

/** Runs deliveries with bounded concurrency; the limiter, not the pool, sets the pace. */
async function fanOut<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
