import { closeSync, openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Repositories, Store } from '../src/ports/store.js';
import type { PassSummary } from '../src/scheduler/cron.js';
import { LoopBlocks } from './loop-blocks.js';

export interface DuePassTiming {
  summary: PassSummary;
  /** From the start of the pass to the commit of its last claim transaction (one that wrote ledger rows). */
  claim: number;
  total: number;
  /** The longest the event loop was blocked during the pass, in ms (monitorEventLoopDelay's max). */
  blocked: number;
  /**
   * The longest delay of a 5 ms timer less the time the main thread spent waiting for a CPU meanwhile (Linux's
   * schedstat): what the process's own work held the loop for, on a machine whose cores other processes share.
   * Undefined where /proc/thread-self/schedstat does not exist.
   */
  blockedOwn: number | undefined;
  /** Claim transactions, and their wall time summed (BEGIN to COMMIT, waits included). */
  claimTransactions: number;
  /** Wall time in each store method (`repo.method`) called during the claim phase, inside transactions or not. */
  calls: Map<string, { ms: number; calls: number }>;
}

const REPOSITORIES: (keyof Repositories)[] = ['users', 'enrolments', 'subscriptions', 'ledger', 'quiz', 'points', 'workspaces', 'reviews', 'mocks', 'pace'];

/** Each repository's methods timed (wall time, so PostgreSQL's round trips are in it), reported to `record`. */
function timed(repos: Repositories, record: (name: string, start: number, end: number) => void, names = REPOSITORIES): Repositories {
  const out: Partial<Record<keyof Repositories, unknown>> = { ...repos };
  for (const name of names) {
    const repo = repos[name] as unknown as Record<string, unknown>;
    const wrapped: Record<string, unknown> = {};
    for (const [method, fn] of Object.entries(repo)) {
      if (typeof fn !== 'function') continue;
      // One string per method, not one per call: a pass of 13,332 deliveries makes some 200,000 calls.
      const label = `${name}.${method}`;
      wrapped[method] = async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>).apply(repo, args);
        } finally {
          record(label, t, performance.now());
        }
      };
    }
    out[name] = wrapped;
  }
  // Every repository of the port, each named one with every method of the original wrapped: the port's shape.
  return out as Repositories;
}

/**
 * Runs one due pass with its claim phase timed and broken down by store method: the store's repositories and those
 * handed to each transaction are wrapped for the duration (and restored), so whatever the pass calls, in whatever
 * transaction, is counted. The claim phase ends with the commit of the last transaction that inserted ledger rows.
 */
export async function timeDuePass(store: Store, pass: () => Promise<PassSummary>, opts: { breakdown?: boolean } = {}): Promise<DuePassTiming> {
  // Without the breakdown only the ledger is watched (to see where the claim phase ends): wrapping every store call
  // puts a promise and a closure more on each of some 200,000 calls, garbage the event-loop figure would pay for.
  const watched = opts.breakdown === false ? (['ledger'] as (keyof Repositories)[]) : REPOSITORIES;
  // Three flat arrays rather than an object per call: the measuring must not make the heap it measures (a pass of
  // 13,332 deliveries makes some 200,000 calls, which as objects kept tens of MB alive through the pass).
  const names: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const record = (name: string, start: number, end: number) => {
    names.push(name);
    starts.push(start);
    ends.push(end);
  };
  const own: Partial<Repositories> = {};
  for (const name of REPOSITORIES) Object.assign(own, { [name]: store[name] });
  if (opts.breakdown !== false) Object.assign(store, timed(store, record));
  const ownTransaction = store.transaction;
  const realTransaction = ownTransaction.bind(store);
  let claimEnd = 0;
  let claimTransactions = 0;
  store.transaction = async (work) => {
    let inserted = false;
    const result = await realTransaction((tx) =>
      work(
        timed(
          tx,
          (name, start, end) => {
            if (name.startsWith('ledger.insert')) inserted = true;
            record(name, start, end);
          },
          watched,
        ),
      ),
    );
    if (inserted) {
      claimEnd = performance.now();
      claimTransactions += 1;
    }
    return result;
  };
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  const ownDelay = new OwnDelayWatch();
  const blocksOver = Number(process.env.DUE_PASS_BLOCKS);
  const blocks = blocksOver > 0 ? new LoopBlocks(blocksOver, process.env.DUE_PASS_PROFILE === '1') : undefined;
  try {
    await new Promise((resolve) => setTimeout(resolve, 20)); // the histogram misses a block that starts before its first tick
    const t = performance.now();
    const summary = await pass();
    const total = performance.now() - t;
    const blockedOwn = ownDelay.stop();
    if (blocks)
      process.stderr.write(
        `   a pass of ${summary.due} due, claim phase ended at ${(claimEnd - t).toFixed(0)} ms; blocks of the event loop:\n${(await blocks.stop(t)).join('\n')}\n`,
      );
    const calls = new Map<string, { ms: number; calls: number }>();
    for (let i = 0; i < names.length; i++) {
      if (starts[i]! < t || ends[i]! > claimEnd) continue;
      const c = calls.get(names[i]!) ?? { ms: 0, calls: 0 };
      c.ms += ends[i]! - starts[i]!;
      c.calls += 1;
      calls.set(names[i]!, c);
    }
    return { summary, claim: claimEnd - t, total, blocked: loop.max / 1e6, blockedOwn, claimTransactions, calls };
  } finally {
    ownDelay.stop();
    loop.disable();
    Object.assign(store, own);
    store.transaction = ownTransaction;
  }
}

/** The claim phase's time by store method, largest first, and what is left: JavaScript, BEGIN/COMMIT, yields. */
export function describeCalls(claimMs: number, calls: Map<string, { ms: number; calls: number }>, top = 6): string {
  const sorted = [...calls.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inCalls = sorted.reduce((s, [, c]) => s + c.ms, 0);
  const f = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  return [
    ...sorted.slice(0, top).map(([name, c]) => `${name} ${f(c.ms)} (${c.calls.toLocaleString('en')} calls)`),
    `the rest ${f(Math.max(0, claimMs - inCalls))} (JavaScript, BEGIN/COMMIT, yields)`,
  ].join('; ');
}

/**
 * A 5 ms timer that notes, each time it fires, how late it was and how long the main thread waited for a CPU since it
 * last fired (the second field of /proc/thread-self/schedstat: time runnable but not running, in ns). Lateness minus
 * that wait is the time the loop was held by the process itself: its code, its garbage collector, its system calls.
 */
class OwnDelayWatch {
  private readonly fd: number | undefined;
  private readonly buffer = Buffer.alloc(128);
  private readonly timer: NodeJS.Timeout | undefined;
  private last = performance.now();
  private lastWait = 0;
  private max = 0;
  private stopped = false;

  constructor(private readonly intervalMs = 5) {
    try {
      this.fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      return;
    }
    this.lastWait = this.waitedMs();
    this.timer = setInterval(() => this.tick(), intervalMs);
  }

  private waitedMs(): number {
    const n = readSync(this.fd!, this.buffer, 0, this.buffer.length, 0);
    return Number(this.buffer.toString('latin1', 0, n).split(' ')[1]) / 1e6;
  }

  private tick(): void {
    const now = performance.now();
    const waited = this.waitedMs();
    this.max = Math.max(this.max, now - this.last - this.intervalMs - (waited - this.lastWait));
    this.last = now;
    this.lastWait = waited;
  }

  /** The longest own delay seen, in ms (undefined without schedstat); stops the timer. */
  stop(): number | undefined {
    if (this.fd === undefined) return undefined;
    if (!this.stopped) {
      this.stopped = true;
      clearInterval(this.timer);
      closeSync(this.fd);
    }
    return Math.max(0, this.max);
  }
}
