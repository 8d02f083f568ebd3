import { periodBounds, type PeriodName } from '../domain/due.js';
import type { BoardEntry as StoredEntry } from '../ports/store.js';
import { leaderboardView, type Board } from '../slack/views/leaderboard.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

export async function channelTimezone(deps: StudyDeps, ws: string, channel: string): Promise<string> {
  return (await deps.store.subscriptions.get(ws, channel))?.tz ?? deps.defaultTimezone;
}

const BOARD_SIZE = 10;

export async function leaderboard(deps: StudyDeps, ctx: CommandContext, period: PeriodName): Promise<Reply> {
  const bounds = periodBounds(period, ctx.now, await channelTimezone(deps, ctx.workspaceId, ctx.channelId));
  const range = period === 'all' ? 'all' : bounds;
  const { points, users } = deps.store;
  const asEntries = (rows: StoredEntry[]) => rows.map((r) => ({ rank: r.rank, item: { userId: r.userId, points: r.points } }));
  const team = await points.board(ctx.workspaceId, range, { channel: ctx.channelId, me: ctx.userId, limit: BOARD_SIZE });
  const workspace = await points.board(ctx.workspaceId, range, { me: ctx.userId, limit: BOARD_SIZE });
  const boards: Board[] = [];
  if (team.top.length > 0) boards.push({ title: `This channel's team (<#${ctx.channelId}>)`, top: asEntries(team.top) });
  boards.push({ title: 'The whole workspace', top: asEntries(workspace.top) });
  const hidden = (await users.get(ctx.workspaceId, ctx.userId))?.onLeaderboard === false;
  const mine = period === 'all' ? (await points.standing(ctx.workspaceId, ctx.userId)).points : await points.userPoints(ctx.workspaceId, ctx.userId, bounds);
  return ephemeral(leaderboardView({ periodLabel: bounds.label, boards, you: { hidden, points: mine, rank: workspace.me?.rank } }));
}
