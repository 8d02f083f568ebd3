import { DateTime } from 'luxon';
import { localDate } from '../domain/plan.js';
import { POINTS, STREAK_BONUSES, streakRun } from '../domain/scoring.js';
import type { Repositories } from '../ports/store.js';
import type { Caller, StudyDeps } from './context.js';

export interface StudyProgress {
  streak: number;
  /** Bonus points this action earned by completing a 7- or 30-day streak. */
  bonus: number;
}

/**
 * The learner's current streak, however long: read in windows that grow until the run is seen to
 * end, so a 60- or 600-day streak is counted whole. Every screen that shows a streak uses this.
 */
export async function streakOf(repos: Repositories, ws: string, user: string, today: string): Promise<number> {
  for (let window = 64; ; window *= 8) {
    const since = DateTime.fromISO(today, { zone: 'UTC' })
      .minus({ days: window + 1 })
      .toISODate()!;
    const run = streakRun(await repos.points.studyDays(ws, user, since), await repos.ledger.missedDays(ws, since), today, window);
    if (!run.unbroken || window > 40_000) return run.days;
  }
}

/** A quiz answered, a milestone done or a tip acknowledged: marks the local day and pays streak bonuses. */
export async function recordStudyAction(tx: Repositories, ws: string, user: string, tz: string, now: Date): Promise<StudyProgress> {
  await tx.users.ensure(ws, user, now);
  const today = localDate(now, tz);
  await tx.points.markStudyDay(ws, user, today);
  const streak = await streakOf(tx, ws, user, today);
  let bonus = 0;
  for (const b of STREAK_BONUSES) {
    // Keyed by the day the length was reached: a later run that reaches it again earns it again.
    if (streak === b.days && (await tx.points.award(ws, user, b.kind, today, POINTS[b.kind], now))) bonus += POINTS[b.kind];
  }
  return { streak, bonus };
}

/** Streak, all-time points and workspace rank, for status and the Home tab. */
export async function standing(deps: StudyDeps, ctx: Caller, tz: string): Promise<{ streak: number; points: number; rank: number | undefined }> {
  return {
    streak: await streakOf(deps.store, ctx.workspaceId, ctx.userId, localDate(ctx.now, tz)),
    ...(await deps.store.points.standing(ctx.workspaceId, ctx.userId)),
  };
}
