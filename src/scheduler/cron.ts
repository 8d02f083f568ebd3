import cron, { type ScheduledTask } from 'node-cron';
import type { AppLogger } from '../log.js';
import type { Clock } from '../shared/clock.js';

export interface PassSummary {
  due: number;
  sent: number;
  late: number;
  missed: number;
  failed: number;
  retried: number;
  rateLimited: number;
}

export const emptySummary = (): PassSummary => ({ due: 0, sent: 0, late: 0, missed: 0, failed: 0, retried: 0, rateLimited: 0 });

export interface SchedulerState {
  state: 'stopped' | 'idle' | 'running';
  lastPassAt: string | null;
  lastSummary: PassSummary | null;
  lastError: string | null;
}

/**
 * How long after start() node-cron is armed. Arming it (parsing the expression, the first time-zone formatter, the next
 * match) takes 15–140 ms of CPU, which a process just started would otherwise spend before it answers its first request.
 */
export const ARM_DELAY_MS = 1000;

/**
 * node-cron fires the pass once a minute; the pass itself (and SQLite) decide what is due, so a
 * missed tick only delays work. Overlapping ticks are skipped, not queued.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private arming: NodeJS.Timeout | undefined;
  private inFlight: Promise<PassSummary> | undefined;
  private readonly status: SchedulerState = { state: 'stopped', lastPassAt: null, lastSummary: null, lastError: null };

  constructor(
    private readonly runPass: (now: Date) => Promise<PassSummary>,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
    private readonly armDelayMs = ARM_DELAY_MS,
  ) {}

  /**
   * Starts the once-a-minute passes. node-cron is armed ARM_DELAY_MS later, off the start-up path; should a minute
   * begin meanwhile, the pass its tick would have run runs then.
   */
  start(): void {
    if (this.task || this.arming) return;
    const startedAt = this.clock.now();
    this.status.state = 'idle';
    this.arming = setTimeout(() => {
      this.arming = undefined;
      this.task = cron.schedule('* * * * *', () => void this.tick(), { name: 'aipath-scheduler', noOverlap: true });
      if (Math.floor(this.clock.now().getTime() / 60_000) !== Math.floor(startedAt.getTime() / 60_000)) void this.tick();
    }, this.armDelayMs);
    this.arming.unref();
  }

  /** Whether node-cron is armed (for tests). */
  get armed(): boolean {
    return this.task !== undefined;
  }

  /** One pass as of `now` (defaults to the clock); concurrent calls share the pass under way. */
  tick(now: Date = this.clock.now()): Promise<PassSummary> {
    if (this.inFlight) return this.inFlight;
    this.status.state = 'running';
    this.inFlight = this.runPass(now)
      .then((summary) => {
        this.status.lastSummary = summary;
        this.status.lastError = null;
        if (summary.due > 0) this.logger.info(`scheduler pass: ${formatSummary(summary)}`);
        return summary;
      })
      .catch((err: unknown) => {
        this.status.lastError = (err as Error).message;
        this.logger.error('scheduler pass failed', err);
        return emptySummary();
      })
      .finally(() => {
        this.status.lastPassAt = now.toISOString();
        this.status.state = this.task || this.arming ? 'idle' : 'stopped';
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Stops the clock and waits up to `graceMs` for a pass under way to finish its deliveries. */
  async stop(graceMs = 10_000): Promise<void> {
    clearTimeout(this.arming);
    this.arming = undefined;
    await this.task?.destroy();
    this.task = undefined;
    if (this.inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.inFlight, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.status.state = 'stopped';
  }

  state(): SchedulerState {
    return { ...this.status };
  }
}

export function formatSummary(s: PassSummary): string {
  return `due ${s.due}, sent ${s.sent} (${s.late} late), missed ${s.missed}, failed ${s.failed}, retried ${s.retried}, rate-limited ${s.rateLimited}`;
}
