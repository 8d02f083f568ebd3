import { addDays } from '../domain/calendar.js';
import { localDate } from '../domain/plan.js';
import { isStudyDay, POINTS, STREAK_BONUSES, streakState } from '../domain/scoring.js';
import type { Repositories } from '../ports/store.js';
import type { Caller, StudyDeps } from './context.js';

export interface StudyProgress {
  streak: number;
  /** Bonus points this action earned by completing a 7- or 30-day streak. */
  bonus: number;
}

/**
 * The learner's current streak and banked freezes, however long the run: replayed over the last 64 days, and
 * over their whole history when those do not show where the run began (three missed study days in a row end
 * any run). Study days are the learner's setting (`/aipath settings days`). Every screen that shows a streak uses this.
 */
export async function streakStatus(repos: Repositories, ws: string, user: string, today: string): Promise<{ days: number; freezes: number }> {
  const studyDays = (await repos.users.get(ws, user))?.reviewDays ?? 'all';
  const since = addDays(today, -64);
  const recent = streakState(await repos.points.studyDays(ws, user, since), await repos.ledger.missedDays(ws, since), today, studyDays, since);
  if (recent.exact) return recent;
  const ever = '0000-01-01';
  return streakState(await repos.points.studyDays(ws, user, ever), await repos.ledger.missedDays(ws, ever), today, studyDays);
}

/** The learner's current streak in days (see streakStatus). */
export async function streakOf(repos: Repositories, ws: string, user: string, today: string): Promise<number> {
  return (await streakStatus(repos, ws, user, today)).days;
}

/** A quiz answered, a milestone done or a tip acknowledged: marks the local day and pays streak bonuses. */
export async function recordStudyAction(tx: Repositories, ws: string, user: string, tz: string, now: Date): Promise<StudyProgress> {
  await tx.users.ensure(ws, user, now);
  const today = localDate(now, tz);
  await tx.points.markStudyDay(ws, user, today);
  const streak = await streakOf(tx, ws, user, today);
  // A day that is not a study day (a weekend with `days weekdays`) does not extend the streak, so it reaches nothing.
  const countsToday = isStudyDay(today, (await tx.users.get(ws, user))?.reviewDays ?? 'all');
  let bonus = 0;
  for (const b of STREAK_BONUSES) {
    // Keyed by the day the length was reached: a later run that reaches it again earns it again.
    if (countsToday && streak === b.days && (await tx.points.award(ws, user, b.kind, today, POINTS[b.kind], now))) bonus += POINTS[b.kind];
  }
  return { streak, bonus };
}

/** Streak (with the freezes banked), all-time points and workspace rank, for status and the Home tab. */
export async function standing(
  deps: StudyDeps,
  ctx: Caller,
  tz: string,
): Promise<{ streak: number; freezes: number; points: number; rank: number | undefined }> {
  const { days, freezes } = await streakStatus(deps.store, ctx.workspaceId, ctx.userId, localDate(ctx.now, tz));
  return {
    streak: days,
    freezes,
    ...(await deps.store.points.standing(ctx.workspaceId, ctx.userId)),
  };
}
