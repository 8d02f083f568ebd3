/**
 * The one source of "now": production reads the wall clock, the console and tests move their own.
 * Nothing else calls `new Date()` for the current time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
