/**
 * Slack's per-workspace pace shared by replicas: three processes (test/replicas/pace-replica.ts: the app's container,
 * its own pool and pacer, one scheduler pass) send weekly nudges for ONE workspace at once, against a fake Slack that
 * answers 429 (Retry-After 1 s) past 20 posts in any second, each pacer set to that budget (1,200 a minute). With the
 * pace kept in the database (the default on PostgreSQL) their combined rate stays within the allowance and at most
 * 1 % of the calls are answered 429; the same three processes each pacing themselves try to spend three times the
 * budget and are answered 429 far more often, for less throughput (the second test: what the shared pace prevents). Skipped, saying why, without a PostgreSQL server.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';
import { describeWithPostgres, type FreshDatabase, freshDatabase } from '../support/postgres.js';
import { aipathEnv, type Proc, postedDeliveries, ROOT, spawnNode } from './processes.js';

const quiet = createLogger('error');
const WS = 'T0PACE0001';
/**
 * Below Slack's real 50/s so that three replicas keep up with it even on a loaded machine: the test checks how they
 * share a budget, not how fast this machine is (`npm run bench -- engines` measures the fan-out at 50/s).
 */
const ALLOWED_PER_SECOND = 20;
const REPLICAS = 3;
/** A Monday 09:00 UTC; replica k runs its pass k hours later, when only its own third (and the ones before) is due. */
const T = Date.parse('2026-11-23T09:00:00Z');
const HOUR = 3_600_000;

interface Round {
  deliveries: number;
  calls: number;
  rateLimited: number;
  /** Accepted posts per second between the first and the last accepted post. */
  rate: number;
  busiestSecond: number;
  sentBy: number[];
  posts: number;
  distinct: number;
  lines: string;
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

describeWithPostgres('Slack pace shared by replicas on PostgreSQL', (serverUrl) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  /**
   * `perReplica` nudges for each replica, in one workspace. Replicas start sending one after another, each once the one
   * before has claimed its third (the first pass to start would otherwise claim everything due), so all three send
   * side by side for most of the round.
   */
  async function round(shared: boolean, perReplica: number): Promise<Round> {
    const db: FreshDatabase = await freshDatabase(serverUrl, shared ? 'pace' : 'pace_local');
    cleanup.push(() => db.drop());
    const store: Store = await openStore(db.url, quiet);
    cleanup.push(() => store.database.close());
    const fake = await new ScriptableFakeSlack().start();
    cleanup.push(() => fake.stop());

    await store.transaction(async (tx) => {
      for (let k = 0; k < REPLICAS; k++) {
        const from = new Date(T - 7 * 24 * HOUR);
        for (let i = 0; i < perReplica; i++) {
          const user = `U0PACE${k}${String(i).padStart(4, '0')}`;
          await tx.users.ensure(WS, user, from);
          await tx.users.setTzOverride(WS, user, 'UTC');
          await tx.users.setDmChannel(WS, user, `D${user.slice(1)}`);
          const { enrolment } = await tx.enrolments.switchTo(WS, user, 'devops', '2026-11-02', from);
          await tx.enrolments.setNextNudge(enrolment.id, new Date(T + k * HOUR));
        }
      }
    });

    const replicas: Proc[] = [];
    for (let k = 0; k < REPLICAS; k++) {
      const env = aipathEnv(db.url, fake, {
        PACE_PER_MINUTE: String(ALLOWED_PER_SECOND * 60),
        PACE_SHARED: shared ? '1' : '0',
        PACE_AT: new Date(T + k * HOUR + 60_000).toISOString(),
      });
      const p = spawnNode([join(ROOT, 'test', 'replicas', 'pace-replica.ts')], env, { stdin: true });
      replicas.push(p);
      cleanup.push(async () => p.kill('SIGKILL'));
    }
    for (const p of replicas) {
      for (const deadline = Date.now() + 40_000; !p.stdout().includes('ready'); ) {
        if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`a pace replica did not start: ${p.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    fake.enforceRate('chat.postMessage', ALLOWED_PER_SECOND, 1);
    const accepted: number[] = [];
    fake.on('call', (c: { method: string; at: number }) => {
      if (c.method === 'chat.postMessage') accepted.push(c.at);
    });
    for (let k = 0; k < REPLICAS; k++) {
      replicas[k]!.child.stdin!.write('go\n');
      if (k === REPLICAS - 1) break;
      for (const deadline = Date.now() + 30_000; (await store.ledger.list({ ws: WS })).length < (k + 1) * perReplica; ) {
        if (Date.now() > deadline) throw new Error(`replica ${k + 1} did not claim its nudges in 30 s: ${replicas[k]!.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const exits = await Promise.all(replicas.map((p) => p.exited));
    expect(
      exits.map((e) => e.code),
      replicas.map((p) => p.stderr()).join('\n'),
    ).toEqual(replicas.map(() => 0));
    const results = replicas.map((p) => JSON.parse(p.stdout().trim().split('\n').pop()!) as { summary: { sent: number }; sharesPace: boolean });
    expect(results.map((r) => r.sharesPace)).toEqual(replicas.map(() => shared));

    accepted.sort((a, b) => a - b);
    const calls = fake.callsOf('chat.postMessage').length;
    const rateLimited = fake.rateLimitedCalls;
    const spanS = (accepted[accepted.length - 1]! - accepted[0]!) / 1000;
    const rate = (accepted.length - 1) / spanS;
    const { posts, ids } = postedDeliveries(fake);
    const sentBy = results.map((r) => r.summary.sent);
    const busiestSecond = maxInWindow(accepted, 1000);
    const lines =
      `${shared ? 'shared pace' : 'each replica its own pace'}: ${REPLICAS} replicas × ${perReplica} nudges for one workspace (sent ${sentBy.join(' + ')}), ` +
      `fake Slack allows ${ALLOWED_PER_SECOND}/s, each pacer set to ${ALLOWED_PER_SECOND * 60}/min: ${accepted.length} posts accepted in ${spanS.toFixed(1)} s = ` +
      `${rate.toFixed(1)}/s (${((rate / ALLOWED_PER_SECOND) * 100).toFixed(0)}% of the allowance), busiest second ${busiestSecond}; ` +
      `${rateLimited} of ${calls} calls answered 429 (${((rateLimited / Math.max(1, calls)) * 100).toFixed(2)}%)`;
    console.log(lines);
    return { deliveries: REPLICAS * perReplica, calls, rateLimited, rate, busiestSecond, sentBy, posts, distinct: ids.size, lines };
  }

  it('three replicas sending for one workspace stay within the allowance, at most 1 % of calls answered 429', { timeout: 90_000 }, async () => {
    const r = await round(true, 100);
    // Every nudge once, each replica sending its share side by side with the others.
    expect({ posts: r.posts, distinct: r.distinct }).toEqual({ posts: r.deliveries, distinct: r.deliveries });
    expect(r.sentBy.every((n) => n > 0)).toBe(true);
    expect(r.rateLimited / r.calls).toBeLessThanOrEqual(0.01);
    expect(r.rate).toBeLessThanOrEqual(ALLOWED_PER_SECOND);
    // Not by sending slowly: together they send well above the third of the allowance that one replica's share would
    // be (the pacer leaves 5 % headroom, and each 429 holds everyone for its Retry-After of 1 s).
    expect(r.rate).toBeGreaterThan(ALLOWED_PER_SECOND * 0.7);
  });

  it('the same replicas each pacing on their own overspend the budget and are answered 429 (what the shared pace prevents)', { timeout: 90_000 }, async () => {
    const r = await round(false, 60);
    // The allowance exceeded, found out the hard way: more than the 1 % the shared pace keeps to, for less throughput.
    expect(r.rateLimited / r.calls).toBeGreaterThan(0.01);
  });
});
