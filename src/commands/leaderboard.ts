import { periodBounds, type PeriodName } from '../core/due.js';
import { rankByScore, type Ranked } from '../core/scoring.js';
import type { ScoreRow } from '../store/points.js';
import { leaderboardView, type Board, type BoardEntry } from '../slack/views/leaderboard.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

/** Ranks learners with points (the stores leave out those who opted out of boards). */
export function rankVisible(rows: ScoreRow[]): Ranked<BoardEntry>[] {
  return rankByScore(
    rows.filter((r) => r.points > 0).map((r) => ({ userId: r.user_id, points: r.points })),
    (e) => e.points,
  );
}

export function channelTimezone(deps: StudyDeps, ws: string, channel: string): string {
  return deps.stores.subscriptions.get(ws, channel)?.tz ?? deps.defaultTimezone;
}

export function leaderboard(deps: StudyDeps, ctx: CommandContext, period: PeriodName): Reply {
  const bounds = periodBounds(period, ctx.now, channelTimezone(deps, ctx.workspaceId, ctx.channelId));
  const range = period === 'all' ? 'all' : bounds;
  const { points, users } = deps.stores;
  const teamRanked = rankVisible(points.scores(ctx.workspaceId, range, ctx.channelId));
  const workspaceRanked = rankVisible(points.scores(ctx.workspaceId, range));
  const boards: Board[] = [];
  if (teamRanked.length > 0) boards.push({ title: `This channel's team (<#${ctx.channelId}>)`, top: teamRanked.slice(0, 10) });
  boards.push({ title: 'The whole workspace', top: workspaceRanked.slice(0, 10) });
  const hidden = users.get(ctx.workspaceId, ctx.userId)?.on_leaderboard === 0;
  const mine = period === 'all' ? points.standing(ctx.workspaceId, ctx.userId).points : points.userPoints(ctx.workspaceId, ctx.userId, bounds.from, bounds.to);
  return ephemeral(
    leaderboardView({
      periodLabel: bounds.label,
      boards,
      you: { hidden, points: mine, rank: hidden ? undefined : workspaceRanked.find((r) => r.item.userId === ctx.userId)?.rank },
    }),
  );
}
