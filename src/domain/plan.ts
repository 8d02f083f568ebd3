import { DateTime } from 'luxon';
import type { Track, Week } from '../content/schema.js';
import { addDays, daysBetween, weekday } from './calendar.js';
import { zoneOf } from './timezone.js';

/** The calendar date (YYYY-MM-DD) at `now` in `tz`. */
export function localDate(now: Date, tz: string): string {
  // zoneOf reads a name it does not know as UTC, so the date is always valid.
  return DateTime.fromJSDate(now, { zone: zoneOf(tz) }).toISODate()!;
}

/**
 * The first Monday strictly after the join date: where week 2 starts. A learner who joins on a Monday has a
 * full week 1 (their first nudge is the next Monday's); one who joins on a Sunday has a one-day week 1.
 */
function firstMondayAfter(startedOn: string): string {
  return addDays(startedOn, 8 - weekday(startedOn));
}

/**
 * Weeks follow the weekly nudge, which comes on Mondays: week 1 runs from the local join date to the first Monday
 * after it, and each Monday opens the next week, so the Monday nudge always announces the week it opens. Week n
 * (n ≥ 2) starts on the (n − 1)th Monday after the join date; the join date itself never opens week 2, and
 * no nudge comes on it (see nextNudgeAt in due.ts). Counted in local dates, so only the calendar matters.
 */
export function weekNumber(startedOn: string, today: string): number {
  const days = daysBetween(firstMondayAfter(startedOn), today);
  return days < 0 ? 1 : Math.floor(days / 7) + 2;
}

/** The local date on which week `week` starts: the join date for week 1, a Monday for every later week. */
export function weekStartsOn(startedOn: string, week: number): string {
  if (week <= 1) return startedOn;
  return addDays(firstMondayAfter(startedOn), 7 * (week - 2));
}

export interface PlanPosition {
  week: number;
  totalWeeks: number;
  milestone: Week | undefined;
  finished: boolean;
}

export function planPosition(track: Track, startedOn: string, today: string): PlanPosition {
  const totalWeeks = track.weeks.length;
  const week = Math.max(1, weekNumber(startedOn, today));
  return { week: Math.min(week, totalWeeks), totalWeeks, milestone: track.weeks[Math.min(week, totalWeeks) - 1], finished: week > totalWeeks };
}

/** A text progress bar: "▰▰▰▱▱▱▱▱▱▱ 30%". */
export function progressBar(done: number, total: number, width = 10): string {
  const share = total <= 0 ? 0 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${Math.round(share * 100)}%`;
}

/** Parses "9:05" or "09:05" into "09:05"; undefined for anything else. */
export function parseClockTime(s: string): string | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s.trim());
  return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : undefined;
}

/**
 * The exam a week of the track prepares for: the week's own exam, else the next week's that names one (the
 * phase it leads into), else the last one named before it, else the track's first exam.
 */
export function phaseExam(track: Track, week: number): string {
  const at = Math.min(Math.max(week, 1), track.weeks.length) - 1;
  const ahead = track.weeks.slice(at).find((w) => w.cert);
  const behind = track.weeks
    .slice(0, at)
    .reverse()
    .find((w) => w.cert);
  return ahead?.cert ?? behind?.cert ?? track.certifications[0]!;
}
