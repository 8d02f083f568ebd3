import { HOUR_MS } from '../domain/due.js';
import type { AppLogger } from '../log.js';
import type { Store } from '../ports/store.js';
import { purgeExpired } from '../services/installs.js';
import { errorMessage } from '../shared/errors.js';

/** How often (in pass time) a process looks for workspaces whose retention period is over: periods are days long. */
export const RETENTION_CHECK_EVERY_MS = HOUR_MS;

/**
 * The retention purge as the scheduler runs it: from a pass, after its deliveries, at most once every
 * RETENTION_CHECK_EVERY_MS of pass time per process (the first pass always looks; so does one whose time went back,
 * as `tick --now` may), so most passes spend nothing on it and the others one indexed query when nothing expired.
 */
export class RetentionSweep {
  private lastLook: number | undefined;

  constructor(
    readonly retentionDays: number,
    private readonly everyMs = RETENTION_CHECK_EVERY_MS,
  ) {}

  /** Purges what expired by `now` if it is time to look; the workspaces purged. Never throws: the next look retries. */
  async run(store: Store, now: Date, logger: AppLogger): Promise<string[]> {
    const t = now.getTime();
    if (this.lastLook !== undefined && t >= this.lastLook && t - this.lastLook < this.everyMs) return [];
    try {
      const purged = await purgeExpired(store, now, this.retentionDays);
      this.lastLook = t;
      for (const ws of purged) logger.info(`purged every row of workspace ${ws}: uninstalled more than ${this.retentionDays} days ago`);
      return purged;
    } catch (err) {
      logger.warn(`could not purge the data of uninstalled workspaces: ${errorMessage(err)}`);
      return [];
    }
  }
}
