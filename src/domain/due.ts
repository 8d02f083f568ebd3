import { DateTime } from 'luxon';
import { calendarPeriod } from './periods.js';
import { zoneOf } from './timezone.js';

/** The next local Monday at `hhmm` in `tz`, strictly after `now`. */
export function nextWeeklyAt(now: Date, tz: string, hhmm: string, weekday = 1): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: zoneOf(tz) });
  let candidate = local.set({ hour: h, minute: m, second: 0, millisecond: 0 }).plus({ days: (weekday - local.weekday + 7) % 7 });
  if (candidate <= local) candidate = candidate.plus({ weeks: 1 });
  return candidate;
}

/**
 * A learner's next weekly nudge strictly after `now`: the next local Monday at `hhmm`, but never on or before the
 * local date they joined (`startedOn`). Week 1 runs from joining to the first Monday after it (see plan.ts), so a
 * learner who joins on a Monday before their nudge time is not nudged an hour later about what they just saw.
 */
export function nextNudgeAt(now: Date, tz: string, hhmm: string, startedOn: string): DateTime {
  // One millisecond before the first local midnight after the join date, so a 00:00 nudge on that Monday counts.
  const joinDayEnds = DateTime.fromISO(startedOn, { zone: zoneOf(tz) })
    .plus({ days: 1 })
    .minus({ milliseconds: 1 });
  return nextWeeklyAt(new Date(Math.max(now.getTime(), joinDayEnds.toMillis())), tz, hhmm);
}

/**
 * When a pause of `days` days made at `now` ends: at the start (00:00) of the learner's local day `days` days on,
 * not `days` × 24 h after the click, so `pause 7` right after Monday's nudge ends before next Monday's, which
 * comes as usual. (The "Snooze a week" button skips exactly that next nudge instead: see the pause use case.)
 */
export function pauseEndsAt(now: Date, tz: string, days: number): DateTime {
  return DateTime.fromJSDate(now, { zone: zoneOf(tz) })
    .startOf('day')
    .plus({ days });
}

/** The learner's local calendar day around `now`, as instants: from its 00:00 to the next day's (23 or 25 hours across DST). */
export function localDayBounds(now: Date, tz: string): { from: Date; to: Date } {
  const start = DateTime.fromJSDate(now, { zone: zoneOf(tz) }).startOf('day');
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

/** "Mon 23 Nov, 09:00 Europe/London": how a person reads a due time. */
export function formatLocal(dt: DateTime): string {
  return `${dt.toFormat('ccc d LLL, HH:mm')} ${dt.zoneName}`;
}

/** The next local occurrence of `hhmm` in `tz`, strictly after `now`. */
export function nextDailyAt(now: Date, tz: string, hhmm: string): DateTime {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: zoneOf(tz) });
  const today = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  return today > local ? today : today.plus({ days: 1 });
}

/** A channel's next daily post strictly after `now`: the next `hhmm` in `tz`, on a weekday unless `weekends`. */
export function nextChannelPostAt(now: Date, tz: string, hhmm: string, weekends: boolean): DateTime {
  let next = nextDailyAt(now, tz, hhmm);
  while (!weekends && next.weekday >= 6) next = nextDailyAt(next.toJSDate(), tz, hhmm);
  return next;
}

/** ISO week label of a local date, e.g. "2026-W48": the period of weekly deliveries. */
export function isoWeekOf(localDate: string): string {
  const d = DateTime.fromISO(localDate, { zone: 'UTC' });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

export type PeriodName = 'week' | 'month' | 'all';

/**
 * The UTC bounds of the ISO week or calendar month containing `now` in `tz` (offset by `back` periods), with the
 * timezone whose calendar drew them (boards of such periods are read from running totals). See periods.ts.
 */
export function periodBounds(period: PeriodName, now: Date, tz: string, back = 0): { from: Date; to: Date; label: string; zone?: string } {
  if (period === 'all') return { from: new Date('0000-01-01T00:00:00.000Z'), to: new Date('9999-12-31T23:59:59.999Z'), label: 'all time' };
  const { from, to, startDate: start } = calendarPeriod(period, now, tz, back);
  const label = period === 'week' ? `week ${start.toFormat("kkkk-'W'WW")} (from ${start.toFormat('d LLL')})` : start.toFormat('LLLL yyyy');
  return { from, to, label, zone: tz };
}
