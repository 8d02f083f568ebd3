/**
 * On SQLite a claim transaction's statements run on the event loop, one after the other (src/scheduler/pass.ts,
 * claimBatch): once they have used up a slice of the loop, the batch waits for a turn of the loop before its next
 * statement, so that a batch of a thousand targets is not one block of the loop.
 */
import { afterEach, expect, it } from 'vitest';
import type { Repositories } from '../../src/ports/store.js';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';
import { requestTurn } from '../../src/shared/request-turns.js';

const MONDAY_10 = new Date('2026-01-05T10:00:00Z');

let world: SchedulerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('a claim batch gives the event loop a turn between finding its targets and writing their ledger rows once a slice is used up', async () => {
  world = await SchedulerWorld.create(undefined, { claimBatchSize: 50 });
  for (let i = 0; i < 3; i++) {
    const user = `U0YIELD${i}`;
    await world.enrol(user, 'UTC', 'devops', '2026-01-05', new Date('2026-01-01T00:00:00Z'), '09:00');
    await world.services.store.users.setDmChannel(WS, user, `D0YIELD${i}`);
  }
  const { store } = world.services;
  const transaction = store.transaction.bind(store);
  let loopCameRound = false;
  const seen: string[] = [];
  store.transaction = (work) =>
    transaction((tx) => {
      const repos: Repositories = {
        ...tx,
        enrolments: {
          ...tx.enrolments,
          async dueNudges(now, limit) {
            const found = await tx.enrolments.dueNudges(now, limit);
            // An immediate set now runs at the loop's next check phase; 15 ms of work more than uses up the pass's 10 ms
            // slice.
            loopCameRound = false;
            setImmediate(() => {
              loopCameRound = true;
            });
            const until = performance.now() + 15;
            while (performance.now() < until);
            return found;
          },
        },
        ledger: {
          ...tx.ledger,
          insertMany(rows, owner, leaseUntil, now) {
            seen.push(loopCameRound ? 'after a turn of the loop' : 'in the same turn');
            return tx.ledger.insertMany(rows, owner, leaseUntil, now);
          },
        },
      };
      return work(repos);
    });
  const summary = await world.pass(MONDAY_10);
  expect(summary).toMatchObject({ due: 3, sent: 3 });
  expect(seen).toEqual(['after a turn of the loop']);
});

it('while requests are being served, a claim on SQLite takes 50 due targets a transaction, and still claims them all', async () => {
  world = await SchedulerWorld.create(undefined, undefined, 'sqlite');
  for (let i = 0; i < 120; i++) {
    await world.enrol(`U0SERVE${String(i).padStart(3, '0')}`, 'UTC', 'devops', '2026-01-05', new Date('2026-01-01T00:00:00Z'), '09:00');
  }
  const { store } = world.services;
  const transaction = store.transaction.bind(store);
  const limits: number[] = [];
  store.transaction = (work) =>
    transaction((tx) =>
      work({
        ...tx,
        enrolments: {
          ...tx.enrolments,
          dueNudges(now, limit) {
            limits.push(limit);
            return tx.enrolments.dueNudges(now, limit);
          },
        },
      }),
    );
  // Commands keep arriving while the pass runs: each asks for a turn of the loop before its acknowledgement.
  void requestTurn();
  const stream = setInterval(() => void requestTurn(), 5);
  const summary = await world.pass(MONDAY_10).finally(() => clearInterval(stream));
  expect(summary.due).toBe(120);
  expect(limits).toEqual([50, 50, 50]);
});
