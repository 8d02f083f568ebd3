import type { Database } from '../ports/store.js';
import { retryWhileBusy } from '../shared/busy.js';
import type { AppLogger } from '../log.js';

/** The database file is gone or replaced: nothing may be written until an operator steps in. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/**
 * Runs request work against the database: refused outright when the file is gone, and retried
 * asynchronously while another process holds the write lock, so the event loop never waits on it.
 */
export async function withDatabase<T>(database: Database, logger: AppLogger, work: () => Promise<T> | T): Promise<T> {
  const problem = database.writesRefused();
  if (problem) {
    logger.error(`refusing a request: ${problem}`);
    throw new DatabaseUnavailable(problem);
  }
  return retryWhileBusy(work);
}
