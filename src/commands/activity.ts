import { DateTime } from 'luxon';
import { localDate } from '../core/plan.js';
import { currentStreak, POINTS, STREAK_BONUSES } from '../core/scoring.js';
import type { Stores } from '../store/index.js';
import type { CommandContext, StudyDeps } from './context.js';

export interface StudyProgress {
  streak: number;
  /** Bonus points this action earned by completing a 7- or 30-day streak. */
  bonus: number;
}

/** How far back streaks are read: beyond the longest bonus, so a 30-day run is always seen whole. */
const STREAK_WINDOW_DAYS = 45;

export function streakOf(stores: Stores, ws: string, user: string, tz: string, now: Date): number {
  const today = localDate(now, tz);
  const since = DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: 400 }).toISODate()!;
  return currentStreak(stores.points.studyDays(ws, user, since), stores.points.excusedDays(ws, since), today);
}

/** A quiz answered, a milestone done or a tip acknowledged: marks the local day and pays streak bonuses. */
export function recordStudyAction(stores: Stores, ws: string, user: string, tz: string, now: Date): StudyProgress {
  stores.users.ensure(ws, user, now);
  const today = localDate(now, tz);
  stores.points.markStudyDay(ws, user, today);
  const since = DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: STREAK_WINDOW_DAYS }).toISODate()!;
  const streak = currentStreak(stores.points.studyDays(ws, user, since), stores.points.excusedDays(ws, since), today);
  let bonus = 0;
  for (const b of STREAK_BONUSES) {
    // Keyed by the day the length was reached: a later run that reaches it again earns it again.
    if (streak === b.days && stores.points.award(ws, user, b.kind, today, POINTS[b.kind], now)) bonus += POINTS[b.kind];
  }
  return { streak, bonus };
}

/** Streak, all-time points and workspace rank, for status and the Home tab. */
export function standing(deps: StudyDeps, ctx: CommandContext, tz: string): { streak: number; points: number; rank: number | undefined } {
  return { streak: streakOf(deps.stores, ctx.workspaceId, ctx.userId, tz, ctx.now), ...deps.stores.points.standing(ctx.workspaceId, ctx.userId) };
}
