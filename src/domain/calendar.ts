/**
 * Calendar dates as 'YYYY-MM-DD' strings, counted on the Gregorian calendar with no timezone: a day is a day.
 *
 * Integer arithmetic rather than luxon: answering `status` alone does this some dozens of times (plan weeks, the
 * exam countdown, streaks), and building a luxon DateTime for each step was a fifth of the command's CPU time
 * (measured with --cpu-prof under bench/ack.ts's load), time the acknowledgements of other requests waited behind.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar date; a RangeError for anything else ('2027-02-30', '2027-2-3'). */
export function dayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are; a day past the month's end rolls over: caught below.
    const at = new Date(0);
    at.setUTCFullYear(year, month - 1, day);
    if (at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day) return at.getTime() / DAY_MS;
  }
  throw new RangeError(`not a calendar date: ${date}`);
}

/** The calendar date `n` days after 1970-01-01 (years 0000–9999). */
export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from `fromDate` to `toDate`: negative when `toDate` comes first. */
export function daysBetween(fromDate: string, toDate: string): number {
  return dayNumber(toDate) - dayNumber(fromDate);
}

/** ISO weekday of a date: 1 for Monday … 7 for Sunday. */
export function weekday(date: string): number {
  return weekdayOfDayNumber(dayNumber(date));
}

/** ISO weekday of a day number (see dayNumber); day 0, 1970-01-01, was a Thursday. */
export function weekdayOfDayNumber(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
