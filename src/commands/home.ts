import type { HomeInput } from '../slack/views/home.js';
import type { CommandContext, StudyDeps } from './context.js';
import { learnerProgress } from './progress.js';
import { adminNotices } from './notices.js';

export async function homeInput(deps: StudyDeps, ctx: CommandContext): Promise<HomeInput> {
  const enrolment = deps.stores.enrolments.current(ctx.workspaceId, ctx.userId);
  const track = enrolment ? deps.content.track(enrolment.track_id) : undefined;
  const profile = await ctx.profile();
  const notices = profile.isAdmin ? adminNotices(deps, ctx.workspaceId) : [];
  if (!enrolment || !track) return { tracks: deps.content.tracks, notices };
  if (enrolment.status === 'paused' && enrolment.status_reason?.startsWith('Slack:')) notices.push(`Your nudges are paused: ${enrolment.status_reason}`);
  return { tracks: deps.content.tracks, notices, enrolment: learnerProgress(deps, ctx, profile.tz, enrolment, track) };
}
