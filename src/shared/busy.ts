import { StoreBusyError } from '../ports/store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs database work again, after a growing pause, while another process holds the write lock
 * (StoreBusyError), for up to `budgetMs`. The pause is asynchronous: the event loop keeps serving.
 * The work must be safe to repeat after StoreBusyError: a failed statement or transaction changed nothing.
 */
export async function retryWhileBusy<T>(work: () => Promise<T> | T, budgetMs = 30_000): Promise<T> {
  const started = Date.now();
  for (let wait = 25; ; wait = Math.min(wait * 2, 250)) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof StoreBusyError) || Date.now() - started + wait > budgetMs) throw err;
      await sleep(wait);
    }
  }
}
