import { DateTime, type Zone } from 'luxon';
import { zoneOf } from './timezone.js';

/**
 * ISO weeks and calendar months of a timezone's calendar as ranges of instants [from, to): a period begins at the
 * first instant of its first local day, and ends where the next begins, so the periods of one unit cover time
 * without overlapping (each instant is in exactly one week and one month). That matters where clocks change at
 * midnight: drawn with luxon's `startOf` and `plus`, August 2014 in Africa/Cairo ended an hour after September
 * began, and November 2009 in America/Goose_Bay began at 03:00 or 04:00 UTC depending on the minute it was drawn,
 * so a point could count on two months, or a board change its bounds.
 */
export type CalendarUnit = 'week' | 'month';

export interface CalendarPeriod {
  from: Date;
  to: Date;
  /** The local date (UTC-based, for calendar arithmetic and formatting) on which the period begins. */
  startDate: DateTime;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * The first instant of local date `date` (a UTC DateTime carrying the date) in `zone`: local midnight, the earlier
 * of two when clocks go back over it, or the first instant after the gap when they skip it.
 */
function dayStart(date: DateTime, zone: Zone): number {
  const midnight = Date.UTC(date.year, date.month - 1, date.day);
  let first = Number.POSITIVE_INFINITY;
  for (const offset of [zone.offset(midnight - DAY_MS), zone.offset(midnight + DAY_MS)]) {
    const candidate = midnight - offset * MINUTE_MS;
    if (candidate + zone.offset(candidate) * MINUTE_MS === midnight) first = Math.min(first, candidate);
  }
  return Number.isFinite(first) ? first : DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone }).toMillis();
}

/**
 * The last period drawn per unit and zone: periods cover time without overlapping, so the one containing an instant
 * is the only one, and nearly every instant asked about (an award, a board) falls in the current week and month.
 */
const lastDrawn = new Map<string, CalendarPeriod>();

/** The week or month of `zone`'s calendar that contains `at`, or the one `back` periods before it. */
export function calendarPeriod(unit: CalendarUnit, at: Date, zoneName: string, back = 0): CalendarPeriod {
  const t = at.getTime();
  const key = `${unit} ${zoneName}`;
  const last = lastDrawn.get(key);
  if (back === 0 && last && last.from.getTime() <= t && t < last.to.getTime()) return copy(last);
  const drawn = draw(unit, t, zoneOf(zoneName), back);
  if (back === 0) lastDrawn.set(key, drawn);
  return copy(drawn);
}

/** Dates are mutable: nobody gets the cached ones. */
const copy = (p: CalendarPeriod): CalendarPeriod => ({ from: new Date(p.from), to: new Date(p.to), startDate: p.startDate });

function draw(unit: CalendarUnit, t: number, zone: Zone, back: number): CalendarPeriod {
  const local = DateTime.fromMillis(t, { zone });
  const first = DateTime.utc(local.year, local.month, local.day).startOf(unit);
  const startOf = (n: number) => first.plus({ [`${unit}s`]: n });
  // The local date says which period; the instants decide where clocks going back make the date run backwards.
  let k = 0;
  if (t < dayStart(first, zone)) k = -1;
  else if (t >= dayStart(startOf(1), zone)) k = 1;
  k -= back;
  return { from: new Date(dayStart(startOf(k), zone)), to: new Date(dayStart(startOf(k + 1), zone)), startDate: startOf(k) };
}
