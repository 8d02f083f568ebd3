import { localDate } from '../domain/plan.js';
import { periodBounds } from '../domain/due.js';
import type { Repositories, Subscription } from '../ports/store.js';
import type { Content } from '../content/content.js';
import { streakOf } from './activity.js';
import { type TeamFocus, teamFocus } from './team.js';
import { rankByScore, type Ranked } from '../domain/scoring.js';
import type { Score } from '../ports/store.js';

const STREAK_CANDIDATES = 200;

/** Monday's team post for a channel: last week's leaders and highlights, and the team's totals. */
export interface WeeklyRecap {
  periodLabel: string;
  top: Ranked<Score>[];
  longestStreak?: { userId: string; days: number };
  mostImproved?: { userId: string; gain: number };
  totals: { answered: number; correct: number; milestones: number };
  /** The team by domain of the channel's exam (aggregates only), for a channel on a track. */
  team?: TeamFocus;
}

/** Ranks learners with points (the store leaves out those who opted out of boards). */
const rankVisible = (rows: Score[]): Ranked<Score>[] =>
  rankByScore(
    rows.filter((r) => r.points > 0),
    (e) => e.points,
  );

/** Monday's recap for a channel's team: last ISO week in the channel's timezone. */
export async function weeklyRecap(repos: Repositories, content: Content, sub: Subscription, at: Date): Promise<WeeklyRecap> {
  const last = periodBounds('week', at, sub.tz, 1);
  const before = periodBounds('week', at, sub.tz, 2);
  const lastRows = await repos.points.teamScores(sub.workspaceId, sub.channelId, last);
  const beforeRows = new Map((await repos.points.teamScores(sub.workspaceId, sub.channelId, before)).map((r) => [r.userId, r.points]));
  const top = rankVisible(lastRows);

  let mostImproved: WeeklyRecap['mostImproved'];
  for (const r of lastRows) {
    const gain = r.points - (beforeRows.get(r.userId) ?? 0);
    if (gain > 0 && (!mostImproved || gain > mostImproved.gain)) mostImproved = { userId: r.userId, gain };
  }
  // Streaks are read for last week's leading scorers only: a long streak without points is rare,
  // and reading every member's days would make a large team's Monday post slow.
  let longestStreak: WeeklyRecap['longestStreak'];
  for (const { item: r } of top.slice(0, STREAK_CANDIDATES)) {
    const days = await streakOf(repos, sub.workspaceId, r.userId, localDate(at, sub.tz));
    if (days > 1 && (!longestStreak || days > longestStreak.days)) longestStreak = { userId: r.userId, days };
  }
  return {
    periodLabel: last.label,
    top: top.slice(0, 10),
    mostImproved,
    longestStreak,
    totals: await repos.points.teamTotals(sub.workspaceId, sub.channelId, last),
    team: await teamFocus(repos, content, sub, at),
  };
}
