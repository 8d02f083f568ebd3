import { DateTime } from 'luxon';
import { zoneOf } from '../domain/timezone.js';
import { formatLocal, nextNudgeAt } from '../domain/due.js';
import { localDate, planPosition } from '../domain/plan.js';
import type { Certification, Track, Week } from '../content/schema.js';
import type { Enrolment } from '../ports/store.js';
import { standing } from './activity.js';
import type { Caller, StudyDeps } from './context.js';
import { type ExamPlan, showExam } from './exam.js';
import { readinessFor, studyExam } from './reviews.js';

/** Where a learner stands on their track: the one read model that status and the Home tab both show. */
export interface LearnerProgress {
  track: Track;
  week: number;
  milestone: Week;
  weekDone: boolean;
  doneCount: number;
  status: 'active' | 'paused' | 'stopped' | 'finished';
  statusNote?: string;
  nextNudge: string;
  streak: number;
  /** Streak freezes banked (earned by a full week of study days; a missed study day spends one). */
  freezes: number;
  points: number;
  rank: number | undefined;
  /** The exam the learner studies for: readiness, reviews due, and the plan back from their exam date. */
  study: StudyPicture | undefined;
}

export interface StudyPicture {
  cert: Certification;
  readiness: number;
  reviewsDue: number;
  plan: ExamPlan | undefined;
}

/** Readiness for the exam the learner studies for, their reviews due, and their exam plan when they set a date. */
export async function studyPicture(deps: StudyDeps, caller: Caller): Promise<StudyPicture | undefined> {
  const cert = await studyExam(deps, caller);
  if (!cert) return undefined;
  const readiness = await readinessFor(deps, caller, cert);
  const reviewsDue = await deps.store.reviews.dueCount(caller.workspaceId, caller.userId, caller.now);
  const exam = await showExam(deps, caller, readiness);
  return { cert, readiness: readiness.overall.readiness, reviewsDue, plan: exam.kind === 'target' ? exam.plan : undefined };
}

/**
 * The enrolment as it stands at `now`: a timed pause whose end has passed reads as active, before the scheduler
 * flips the stored status at the next nudge. Every read (status, Home, resume, the next nudge) goes through this.
 */
export function effectiveEnrolment(enrolment: Enrolment, now: Date): Enrolment {
  if (enrolment.status !== 'paused' || !enrolment.pausedUntil || enrolment.pausedUntil > now) return enrolment;
  return { ...enrolment, status: 'active', pausedUntil: null, statusReason: null, pausedBy: null };
}

/** When the next weekly nudge comes, in words: after a timed pause ends, never once stopped or finished. */
export async function nextNudgeText(deps: StudyDeps, ctx: Caller, tz: string, stored: Enrolment | undefined): Promise<string> {
  const enrolment = stored && effectiveEnrolment(stored, ctx.now);
  if (!enrolment || enrolment.status === 'stopped' || enrolment.status === 'finished') return 'none';
  const user = await deps.store.users.get(ctx.workspaceId, ctx.userId);
  let from = ctx.now;
  if (enrolment.status === 'paused') {
    if (!enrolment.pausedUntil) return 'paused until you resume';
    // A nudge due at the very instant the pause ends goes out (the scheduler sends when the pause ended by then).
    from = new Date(Math.max(ctx.now.getTime(), enrolment.pausedUntil.getTime() - 1));
  }
  return formatLocal(nextNudgeAt(from, tz, user?.nudgeTime ?? '09:00', enrolment.startedOn));
}

export async function learnerProgress(deps: StudyDeps, ctx: Caller, tz: string, stored: Enrolment, track: Track): Promise<LearnerProgress> {
  const enrolment = effectiveEnrolment(stored, ctx.now);
  const position = planPosition(track, enrolment.startedOn, localDate(ctx.now, tz));
  const done = await deps.store.enrolments.doneWeeks(enrolment.id);
  const pausedNote =
    enrolment.status === 'paused'
      ? enrolment.pausedUntil
        ? `until ${formatLocal(DateTime.fromJSDate(enrolment.pausedUntil, { zone: zoneOf(tz) }))}`
        : 'until you resume'
      : undefined;
  return {
    track,
    week: position.week,
    milestone: position.milestone!,
    weekDone: done.includes(position.week),
    doneCount: done.length,
    // Past the last week an active learner has finished; a stopped one stays stopped.
    status: position.finished && enrolment.status === 'active' ? 'finished' : enrolment.status,
    statusNote: enrolment.pausedBy === 'slack' ? `(Slack answered ${enrolment.statusReason})` : (pausedNote ?? enrolment.statusReason ?? undefined),
    nextNudge: await nextNudgeText(deps, ctx, tz, enrolment),
    ...(await standing(deps, ctx, tz)),
    study: await studyPicture(deps, ctx),
  };
}
