import { periodBounds, type PeriodName } from '../core/due.js';
import { rankByScore, type Ranked } from '../core/scoring.js';
import type { BoardRow, ScoreRow } from '../store/points.js';
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

const BOARD_SIZE = 10;

export function leaderboard(deps: StudyDeps, ctx: CommandContext, period: PeriodName): Reply {
  const bounds = periodBounds(period, ctx.now, channelTimezone(deps, ctx.workspaceId, ctx.channelId));
  const range = period === 'all' ? 'all' : bounds;
  const { points, users } = deps.stores;
  const asEntries = (rows: BoardRow[]) => rows.map((r) => ({ rank: r.rank, item: { userId: r.user_id, points: r.points } }));
  const team = points.board(ctx.workspaceId, range, { channel: ctx.channelId, me: ctx.userId, limit: BOARD_SIZE });
  const workspace = points.board(ctx.workspaceId, range, { me: ctx.userId, limit: BOARD_SIZE });
  const boards: Board[] = [];
  if (team.top.length > 0) boards.push({ title: `This channel's team (<#${ctx.channelId}>)`, top: asEntries(team.top) });
  boards.push({ title: 'The whole workspace', top: asEntries(workspace.top) });
  const hidden = users.get(ctx.workspaceId, ctx.userId)?.on_leaderboard === 0;
  const mine = period === 'all' ? points.standing(ctx.workspaceId, ctx.userId).points : points.userPoints(ctx.workspaceId, ctx.userId, bounds.from, bounds.to);
  return ephemeral(leaderboardView({ periodLabel: bounds.label, boards, you: { hidden, points: mine, rank: workspace.me?.rank } }));
}
