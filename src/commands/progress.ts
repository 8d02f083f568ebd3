import { DateTime } from 'luxon';
import { formatLocal, nextWeeklyAt } from '../core/due.js';
import { localDate, planPosition } from '../core/plan.js';
import type { Track, Week } from '../content/schema.js';
import type { EnrolmentRow } from '../store/enrolments.js';
import { standing } from './activity.js';
import type { CommandContext, StudyDeps } from './context.js';

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
export function nextNudgeText(deps: StudyDeps, ctx: CommandContext, tz: string, enrolment: EnrolmentRow | undefined): string {
  if (!enrolment || enrolment.status === 'stopped' || enrolment.status === 'finished') return 'none';
  const user = deps.stores.users.get(ctx.workspaceId, ctx.userId);
  let from = ctx.now;
  if (enrolment.status === 'paused') {
    if (!enrolment.paused_until) return 'paused until you resume';
    from = new Date(Math.max(ctx.now.getTime(), Date.parse(enrolment.paused_until)));
  }
  return formatLocal(nextWeeklyAt(from, tz, user?.nudge_time ?? '09:00'));
}

export function learnerProgress(deps: StudyDeps, ctx: CommandContext, tz: string, enrolment: EnrolmentRow, track: Track): LearnerProgress {
  const position = planPosition(track, enrolment.started_on, localDate(ctx.now, tz));
  const done = deps.stores.enrolments.doneWeeks(enrolment.id);
  const pausedNote =
    enrolment.status === 'paused'
      ? enrolment.paused_until
        ? `until ${formatLocal(DateTime.fromISO(enrolment.paused_until, { zone: tz }))}`
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
    statusNote: pausedNote ?? enrolment.status_reason ?? undefined,
    nextNudge: nextNudgeText(deps, ctx, tz, enrolment),
    ...standing(deps, ctx, tz),
  };
}
