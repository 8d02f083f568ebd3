import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.js';
import type { ConnectionGate } from './gate.js';

/**
 * Moves SQLite's checkpoints (copying the write-ahead log into the database file, and the fsyncs that go with them)
 * off the event loop. By default the connection that commits a transaction pushing the log past 1,000 pages runs the
 * checkpoint itself, synchronously: tens of milliseconds on a quiet disk, hundreds on a busy one, during which the one
 * connection aipath serves Slack with answers nothing. Here that connection only ever appends to the log, and a worker
 * thread with a connection of its own checkpoints (PASSIVE: it never waits for, nor holds up, readers and writers)
 * whenever anything was written since it last did. Commits in WAL mode with synchronous=NORMAL do not sync, so the
 * event loop then never waits for the disk to sync.
 *
 * The log starts again from its beginning only when a writer finds it copied to its end, and a checkpoint that runs
 * beside a steady stream of commits (a pass of thousands of deliveries writes several a delivery) never gets there:
 * it copies what was in the log when it began, while more is appended. Left alone, the log would grow to the
 * connection's own mark and that connection would then checkpoint, synchronously, fsyncs included: the event loop held
 * for tens of milliseconds on a quiet disk, hundreds on a busy one (SQLite's part of a 13,332-delivery pass,
 * bench/README.md). So once a round finds the log past `catchUpPages`, the next round holds the connection's
 * statements back (the ConnectionGate: they wait, asynchronously, as behind a transaction) while the worker copies the
 * rest, which is at most what a round's interval appended: the log is then copied to its end, and the next commit
 * starts it again from its beginning.
 *
 * The connection keeps an automatic checkpoint at a higher mark in case the worker falls behind, and goes back to
 * SQLite's default if the worker fails: the log never grows without bound.
 *
 * The worker starts at the first round (a second after the store opens), not with the store: a thread with a Node.js
 * of its own costs about 100 ms of CPU to start, which a process would otherwise spend before it serves its first
 * request (README, the startup benchmark). Until then the higher mark applies.
 */
export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  private readonly module: string;
  private readonly timer: NodeJS.Timeout;
  private readonly totalChanges;
  private lastChanges = -1;
  private busy = false;
  private closed = false;
  /** The last round left the log past the catch-up mark: the next one holds the connection's statements back. */
  private catchUp = false;
  /** Ends the round in progress (its gate, if it holds one). */
  private roundEnded: () => void = () => {};
  /** Checkpoints the worker has completed (for tests). */
  completed = 0;
  /** Of which, rounds that held the connection's statements back until the log was copied to its end (for tests). */
  caughtUp = 0;

  /** `gate`: the connection's, so that a round can hold its statements back; without one, rounds never do. */
  constructor(
    private readonly db: Db,
    private readonly path: string,
    intervalMs = CHECKPOINT_INTERVAL_MS,
    private readonly gate?: ConnectionGate,
    private readonly marks: CheckpointMarks = CHECKPOINT_MARKS,
  ) {
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    db.pragma(`wal_autocheckpoint = ${marks.fallbackPages}`);
    this.module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Whether the worker thread has been started (for tests). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  private startWorker(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: this.module, path: this.path } });
    worker.unref();
    worker.on('message', (result: CheckpointResult | null) => {
      this.busy = false;
      this.completed += 1;
      // The log's length as the round began (it copied that far; commits since went on appending). After a round that
      // held statements back, the log was copied to its end and the next commit starts it again: no need to catch up.
      // A round that failed (null) says nothing about the log.
      this.catchUp = !this.catchUp && result !== null && result.log >= this.marks.catchUpPages;
      this.roundEnded();
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    return worker;
  }

  private tick(): void {
    if (this.busy || this.closed) return;
    // total_changes counts this connection's writes: an idle database is never checkpointed again and again.
    const changes = Number(this.totalChanges.get());
    if (changes === this.lastChanges) return;
    this.lastChanges = changes;
    this.busy = true;
    this.worker ??= this.startWorker();
    const worker = this.worker;
    const round = () =>
      new Promise<void>((resolve) => {
        this.roundEnded = resolve;
        worker.postMessage('checkpoint');
      });
    if (!this.catchUp || !this.gate) {
      void round();
      return;
    }
    this.caughtUp += 1;
    // Nothing is appended while the gate is held: the worker copies the log to its end. A round that takes longer
    // than MAX_HOLD_MS (a disk that stalls) lets statements through again; its checkpoint goes on beside them.
    void this.gate.exclusive(() => Promise.race([round(), new Promise<void>((resolve) => setTimeout(resolve, MAX_HOLD_MS).unref())]));
  }

  /** The worker is gone: the connection checkpoints by itself again, as SQLite does by default. */
  private fallBack(): void {
    clearInterval(this.timer);
    this.roundEnded();
    if (this.closed || !this.db.open) return;
    this.closed = true;
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }

  /** Stops the worker (a checkpoint it is in the middle of stops safely: the log stays authoritative). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.worker?.terminate();
    this.roundEnded();
  }
}

/** How often the worker is asked to checkpoint, when anything was written since. */
export const CHECKPOINT_INTERVAL_MS = 1000;
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** The longest a catching-up round holds the connection's statements back. */
const MAX_HOLD_MS = 1000;

/** Lengths of the log, in pages (4 KB), at which the checkpoints change. */
export interface CheckpointMarks {
  /** A round that finds the log this long or longer, not copied to its end, has the next round hold statements back. */
  catchUpPages: number;
  /** The connection's own checkpoint, should the worker fall behind. */
  fallbackPages: number;
}
/** 16 MB of log, then 40 MB. */
export const CHECKPOINT_MARKS: CheckpointMarks = { catchUpPages: 4_000, fallbackPages: 10_000 };

/** What PRAGMA wal_checkpoint answers: whether it was blocked, the log's frames and how many are in the file now. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// CommonJS, evaluated in the worker (no file to find from both src/ under tsx and dist/): better-sqlite3 is loaded from
// the path the main thread resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
parentPort.on('message', () => {
  let result = null;
  try {
    [result] = db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another process checkpoints) or briefly unavailable: the next round tries again.
  }
  parentPort.postMessage(result ?? null);
});
`;
