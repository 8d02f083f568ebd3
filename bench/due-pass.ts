import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Repositories, Store } from '../src/ports/store.js';
import type { PassSummary } from '../src/scheduler/cron.js';

export interface DuePassTiming {
  summary: PassSummary;
  /** From the start of the pass to its last ledger insert (today all of it before the first send). */
  claim: number;
  total: number;
  /** The longest the event loop was blocked during the pass, in ms. */
  blocked: number;
  /** Time spent in dueNudges, and how many calls. */
  queryLoop: number;
  queryCalls: number;
}

/**
 * Runs one due pass with the claim phase and the due-query loop timed. The pass finds due learners on the root
 * store, so its enrolments repository is timed; claims insert into the ledger inside store.transaction, through
 * the transaction's own repositories, so the work is handed a tx whose ledger.insert is timed. Both are restored.
 */
export async function timeDuePass(store: Store, pass: () => Promise<PassSummary>): Promise<DuePassTiming> {
  const ownDue = store.enrolments.dueNudges;
  const realDue = ownDue.bind(store.enrolments);
  let queryLoop = 0;
  let queryCalls = 0;
  store.enrolments.dueNudges = async (now, limit) => {
    const q = performance.now();
    try {
      return await realDue(now, limit);
    } finally {
      queryLoop += performance.now() - q;
      queryCalls += 1;
    }
  };
  const ownTransaction = store.transaction;
  const realTransaction = ownTransaction.bind(store);
  let lastInsert = 0;
  const timedLedger = (tx: Repositories): Repositories => ({
    ...tx,
    ledger: {
      ...tx.ledger,
      insert: async (...args) => {
        try {
          return await tx.ledger.insert(...args);
        } finally {
          lastInsert = performance.now();
        }
      },
    },
  });
  store.transaction = (work) => realTransaction((tx) => work(timedLedger(tx)));
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  try {
    await new Promise((resolve) => setTimeout(resolve, 20)); // the histogram misses a block that starts before its first tick
    const t = performance.now();
    const summary = await pass();
    const total = performance.now() - t;
    return { summary, claim: lastInsert - t, total, blocked: loop.max / 1e6, queryLoop, queryCalls };
  } finally {
    loop.disable();
    store.enrolments.dueNudges = ownDue;
    store.transaction = ownTransaction;
  }
}
