import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.js';

/**
 * Moves SQLite's checkpoints (copying the write-ahead log into the database file, and the fsyncs that go with them)
 * off the event loop. By default the connection that commits a transaction pushing the log past 1,000 pages runs the
 * checkpoint itself, synchronously: tens of milliseconds on a quiet disk, hundreds on a busy one, during which the one
 * connection aipath serves Slack with answers nothing. Here that connection only ever appends to the log, and a worker
 * thread with a connection of its own checkpoints (PASSIVE: it never waits for, nor holds up, readers and writers)
 * whenever anything was written since it last did. Commits in WAL mode with synchronous=NORMAL do not sync, so the
 * event loop then never waits for the disk to sync.
 *
 * While the connection writes without pause (a scheduler pass of thousands of deliveries writes the log at 10–20 MB a
 * second), the worker's checkpoints copy the log into the file but cannot start it over: SQLite restarts the log only
 * when a writer begins after everything in it was copied, and there is always more. So the log grows for as long as
 * the pass writes, and once the database is idle the worker copies the rest and truncates it to nothing. The
 * connection's own automatic checkpoint stays as a safety net, far above what a pass writes (see
 * FALLBACK_AUTOCHECKPOINT_PAGES), and goes back to SQLite's default if the worker fails: the log never grows without
 * bound.
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
  /** The log has been truncated since the last write (nothing for the worker to do while idle). */
  private truncated = true;
  private busy = false;
  private closed = false;
  /** Checkpoints the worker has completed (for tests). */
  completed = 0;

  constructor(
    private readonly db: Db,
    private readonly path: string,
    intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
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
    worker.on('message', (done: { mode: CheckpointMode; complete: boolean }) => {
      this.busy = false;
      this.completed += 1;
      // A truncation that found a reader or writer in the way is tried again at the next idle round.
      if (done.mode === 'TRUNCATE') this.truncated = done.complete;
    });
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    return worker;
  }

  private tick(): void {
    if (this.busy || this.closed) return;
    // total_changes counts this connection's writes: an idle database is never checkpointed again and again.
    const changes = Number(this.totalChanges.get());
    if (changes === this.lastChanges && this.truncated) return;
    // Written since the last round: copy what can be copied. Idle since: copy the rest and truncate the log.
    const mode: CheckpointMode = changes === this.lastChanges ? 'TRUNCATE' : 'PASSIVE';
    this.lastChanges = changes;
    this.truncated = false;
    this.busy = true;
    this.worker ??= this.startWorker();
    this.worker.postMessage(mode);
  }

  /** The worker is gone: the connection checkpoints by itself again, as SQLite does by default. */
  private fallBack(): void {
    clearInterval(this.timer);
    if (this.closed || !this.db.open) return;
    this.closed = true;
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }

  /** Stops the worker (a checkpoint it is in the middle of stops safely: the log stays authoritative). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.worker?.terminate();
  }
}

/** How often the worker is asked to checkpoint, when anything was written since. */
export const CHECKPOINT_INTERVAL_MS = 1000;
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/**
 * The connection's own checkpoint, should the worker fall behind: 1 GiB of log with 4 KiB pages. At 10,000 pages
 * (40 MB) it ran every few seconds during a pass of 13,332 deliveries, each time an fsync of the log and of the file on
 * the event loop (20–90 ms, and the event loop's longest blocks: bench/README.md).
 */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 262_144;

type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

// CommonJS, evaluated in the worker (no file to find from both src/ under tsx and dist/): better-sqlite3 is loaded from
// the path the main thread resolved.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
parentPort.on('message', (mode) => {
  let complete = false;
  try {
    const [r] = db.pragma('wal_checkpoint(' + (mode === 'TRUNCATE' ? 'TRUNCATE' : 'PASSIVE') + ')');
    complete = r.busy === 0 && r.log === r.checkpointed;
  } catch {
    // Busy (another process checkpoints) or briefly unavailable: the next round tries again.
  }
  parentPort.postMessage({ mode, complete });
});
`;
