import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainer, deliveryGateway, type Container } from '../src/container.js';
import { loadConfig } from '../src/config.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { createLogger } from '../src/log.js';
import { formatSummary } from '../src/scheduler/cron.js';
import type { RateLimits } from '../src/scheduler/rate-limit.js';
import type { Delivery } from '../src/ports/store.js';
import type { Services } from '../src/services/index.js';

/** A Tuesday: no weekly leaderboard falls due beside the daily posts. */
export const DAILY_DUE = new Date('2026-11-24T09:00:00.000Z');
const quiet = createLogger('error');

/** The app's own wiring on a bench database, sending to the fake Slack at the given pace. */
export function benchContainer(dbPath: string, fake: { url: string }, rateLimits: RateLimits): Promise<Container> {
  return buildContainer(loadConfig({ AIPATH_DB: dbPath }), { logger: quiet, slack: deliveryGateway('xoxb-bench', fake.url, quiet), rateLimits });
}

/** Distinct delivery ids in the fake's stored messages, and how many messages carried each. */
export function postedDeliveries(fake: ScriptableFakeSlack): { posts: number; ids: Map<number, number> } {
  const ids = new Map<number, number>();
  let posts = 0;
  for (const list of fake.messages.values()) {
    for (const m of list) {
      posts += 1;
      const id = Number(m.metadata?.event_payload?.delivery_id);
      if (Number.isFinite(id)) ids.set(id, (ids.get(id) ?? 0) + 1);
    }
  }
  return { posts, ids };
}

/** `count` channel subscriptions whose daily post falls due at `due` (UTC 09:00), `perWorkspace` channels a workspace. */
export async function seedSubscriptions(services: Services, count: number, perWorkspace: number, due: Date = DAILY_DUE): Promise<void> {
  await services.store.transaction(async ({ subscriptions }) => {
    for (let i = 0; i < count; i++) {
      const ws = `T0W${String(Math.floor(i / perWorkspace)).padStart(5, '0')}`;
      const channel = `C0K${String(i).padStart(7, '0')}`;
      await subscriptions.upsert(
        {
          ws,
          channel,
          time: '09:00',
          tz: 'UTC',
          track: null,
          by: 'U0ADMIN001',
          nextDaily: due,
          nextWeekly: new Date(due.getTime() + 6 * 86_400_000),
        },
        new Date(due.getTime() - 3_600_000),
      );
    }
  });
}

/**
 * How many deliveries one subscription's daily slot produces in the code as it stands (a tip, and
 * since the quiz feature a quiz too), found by running one real pass for one subscription.
 */
export async function deliveriesPerSubscription(): Promise<{ perSubscription: number; kinds: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'aipath-bench-probe-'));
  const fake = await new ScriptableFakeSlack().start();
  const container = await benchContainer(join(dir, 'probe.db'), fake, { perChannelIntervalMs: 0, perWorkspacePerMinute: 1_000_000 });
  const { services } = container;
  try {
    await seedSubscriptions(services, 1, 1);
    const summary = await container.runPass(DAILY_DUE);
    const kinds = (await services.store.ledger.list()).map((d) => d.kind);
    return { perSubscription: summary.due, kinds };
  } finally {
    await container.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Accepted posts in each whole second from the first one: how bursty the pace was. */
function perSecond(times: number[]): string {
  if (times.length === 0) return '-';
  const counts = new Array<number>(Math.floor((times[times.length - 1]! - times[0]!) / 1000) + 1).fill(0);
  for (const t of times) counts[Math.floor((t - times[0]!) / 1000)]! += 1;
  const sorted = [...counts].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `per second: p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}, max ${sorted[sorted.length - 1]}; ${counts.filter((c) => c === 0).length} of ${counts.length} seconds with no post`;
}

/** Largest number of timestamps inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** `count` learners in one workspace whose weekly nudge (a DM each: a channel of its own) falls due at `due`. */
async function seedNudges(services: Services, count: number, due: Date): Promise<void> {
  const from = new Date(due.getTime() - 3_600_000);
  await services.store.transaction(async ({ users, enrolments }) => {
    for (let i = 0; i < count; i++) {
      const user = `U0N${String(i).padStart(7, '0')}`;
      await users.ensure(WS, user, from);
      await users.setTzOverride(WS, user, 'UTC');
      const { enrolment } = await enrolments.switchTo(WS, user, 'devops', '2026-11-02', from);
      await enrolments.setNextNudge(enrolment.id, due);
    }
  });
}

/** How many ledger records have each status, by status name. */
function countStatuses(rows: readonly Delivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return counts;
}

const WS = 'T0FANOUT1';

/**
 * 5,000 deliveries due at one instant in one workspace, against a Slack that allows 50 posts a
 * second (429 + Retry-After 1 s beyond that), paced by a PostRateLimiter set to that allowed rate.
 * `daily`: channel subscriptions' daily slot, as the code composes it (one channel per subscription).
 * `dm`: weekly nudges, one DM channel per delivery, so nothing but the workspace pace applies.
 */
export async function benchFanout(kind: 'daily' | 'dm' = 'daily', deliveries = 5_000, allowedPerSecond = 50): Promise<string[]> {
  const probe = kind === 'daily' ? await deliveriesPerSubscription() : { perSubscription: 1, kinds: ['weekly_nudge'] };
  const targets = Math.ceil(deliveries / Math.max(1, probe.perSubscription));
  const dir = mkdtempSync(join(tmpdir(), 'aipath-bench-fanout-'));
  const fake = await new ScriptableFakeSlack().start();
  const container = await benchContainer(join(dir, 'fanout.db'), fake, { perChannelIntervalMs: 1100, perWorkspacePerMinute: allowedPerSecond * 60 });
  const { services, limiter } = container;
  try {
    // The daily slot on a Tuesday (no leaderboard beside it); nudges on the Monday before.
    const due = kind === 'daily' ? DAILY_DUE : new Date('2026-11-23T09:00:00.000Z');
    if (kind === 'daily') await seedSubscriptions(services, targets, targets);
    else await seedNudges(services, targets, due);

    fake.enforceRate('chat.postMessage', allowedPerSecond, 1);
    const accepted: number[] = [];
    fake.on('call', (c: { method: string; at: number }) => {
      if (c.method === 'chat.postMessage') accepted.push(c.at);
    });
    // How long deliveries sit in limiter.acquire (each holds one of the pass's 16 sending slots meanwhile).
    const acquire = limiter.acquire.bind(limiter);
    const waits: number[] = [];
    limiter.acquire = async (ws, channel) => {
      const t = performance.now();
      await acquire(ws, channel);
      waits.push(performance.now() - t);
    };

    const started = performance.now();
    const startedAt = Date.now();
    const summary = await container.runPass(due);
    const elapsedS = (performance.now() - started) / 1000;

    const calls = fake.callsOf('chat.postMessage').length;
    const limited = fake.rateLimitedCalls;
    const { posts, ids } = postedDeliveries(fake);
    const dupIds = [...ids.values()].filter((n) => n > 1).length;
    const ledger = await services.store.ledger.list();
    const ledgerRows = ledger.length;
    const statuses = [...countStatuses(ledger)]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([status, n]) => `${status} ${n}`)
      .join(', ');
    const rate = posts / elapsedS;
    const firstToLast = accepted.length > 1 ? (accepted[accepted.length - 1]! - accepted[0]!) / 1000 : NaN;
    const longWaits = waits.filter((w) => w >= 500).sort((a, b) => a - b);
    const waitedS = waits.reduce((a, b) => a + b, 0) / 1000;
    const what =
      kind === 'daily'
        ? `${ledgerRows.toLocaleString('en')} deliveries = ${targets.toLocaleString('en')} channel subscriptions × ${probe.perSubscription} (${probe.kinds.join(' + ')})`
        : `${ledgerRows.toLocaleString('en')} weekly nudges, one DM channel each (conversations.open + chat.postMessage)`;
    const lines = [
      `fanout${kind === 'dm' ? '-dm' : ''} (${what}, 1 workspace, all due ${due.toISOString()}; fake Slack allows ${allowedPerSecond}/s, then 429 + Retry-After 1 s)`,
      `  limiter          perChannelIntervalMs 1100, perWorkspacePerMinute ${allowedPerSecond * 60}; pass concurrency 16 (default)`,
      `  one pass         ${elapsedS.toFixed(1)} s; ${formatSummary(summary)}`,
      `  achieved rate    ${rate.toFixed(1)} posts/s = ${((rate / allowedPerSecond) * 100).toFixed(1)}% of the allowed ${allowedPerSecond}/s (first→last accepted post ${firstToLast.toFixed(1)} s; first post ${accepted.length ? accepted[0]! - startedAt : NaN} ms after the pass began: the claim phase)`,
      `  pace             busiest 1 s window ${maxInWindow(accepted, 1000)} accepted posts; ${perSecond(accepted)}`,
      `  429 share        ${limited} of ${calls} chat.postMessage calls = ${((limited / Math.max(1, calls)) * 100).toFixed(1)}%`,
      `  limiter waits    ${waits.length} acquires, ${waitedS.toFixed(0)} s spent waiting in all (${(waitedS / elapsedS).toFixed(1)} of the 16 slots on average); ${longWaits.length} waits ≥ 500 ms${longWaits.length ? `, median of those ${(longWaits[Math.floor(longWaits.length / 2)]! / 1000).toFixed(2)} s` : ''}`,
      `  exactly once     ${posts} messages stored, ${ids.size} distinct delivery ids of ${ledgerRows} in the ledger, ${dupIds} ids posted more than once, ${ledgerRows - ids.size} never posted; ledger: ${statuses}`,
    ];

    // Whatever the pass left claimed (429s beyond maxRateLimitRetries) goes out in later passes:
    // run them at simulated later instants, bounded, so the report says where it ends up.
    let at = due.getTime();
    for (let k = 1; k <= 6; k++) {
      const open = countStatuses(await services.store.ledger.list()).get('claimed') ?? 0;
      if (open === 0) break;
      at += 2 * 60_000 * 2 ** k;
      const t = performance.now();
      const later = await container.runPass(new Date(at));
      const after = postedDeliveries(fake);
      lines.push(
        `  follow-up pass ${k} at ${new Date(at).toISOString()} (${open} still claimed): ${((performance.now() - t) / 1000).toFixed(1)} s; ${formatSummary(later)}; now ${after.posts} messages, ${after.ids.size} distinct ids`,
      );
    }
    return lines;
  } finally {
    await container.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
