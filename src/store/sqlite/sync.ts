import { StoreBusyError } from '../../ports/store.js';
import { isBusy } from './connection.js';

/**
 * A port's interface as better-sqlite3 serves it: the same methods, answered synchronously. Each
 * repository is written this way and made asynchronous in one place (index.ts), so that its type
 * is checked against the port it implements.
 */
export type Synchronous<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
};

/** An instant as SQLite stores it: ISO-8601 in UTC, which also sorts as text. */
export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const dateOrNull = (s: string | null): Date | null => (s === null ? null : new Date(s));

/** SQLITE_BUSY becomes the engine-neutral StoreBusyError; anything else passes unchanged. */
export function translateError(err: unknown): unknown {
  return isBusy(err) ? new StoreBusyError((err as Error).message) : err;
}
