import type { Track, Week } from '../../content/schema.js';
import { progressBar } from '../../domain/plan.js';
import { ACTIONS } from '../action-ids.js';
import { milestoneBlocks } from './tracks.js';
import { actions, context, header, message, section, type Message } from './blocks.js';

export interface NudgeInput {
  track: Track;
  week: number;
  milestone: Week;
  lastWeekDone: boolean | undefined;
  doneCount: number;
  late: boolean;
}

export function weeklyNudgeView(n: NudgeInput): Message {
  const total = n.track.weeks.length;
  const last =
    n.lastWeekDone === undefined
      ? 'This is your first week. Welcome!'
      : n.lastWeekDone
        ? ':white_check_mark: Last week: milestone done. Keep it up!'
        : ':hourglass: Last week: milestone not marked done. It still counts if you catch up.';
  return message(`Week ${n.week} of ${total} on ${n.track.title}: ${n.milestone.title}`, [
    header(`Week ${n.week}: ${n.milestone.title}`),
    section(`${last}\n*Progress* ${progressBar(n.doneCount, total)} (${n.doneCount}/${total} milestones)`),
    ...milestoneBlocks(n.milestone, n.week, total),
    actions([
      { text: 'Mark this week done', ...ACTIONS.milestoneDone.ref(), style: 'primary' },
      { text: 'Snooze a week', ...ACTIONS.snoozeWeek.ref() },
    ]),
    ...(n.late ? [context('_Sent late: aipath was offline when this was due._')] : []),
  ]);
}

export function congratulationsView(track: Track): Message {
  return message(`You finished ${track.title}!`, [
    header(':tada: Track complete'),
    section(`You reached the end of *${track.title}*. Book your exam, and pick a next track any time with \`/aipath tracks\`.`),
  ]);
}

/** The review reminder DM: how many cards are due, about how long they take, and a button to start. */
export function reviewReminderView(due: number, minutes: number, late: boolean): Message {
  const what = `${due} review${due === 1 ? '' : 's'} due today, about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return message(`You have ${what}.`, [
    section(`:brain: You have *${what}*: the questions you are about to forget, while they are still easy to bring back.`),
    actions([{ text: 'Start reviews', ...ACTIONS.reviewNext.ref(), style: 'primary' }]),
    context(`Turn these reminders off with \`/aipath settings reviews off\`.${late ? ' _Sent late: aipath was offline when this was due._' : ''}`),
  ]);
}
