import { DateTime } from 'luxon';

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

const previousDay = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;

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
      d = DateTime.fromISO(d, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
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
