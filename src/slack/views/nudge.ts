import type { Track, Week } from '../../content/schema.js';
import { progressBar } from '../../domain/plan.js';
import { ACTIONS } from '../action-ids.js';
import type { StudyPicture } from '../../services/progress.js';
import { studyFields } from './exam.js';
import { milestoneBlocks } from './tracks.js';
import { fields, actions, context, header, message, section, type Message } from './blocks.js';

/** Last week's answers in one domain of the learner's study exam. */
export interface DomainTally {
  number: number;
  name: string;
  answered: number;
  correct: number;
}

/** What the learner did in the seven local days before the nudge (see lastWeekSummary in the weekly-nudge kind). */
export interface LastWeekSummary {
  /** Answers to quiz questions (channel and practice) and reviews. */
  answered: number;
  correct: number;
  /** The exam the domains are of (its code), and the domains with answers, in the exam guide's order. */
  exam: string | undefined;
  domains: DomainTally[];
  reviews: number;
  streak: number;
  /** Workspace rank at the end of last week, and at its start (undefined: not on the board then). */
  rank: { now: number | undefined; before: number | undefined };
}

export interface NudgeInput {
  track: Track;
  week: number;
  milestone: Week;
  lastWeekDone: boolean | undefined;
  doneCount: number;
  late: boolean;
  /** This week's milestone is already marked done (marked before the nudge, or on an earlier pass through the track). */
  weekDone?: boolean;
  lastWeek?: LastWeekSummary;
  /** The exam the learner studies for: countdown and pace, readiness, reviews due. */
  study?: StudyPicture;
}

const share = (correct: number, answered: number) => `${Math.round((100 * correct) / Math.max(1, answered))}%`;

/** "rank 1 (up from 2)": where the learner stands, and how that moved over the week. */
export function rankChange(rank: LastWeekSummary['rank']): string {
  if (rank.now === undefined) return '';
  if (rank.before === undefined) return `rank ${rank.now} (new on the board)`;
  if (rank.now === rank.before) return `rank ${rank.now} (unchanged)`;
  return `rank ${rank.now} (${rank.now < rank.before ? 'up' : 'down'} from ${rank.before})`;
}

function lastWeekLines(w: LastWeekSummary): string[] {
  const answers = w.answered === 0 ? 'no answers' : `${w.answered} answer${w.answered === 1 ? '' : 's'}, ${share(w.correct, w.answered)} right`;
  const figures = [
    answers,
    `${w.reviews} review${w.reviews === 1 ? '' : 's'}`,
    w.streak > 0 ? `:fire: ${w.streak}-day streak` : 'no streak yet',
    rankChange(w.rank),
  ].filter(Boolean);
  const lines = [`*Last week* ${figures.join(' · ')}`];
  if (w.exam && w.domains.length > 0)
    lines.push(
      `*${w.exam.toUpperCase()} by domain* ${w.domains.map((d) => `${d.name}: ${d.correct}/${d.answered} (${share(d.correct, d.answered)})`).join(' · ')}`,
    );
  if (w.answered === 0) lines.push('A few questions a day keep it fresh: `/aipath review` picks the ones you are about to forget.');
  return lines;
}

export function weeklyNudgeView(n: NudgeInput): Message {
  const total = n.track.weeks.length;
  const previous = n.week - 1;
  const last =
    n.lastWeekDone === undefined
      ? 'This is your first week. Welcome!'
      : n.lastWeekDone
        ? `:white_check_mark: Week ${previous}'s milestone is done. Keep it up!`
        : `:hourglass: Week ${previous}'s milestone is not marked done yet: you can catch up, then \`/aipath done ${previous}\`.`;
  const buttons = [
    ...(n.weekDone ? [] : [{ text: 'Mark this week done', ...ACTIONS.milestoneDone.ref(), style: 'primary' as const }]),
    { text: 'Snooze a week', ...ACTIONS.snoozeWeek.ref() },
  ];
  return message(`Week ${n.week} of ${total} on ${n.track.title}: ${n.milestone.title}`, [
    header(`Week ${n.week}: ${n.milestone.title}`),
    section(
      [last, ...(n.lastWeek ? lastWeekLines(n.lastWeek) : []), `*Progress* ${progressBar(n.doneCount, total)} (${n.doneCount}/${total} milestones)`].join('\n'),
    ),
    ...(n.study ? [fields(studyFields(n.study))] : []),
    ...milestoneBlocks(n.milestone, n.week, total),
    ...(n.weekDone ? [context(":white_check_mark: This week's milestone is already marked done: nothing to mark, just keep studying.")] : []),
    actions(buttons),
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
