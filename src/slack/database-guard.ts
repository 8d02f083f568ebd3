import { retryWhileBusy } from '../store/busy.js';
import type { AppLogger } from '../log.js';

/** The database file is gone or replaced: nothing may be written until an operator steps in. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

export interface DatabaseGuard {
  /** Why writes must stop, if they must (the file was deleted or replaced under the running bot). */
  fileProblem(): string | undefined;
}

/**
 * Runs request work against the database: refused outright when the file is gone, and retried
 * asynchronously while another process holds the write lock, so the event loop never waits on it.
 */
export async function withDatabase<T>(guard: DatabaseGuard, logger: AppLogger, work: () => Promise<T> | T): Promise<T> {
  const problem = guard.fileProblem();
  if (problem) {
    logger.error(`refusing a request: ${problem}`);
    throw new DatabaseUnavailable(problem);
  }
  return retryWhileBusy(work);
}
