import type { HomeState } from '../../services/home.js';
import { ACTIONS } from '../action-ids.js';
import { nudgeButtons, streakText } from './status.js';
import { progressBar } from '../../domain/plan.js';
import { studyFields } from './exam.js';
import { milestoneBlocks } from './tracks.js';
import { actions, context, divider, fields, header, section, BLOCK_LIMITS, type Block } from './blocks.js';

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

export function homeView(h: HomeState): HomeView {
  const blocks: Block[] = [header('aipath: your AI/ML study plan')];
  for (const n of h.notices) blocks.push(section(`:warning: ${n}`));
  const e = h.enrolment;
  if (!e) {
    blocks.push(section("You're not on a track yet. Pick the one closest to your role:"));
    for (const t of h.tracks) {
      blocks.push(section(`*${t.title}*\n${t.audience}`));
      blocks.push(actions([{ text: `Start ${t.id}`, ...ACTIONS.lookupTrack.ref(t.id) }]));
    }
  } else {
    const total = e.track.weeks.length;
    blocks.push(section(`*${e.track.title}*`));
    blocks.push(
      fields([
        `*Week*\n${e.week} of ${total}`,
        `*Progress*\n${progressBar(e.doneCount, total)}`,
        `*Streak*\n${streakText(e)}`,
        `*Points*\n${e.points}${e.rank ? ` (rank ${e.rank})` : ''}`,
        `*State*\n${e.status}${e.statusNote ? ` (${e.statusNote})` : ''}`,
        `*Next nudge*\n${e.nextNudge}`,
        ...(e.study ? studyFields(e.study) : []),
      ]),
    );
    blocks.push(divider(), ...milestoneBlocks(e.milestone, e.week, total));
    blocks.push(
      actions([
        ...(e.weekDone ? [] : [{ text: 'Mark this week done', ...ACTIONS.milestoneDone.ref(), style: 'primary' as const }]),
        ...nudgeButtons(e.status),
        { text: 'Switch track', ...ACTIONS.showTracks.ref() },
      ]),
    );
  }
  blocks.push(context('Type `/aipath help` in any channel for every command.'));
  return { type: 'home', blocks: blocks.slice(0, BLOCK_LIMITS.homeBlocks) };
}
