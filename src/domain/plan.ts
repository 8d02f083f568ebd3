import { DateTime } from 'luxon';
import type { Track, Week } from '../content/schema.js';

/** The calendar date (YYYY-MM-DD) at `now` in `tz`. */
export function localDate(now: Date, tz: string): string {
  return DateTime.fromJSDate(now, { zone: tz }).toISODate() ?? now.toISOString().slice(0, 10);
}

export function daysBetween(fromDate: string, toDate: string): number {
  const a = DateTime.fromISO(fromDate, { zone: 'UTC' });
  const b = DateTime.fromISO(toDate, { zone: 'UTC' });
  return Math.round(b.diff(a, 'days').days);
}

/** Week 1 is the seven local days starting on the enrolment day. */
export function weekNumber(startedOn: string, today: string): number {
  return Math.floor(daysBetween(startedOn, today) / 7) + 1;
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
