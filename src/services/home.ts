import type { Track } from '../content/schema.js';
import type { Caller, StudyDeps } from './context.js';
import { adminNotices } from './notices.js';
import { type LearnerProgress, learnerProgress } from './progress.js';

/** What the Home tab shows a learner: their track (the same read model as status), the tracks, and notices. */
export interface HomeState {
  enrolment?: LearnerProgress;
  tracks: Track[];
  notices: string[];
}

export async function homeState(deps: StudyDeps, caller: Caller): Promise<HomeState> {
  const enrolment = await deps.store.enrolments.current(caller.workspaceId, caller.userId);
  const track = enrolment ? deps.content.track(enrolment.trackId) : undefined;
  const profile = await caller.profile();
  const notices = profile.isAdmin ? await adminNotices(deps, caller.workspaceId) : [];
  if (!enrolment || !track) return { tracks: deps.content.tracks, notices };
  if (enrolment.status === 'paused' && enrolment.pausedBy === 'slack')
    notices.push(`Your nudges are paused: Slack answered \`${enrolment.statusReason ?? 'an error'}\` when aipath tried to message you.`);
  return { tracks: deps.content.tracks, notices, enrolment: await learnerProgress(deps, caller, profile.tz, enrolment, track) };
}
