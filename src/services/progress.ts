import { DateTime } from 'luxon';
import { formatLocal, nextWeeklyAt } from '../domain/due.js';
import { localDate, planPosition } from '../domain/plan.js';
import type { Track, Week } from '../content/schema.js';
import type { Enrolment } from '../ports/store.js';
import { standing } from './activity.js';
import type { Caller, StudyDeps } from './context.js';

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
  points: number;
  rank: number | undefined;
}

/** When the next weekly nudge comes, in words: after a timed pause ends, never once stopped or finished. */
export async function nextNudgeText(deps: StudyDeps, ctx: Caller, tz: string, enrolment: Enrolment | undefined): Promise<string> {
  if (!enrolment || enrolment.status === 'stopped' || enrolment.status === 'finished') return 'none';
  const user = await deps.store.users.get(ctx.workspaceId, ctx.userId);
  let from = ctx.now;
  if (enrolment.status === 'paused') {
    if (!enrolment.pausedUntil) return 'paused until you resume';
    from = new Date(Math.max(ctx.now.getTime(), enrolment.pausedUntil.getTime()));
  }
  return formatLocal(nextWeeklyAt(from, tz, user?.nudgeTime ?? '09:00'));
}

export async function learnerProgress(deps: StudyDeps, ctx: Caller, tz: string, enrolment: Enrolment, track: Track): Promise<LearnerProgress> {
  const position = planPosition(track, enrolment.startedOn, localDate(ctx.now, tz));
  const done = await deps.store.enrolments.doneWeeks(enrolment.id);
  const pausedNote =
    enrolment.status === 'paused'
      ? enrolment.pausedUntil
        ? `until ${formatLocal(DateTime.fromJSDate(enrolment.pausedUntil, { zone: tz }))}`
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
  };
}
