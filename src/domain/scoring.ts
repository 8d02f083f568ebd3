import { addDays, dayNumber, weekday, weekdayOfDayNumber } from './calendar.js';

export const POINTS = {
  channel_quiz: 10,
  personal_quiz: 5,
  milestone: 25,
  streak_7: 20,
  streak_30: 100,
} as const;

export type PointsKind = keyof typeof POINTS;

/** The streak lengths that earn a bonus when reached. */
export const STREAK_BONUSES: readonly { days: number; kind: PointsKind }[] = [
  { days: 7, kind: 'streak_7' },
  { days: 30, kind: 'streak_30' },
];

const previousDay = (date: string) => addDays(date, -1);

/**
 * Consecutive local days with a study action, ending today (or yesterday, since today is not over),
 * looking back at most `maxDays`. Days on which aipath itself missed a delivery neither count nor
 * break the streak. `unbroken` says the run went past `maxDays`: look further back to see it whole.
 */
export function streakRun(
  activeDays: ReadonlySet<string>,
  excusedDays: ReadonlySet<string>,
  today: string,
  maxDays: number,
): { days: number; unbroken: boolean } {
  let day = activeDays.has(today) ? today : previousDay(today);
  let streak = 0;
  for (let i = 0; i < maxDays; i++, day = previousDay(day)) {
    if (activeDays.has(day)) streak += 1;
    else if (!excusedDays.has(day)) return { days: streak, unbroken: false };
  }
  return { days: streak, unbroken: true };
}

/** The learner's study days (`/aipath settings days`): every day, or Monday to Friday only. */
export type StudyDays = 'all' | 'weekdays';

/** At most this many streak freezes are banked at a time. */
export const MAX_FREEZES = 2;

/** How many study days in a row make a full week, which earns a streak freeze. */
export const fullWeekOf = (studyDays: StudyDays) => (studyDays === 'weekdays' ? 5 : 7);

/** Whether a local date ('YYYY-MM-DD') is a Saturday or a Sunday. */
export function isWeekend(date: string): boolean {
  return weekday(date) >= 6;
}

/** Whether a local date is one of the learner's study days: with weekdays, Saturday and Sunday are not. */
export function isStudyDay(date: string, studyDays: StudyDays): boolean {
  return studyDays === 'all' || !isWeekend(date);
}

export interface StreakState {
  /** Study days in the current run (days a freeze covered keep the run but do not add to it). */
  days: number;
  /** Freezes banked now. */
  freezes: number;
  /**
   * Whether the result holds whatever came before `from`: true when replayed from the first study day, or when
   * the window holds three missed study days in a row (no bank of at most two freezes survives them).
   */
  exact: boolean;
}

/**
 * The current streak, replayed day by day from `from` (default: the first active day) to `today`:
 * - only study days count: with `weekdays`, Saturday and Sunday neither break nor extend a streak;
 * - a day on which aipath missed its own delivery (`excusedDays`) neither counts nor breaks;
 * - a full week of study days in a row (7, or 5 with weekdays) earns a freeze, at most `MAX_FREEZES` banked;
 *   a missed study day spends one automatically and keeps the streak (it does not add to it, and starts the
 *   next full week over); with none banked, the streak breaks and starts again;
 * - today is not over: not having studied yet today breaks nothing.
 * Pure: freezes need no storage, they are derived by replaying the study days.
 */
export function streakState(
  activeDays: ReadonlySet<string>,
  excusedDays: ReadonlySet<string>,
  today: string,
  studyDays: StudyDays,
  from?: string,
): StreakState {
  const active = new Set([...activeDays].map(dayNumber));
  const excused = new Set([...excusedDays].map(dayNumber));
  const end = dayNumber(today);
  let start = end;
  if (from !== undefined) start = dayNumber(from);
  else for (const day of active) start = Math.min(start, day);
  const weekLength = fullWeekOf(studyDays);
  let days = 0;
  let freezes = 0;
  let inARow = 0;
  let missedInARow = 0;
  let exact = from === undefined;
  for (let day = start; day <= end; day++) {
    if (studyDays === 'weekdays' && weekdayOfDayNumber(day) > 5) continue;
    if (active.has(day)) {
      days += 1;
      missedInARow = 0;
      inARow += 1;
      if (inARow === weekLength) {
        inARow = 0;
        freezes = Math.min(MAX_FREEZES, freezes + 1);
      }
    } else if (excused.has(day) || day === end) {
      // aipath's own miss, or today, which is not over.
    } else {
      inARow = 0;
      missedInARow += 1;
      if (missedInARow > MAX_FREEZES) exact = true;
      if (freezes > 0) freezes -= 1;
      else days = 0;
    }
  }
  return { days, freezes, exact };
}

/** Personal practice (`/aipath quiz`) scores at most this many right answers per learner per local day. */
export const DAILY_PRACTICE_SCORED = 10;

/**
 * Whether a right practice answer scores, given how many already scored today, and whether it is the last
 * one that does today: the cap keeps tapping at random from buying a rank.
 */
export function practiceScoring(scoredToday: number): { pays: boolean; last: boolean } {
  return { pays: scoredToday < DAILY_PRACTICE_SCORED, last: scoredToday === DAILY_PRACTICE_SCORED - 1 };
}

/** The longest run in a set of days, with the same excuse rule. */
export function longestStreak(activeDays: ReadonlySet<string>, excusedDays: ReadonlySet<string>): number {
  let best = 0;
  for (const day of activeDays) {
    // Only count from the start of a run: a day whose previous (non-excused) day is inactive.
    let prev = previousDay(day);
    while (excusedDays.has(prev)) prev = previousDay(prev);
    if (activeDays.has(prev)) continue;
    let length = 0;
    let d = day;
    for (let i = 0; i < 1000; i++) {
      if (activeDays.has(d)) length += 1;
      else if (!excusedDays.has(d)) break;
      d = addDays(d, 1);
    }
    best = Math.max(best, length);
  }
  return best;
}

export interface Ranked<T> {
  rank: number;
  item: T;
}

/** Standard competition ranking: equal scores share a rank, and the next rank skips (1, 1, 3). */
export function rankByScore<T>(items: readonly T[], score: (t: T) => number): Ranked<T>[] {
  const sorted = [...items].sort((a, b) => score(b) - score(a));
  const out: Ranked<T>[] = [];
  sorted.forEach((item, i) => {
    const prev = out[i - 1];
    out.push({ rank: prev && score(prev.item) === score(item) ? prev.rank : i + 1, item });
  });
  return out;
}
