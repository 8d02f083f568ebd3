import { periodBounds, type PeriodName } from '../core/due.js';
import { rankByScore, type Ranked } from '../core/scoring.js';
import type { ScoreRow } from '../store/points.js';
import { leaderboardView, type Board, type BoardEntry } from '../slack/views/leaderboard.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

/** Ranks the learners who show on boards; those who opted out are left out of everyone's ranks. */
export function rankVisible(rows: ScoreRow[]): Ranked<BoardEntry>[] {
  return rankByScore(
    rows.filter((r) => r.on_leaderboard === 1 && r.points > 0).map((r) => ({ userId: r.user_id, points: r.points })),
    (e) => e.points,
  );
}

export function channelTimezone(deps: StudyDeps, ws: string, channel: string): string {
  return deps.stores.subscriptions.get(ws, channel)?.tz ?? deps.defaultTimezone;
}

export function leaderboard(deps: StudyDeps, ctx: CommandContext, period: PeriodName): Reply {
  const bounds = periodBounds(period, ctx.now, channelTimezone(deps, ctx.workspaceId, ctx.channelId));
  const { points, users } = deps.stores;
  const workspaceRows = period === 'all' ? points.allTimeScores(ctx.workspaceId) : points.workspaceScores(ctx.workspaceId, bounds.from, bounds.to);
  const teamRows = points.teamScores(ctx.workspaceId, ctx.channelId, bounds.from, bounds.to);
  const boards: Board[] = [];
  if (teamRows.length > 0) boards.push({ title: `This channel's team (<#${ctx.channelId}>)`, top: rankVisible(teamRows).slice(0, 10) });
  const workspaceRanked = rankVisible(workspaceRows);
  boards.push({ title: 'The whole workspace', top: workspaceRanked.slice(0, 10) });
  const mine = workspaceRows.find((r) => r.user_id === ctx.userId);
  const hidden = users.get(ctx.workspaceId, ctx.userId)?.on_leaderboard === 0;
  return ephemeral(
    leaderboardView({
      periodLabel: bounds.label,
      boards,
      you: { hidden, points: mine?.points ?? 0, rank: hidden ? undefined : workspaceRanked.find((r) => r.item.userId === ctx.userId)?.rank },
    }),
  );
}
