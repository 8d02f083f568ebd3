import type { LearnerProgress } from '../../services/progress.js';
import { progressBar } from '../../domain/plan.js';
import { ACTIONS } from '../action-ids.js';
import { studyFields } from './exam.js';
import { milestoneBlocks } from './tracks.js';
import { actions, context, fields, header, message, section, type Block, type ButtonSpec, type Message } from './blocks.js';

export type StatusInput = LearnerProgress;

/** Pause or resume, only where there are nudges to pause or resume: never on a finished or stopped track. */
export function nudgeButtons(status: LearnerProgress['status']): ButtonSpec[] {
  if (status === 'paused') return [{ text: 'Resume nudges', ...ACTIONS.resumeNudges.ref() }];
  return status === 'active' ? [{ text: 'Pause nudges', ...ACTIONS.pauseNudges.ref() }] : [];
}

/** "12 days · 1 freeze banked": the streak, with the freezes that will cover a missed study day. */
export function streakText(s: Pick<LearnerProgress, 'streak' | 'freezes'>): string {
  const days = `${s.streak} day${s.streak === 1 ? '' : 's'}`;
  return s.freezes > 0 ? `${days} · :ice_cube: ${s.freezes} freeze${s.freezes === 1 ? '' : 's'} banked` : days;
}

export function statusView(s: StatusInput): Message {
  const total = s.track.weeks.length;
  const bar = progressBar(s.doneCount, total);
  const state =
    s.status === 'paused'
      ? `:double_vertical_bar: Paused${s.statusNote ? ` ${s.statusNote}` : ''}`
      : s.status === 'finished'
        ? ':tada: Track finished'
        : s.status === 'stopped'
          ? 'Stopped'
          : ':large_green_circle: Active';
  const blocks: Block[] = [
    header(`${s.track.title}`),
    fields([
      `*Week*\n${s.week} of ${total}`,
      `*Progress*\n${bar} (${s.doneCount}/${total} milestones)`,
      `*State*\n${state}`,
      `*Next nudge*\n${s.nextNudge}`,
      `*Streak*\n${streakText(s)}`,
      `*Points*\n${s.points}${s.rank ? ` (rank ${s.rank} in the workspace)` : ''}`,
      ...(s.study ? studyFields(s.study) : []),
    ]),
    ...milestoneBlocks(s.milestone, s.week, total),
  ];
  if (s.weekDone) blocks.push(context(":white_check_mark: This week's milestone is done."));
  const buttons: ButtonSpec[] = [];
  if (!s.weekDone && s.status !== 'finished') buttons.push({ text: 'Mark this week done', ...ACTIONS.milestoneDone.ref(), style: 'primary' });
  buttons.push(...nudgeButtons(s.status));
  blocks.push(actions(buttons));
  return message(`${s.track.title}: week ${s.week} of ${total}, ${s.milestone.title}. Progress ${bar}. Next nudge ${s.nextNudge}.`, blocks);
}

export function notEnrolledView(): Message {
  return message("You're not on a track yet. See /aipath tracks, then /aipath start <track>.", [
    section(":wave: You're not on a track yet. Pick one with `/aipath start <track>`, for example `/aipath start devops`."),
    actions([{ text: 'Show tracks', ...ACTIONS.showTracks.ref() }]),
  ]);
}
