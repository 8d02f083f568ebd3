import type { Ranked } from '../../domain/scoring.js';
import type { WeeklyRecap } from '../../services/recap.js';
import type { TeamFocus } from '../../services/team.js';
import { context, divider, header, message, section, type Block, type Message } from './blocks.js';

export interface BoardEntry {
  userId: string;
  points: number;
}

export interface Board {
  title: string;
  top: Ranked<BoardEntry>[];
  /** More learners than listed share the last one's rank. */
  moreTied?: boolean;
}

export interface LeaderboardInput {
  periodLabel: string;
  boards: Board[];
  you: { rank?: number; points: number; hidden: boolean };
}

/** How a view names a learner: an @-mention (Slack notifies them) unless told otherwise. */
export type NameOf = (userId: string) => string;
export const mentionOf: NameOf = (userId) => `<@${userId}>`;

const MEDALS = [':first_place_medal:', ':second_place_medal:', ':third_place_medal:'];
const line = (r: Ranked<BoardEntry>, name: NameOf = mentionOf) => `${MEDALS[r.rank - 1] ?? `*${r.rank}.*`} ${name(r.item.userId)}: ${r.item.points} pts`;

export function leaderboardView(l: LeaderboardInput): Message {
  const blocks: Block[] = [header(`Study leaderboard: ${l.periodLabel}`)];
  for (const b of l.boards) {
    const last = b.top.at(-1);
    const tied = b.moreTied && last ? `\n_…and others tied with ${last.item.points} pts_` : '';
    blocks.push(
      section(`*${b.title}*\n${b.top.length ? b.top.map((r) => line(r)).join('\n') + tied : '_No points yet: answer the daily quiz to get on the board._'}`),
    );
  }
  blocks.push(divider());
  const you = l.you.hidden
    ? `You're hidden from leaderboards (\`/aipath settings leaderboard on\` to show up). You have *${l.you.points}* points.`
    : l.you.rank
      ? `You: rank *${l.you.rank}* with *${l.you.points}* points.`
      : "You haven't scored in this period yet.";
  blocks.push(section(you));
  blocks.push(context('Points: first right answer to a channel quiz 10, to a personal quiz 5, a milestone 25, streak bonuses at 7 and 30 days.'));
  return message(`Study leaderboard, ${l.periodLabel}. ${you.replace(/[*`]/g, '')}`, blocks);
}

/** The learners a recap names: its top, the longest streak and the most improved. */
export const recapLearners = (w: WeeklyRecap): string[] => [
  ...new Set([...w.top.map((r) => r.item.userId), ...(w.longestStreak ? [w.longestStreak.userId] : []), ...(w.mostImproved ? [w.mostImproved.userId] : [])]),
];

/**
 * Monday's team post. `name` says how learners are named: @-mentions by default; a workspace that turned the recap's
 * mentions off (`/aipath admin mentions off`) gets names as plain text, which notify nobody.
 */
export function weeklyRecapView(w: WeeklyRecap, name: NameOf = mentionOf): Message {
  const share = w.totals.answered ? Math.round((w.totals.correct / w.totals.answered) * 100) : 0;
  const highlights = [
    w.longestStreak ? `:fire: Longest streak: ${name(w.longestStreak.userId)}, ${w.longestStreak.days} days` : '',
    w.mostImproved ? `:chart_with_upwards_trend: Most improved: ${name(w.mostImproved.userId)}, +${w.mostImproved.gain} pts on the week before` : '',
  ].filter(Boolean);
  return message(`Last week's study leaderboard (${w.periodLabel}): ${w.top.map((r) => `${r.rank}. ${r.item.points} pts`).join(', ') || 'no points yet'}`, [
    header(`Last week's study leaderboard`),
    section(`_${w.periodLabel}_\n${w.top.length ? w.top.map((r) => line(r, name)).join('\n') : '_Nobody scored last week. Today is a good day to start!_'}`),
    ...(highlights.length ? [section(highlights.join('\n'))] : []),
    ...(w.team ? [section(teamLines(w.team))] : []),
    context(`Team totals: ${w.totals.answered} questions answered, ${share}% correct, ${w.totals.milestones} milestones done`),
  ]);
}

/** The team by domain of its exam, as a whole: the share right in the channel's quizzes over four weeks. */
function teamLines(team: TeamFocus): string {
  const lines = team.domains.map(
    (d) =>
      `${d.number}. ${d.name} (${d.weight}%): ${d.answered ? `${Math.round((d.correct / d.answered) * 100)}% right of ${d.answered}` : 'no answers yet'}${d.number === team.weakest ? ' :dart: this week’s focus' : ''}`,
  );
  return `*The team on ${team.cert.code}, by domain* (last 4 weeks of quizzes)\n${lines.join('\n')}`;
}
