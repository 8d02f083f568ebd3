import type { HomeInput } from '../slack/views/home.js';
import { formatLocal, nextWeeklyAt } from '../core/due.js';
import { localDate, planPosition } from '../core/plan.js';
import type { CommandContext, StudyDeps } from './context.js';
import { standing } from './activity.js';
import { adminNotices } from './notices.js';

export async function homeInput(deps: StudyDeps, ctx: CommandContext): Promise<HomeInput> {
  const enrolment = deps.stores.enrolments.current(ctx.workspaceId, ctx.userId);
  const track = enrolment ? deps.content.track(enrolment.track_id) : undefined;
  const profile = await ctx.profile();
  const notices = profile.isAdmin ? adminNotices(deps, ctx.workspaceId) : [];
  if (!enrolment || !track) return { tracks: deps.content.tracks, notices };
  const { tz } = profile;
  const position = planPosition(track, enrolment.started_on, localDate(ctx.now, tz));
  const done = deps.stores.enrolments.doneWeeks(enrolment.id);
  const user = deps.stores.users.get(ctx.workspaceId, ctx.userId);
  if (enrolment.status === 'paused' && enrolment.status_reason?.startsWith('Slack:')) notices.push(`Your nudges are paused: ${enrolment.status_reason}`);
  return {
    tracks: deps.content.tracks,
    notices,
    enrolment: {
      track,
      week: position.week,
      milestone: position.milestone!,
      doneCount: done.length,
      weekDone: done.includes(position.week),
      status: position.finished ? 'finished' : enrolment.status,
      nextNudge: enrolment.status === 'active' ? formatLocal(nextWeeklyAt(ctx.now, tz, user?.nudge_time ?? '09:00')) : 'none',
      ...standing(deps, ctx, tz),
    },
  };
}
