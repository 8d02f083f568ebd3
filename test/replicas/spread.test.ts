/**
 * Passes running at once on one PostgreSQL database (replicas' cron, `aipath tick` runs) share out what is due instead
 * of queueing behind one another for the same targets: each claim transaction locks the batch of targets it found,
 * and the others skip those and take the next. Four "processes" (containers with pools of their own) in this test
 * process; skipped, saying why, without a PostgreSQL server.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';
import { describeWithPostgres } from '../support/postgres.js';

const LEARNERS = 240;
const BATCH = 30;
const T = new Date('2026-01-05T09:00:30Z'); // a Monday: every learner's nudge falls due at 09:00 UTC

let world: SchedulerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describeWithPostgres('passes at once on PostgreSQL', () => {
  it('four passes each claim batches of their own, none waiting for targets another holds, and every nudge goes out once', {
    timeout: 120_000,
  }, async () => {
    world = await SchedulerWorld.create(undefined, { claimBatchSize: BATCH }, 'postgres');
    const { store } = world.services;
    await store.transaction(async (tx) => {
      for (let i = 0; i < LEARNERS; i++) {
        const user = `U0SPREAD${String(i).padStart(3, '0')}`;
        await tx.users.ensure(WS, user, new Date('2026-01-01T00:00:00Z'));
        await tx.users.setTzOverride(WS, user, 'UTC');
        await tx.users.setDmChannel(WS, user, `D${user.slice(1)}`);
        const { enrolment } = await tx.enrolments.switchTo(WS, user, 'devops', '2026-01-05', new Date('2026-01-01T00:00:00Z'));
        await tx.enrolments.setNextNudge(enrolment.id, new Date('2026-01-05T09:00:00Z'));
      }
    });
    const processes = [world.services, await world.open(), await world.open(), await world.open()];

    // The ledger held (EXCLUSIVE: reads go on, inserts wait) until every pass has found its first batch and waits to
    // record it: only passes holding disjoint batches can all get that far at once. A pass queued behind another's
    // targets waits on that one's row locks instead, and never reaches the ledger while it is held. A pass has up to two
    // batches in flight on PostgreSQL (the next starts once the first has locked its targets): up to eight wait there.
    const gate = new pg.Client({ connectionString: world.dbPath });
    gate.on('error', () => {});
    await gate.connect();
    const watch = new pg.Client({ connectionString: world.dbPath });
    await watch.connect();
    let passes: Promise<{ due: number }>[] = [];
    try {
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE deliveries IN EXCLUSIVE MODE');
      passes = processes.map((p, i) => world!.pass(T, p, `host-${i}`));
      for (const deadline = Date.now() + 30_000; ; ) {
        const { rows } = await watch.query<{ ledger: number; elsewhere: number }>(
          `SELECT count(*) FILTER (WHERE relation = 'deliveries'::regclass)::int AS ledger,
                  count(*) FILTER (WHERE relation IS DISTINCT FROM 'deliveries'::regclass)::int AS elsewhere
           FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        if (rows[0]!.ledger >= processes.length && rows[0]!.elsewhere === 0) break;
        if (Date.now() > deadline) throw new Error(`after 30 s, ${rows[0]!.ledger} passes wait at the ledger and ${rows[0]!.elsewhere} for another's rows`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await gate.query('COMMIT').catch(() => {});
      await gate.end();
      await watch.end();
    }
    const summaries = await Promise.all(passes);
    const claimed = summaries.map((s) => s.due);
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(LEARNERS);
    // Each got at least the batch it was holding at the gate.
    for (const n of claimed) expect(n).toBeGreaterThanOrEqual(BATCH);

    const ledger = await world.ledger();
    expect(ledger).toHaveLength(LEARNERS);
    expect(new Set(ledger.map((d) => d.target)).size).toBe(LEARNERS);
    expect(ledger.filter((d) => d.status !== 'sent')).toEqual([]);
    expect(world.posts()).toHaveLength(LEARNERS);
    expect(new Set(world.posts().map((p) => p.params.channel)).size).toBe(LEARNERS);
  });
});
