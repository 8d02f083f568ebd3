import { type CalendarUnit, calendarPeriod } from './periods.js';
import { isValidZone } from './timezone.js';

/**
 * The periods leaderboards keep running totals for: the ISO weeks and calendar months of a timezone's calendar, as
 * `periodBounds` draws them for a board (a channel's board uses the channel's timezone); a board counts the points
 * earned in [from, to). A board is keyed by those two instants, so timezones whose weeks begin at the same instants
 * share their week boards. The weeks (and the months) of a zone cover time without overlapping (periods.ts).
 */
export interface BoardPeriod {
  from: Date;
  to: Date;
}

export const BOARD_UNITS: readonly CalendarUnit[] = ['week', 'month'];

export const isZone = (zone: string): boolean => isValidZone(zone);

const bounds = (unit: CalendarUnit, at: Date, zone: string): BoardPeriod => {
  const { from, to } = calendarPeriod(unit, at, zone);
  return { from, to };
};

/** The week and the month of `zone`'s calendar that contain `at`: the boards a point earned then counts on. */
export function boardPeriodsAt(at: Date, zone: string): BoardPeriod[] {
  return BOARD_UNITS.map((unit) => bounds(unit, at, zone));
}

/** Whether [from, to) is exactly one week or one calendar month of `zone`'s calendar. */
export function isBoardPeriod(p: BoardPeriod, zone: string): boolean {
  if (!isZone(zone)) return false;
  return BOARD_UNITS.some((unit) => {
    const b = bounds(unit, p.from, zone);
    return b.from.getTime() === p.from.getTime() && b.to.getTime() === p.to.getTime();
  });
}

/** Every week (or month) of `zone`'s calendar from the one containing `first` to the one containing `last`, in order. */
export function boardPeriodsBetween(unit: CalendarUnit, first: Date, last: Date, zone: string): BoardPeriod[] {
  const periods: BoardPeriod[] = [];
  for (let p = bounds(unit, first, zone); p.from.getTime() <= last.getTime(); p = bounds(unit, p.to, zone)) periods.push(p);
  return periods;
}

/** The index of the period containing `t` (ms) among consecutive `periods` (as boardPeriodsBetween gives them), or -1. */
export function periodIndex(periods: readonly BoardPeriod[], t: number): number {
  if (periods.length === 0 || t < periods[0]!.from.getTime() || t >= periods.at(-1)!.to.getTime()) return -1;
  let lo = 0;
  let hi = periods.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (periods[mid]!.from.getTime() <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
