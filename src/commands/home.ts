import type { HomeInput } from '../slack/views/home.js';
import type { CommandContext, StudyDeps } from './context.js';
import { learnerProgress } from '../services/progress.js';
import { adminNotices } from '../services/notices.js';

export async function homeInput(deps: StudyDeps, ctx: CommandContext): Promise<HomeInput> {
  const enrolment = await deps.store.enrolments.current(ctx.workspaceId, ctx.userId);
  const track = enrolment ? deps.content.track(enrolment.trackId) : undefined;
  const profile = await ctx.profile();
  const notices = profile.isAdmin ? await adminNotices(deps, ctx.workspaceId) : [];
  if (!enrolment || !track) return { tracks: deps.content.tracks, notices };
  if (enrolment.status === 'paused' && enrolment.statusReason?.startsWith('Slack:')) notices.push(`Your nudges are paused: ${enrolment.statusReason}`);
  return { tracks: deps.content.tracks, notices, enrolment: await learnerProgress(deps, ctx, profile.tz, enrolment, track) };
}
