import { type PeriodName, periodBounds } from '../domain/due.js';
import type { Ranked } from '../domain/scoring.js';
import type { BoardEntry, Score } from '../ports/store.js';
import type { Caller, StudyDeps } from './context.js';
import { workspaceTimezone } from './workspace.js';

export interface Standings {
  periodLabel: string;
  /** The channel's team (who answered its quizzes), when it has anyone with points. */
  team: { channel: string; top: Ranked<Score>[]; moreTied: boolean } | undefined;
  workspace: Ranked<Score>[];
  /** More learners than the board lists tie with its last one. */
  workspaceMoreTied: boolean;
  you: { hidden: boolean; points: number; rank: number | undefined };
}

const BOARD_SIZE = 10;
const ranked = (entries: BoardEntry[]): Ranked<Score>[] => entries.map((e) => ({ rank: e.rank, item: { userId: e.userId, points: e.points } }));

/** The top of the channel's team and of the workspace for a period (in the channel's timezone), and the caller's place. */
export async function standings(deps: StudyDeps, caller: Caller, period: PeriodName): Promise<Standings> {
  const { workspaceId: ws, userId: me, channelId: channel } = caller;
  const tz = (await deps.store.subscriptions.get(ws, channel))?.tz ?? (await workspaceTimezone(deps.store.workspaceSettings, ws, deps.defaultTimezone));
  const bounds = periodBounds(period, caller.now, tz);
  const range = period === 'all' ? 'all' : bounds;
  const { points, users } = deps.store;
  // Independent reads, side by side (on PostgreSQL each on a connection of the pool). The caller's own rank is the
  // workspace's: the team board is read for its top only.
  const [team, workspace, user, mine] = await Promise.all([
    points.board(ws, range, { channel, limit: BOARD_SIZE }),
    points.board(ws, range, { me, limit: BOARD_SIZE }),
    users.get(ws, me),
    period === 'all' ? points.standing(ws, me).then((s) => s.points) : points.userPoints(ws, me, bounds),
  ]);
  const hidden = user?.onLeaderboard === false;
  return {
    periodLabel: bounds.label,
    team: team.top.length > 0 ? { channel, top: ranked(team.top), moreTied: team.moreTied } : undefined,
    workspace: ranked(workspace.top),
    workspaceMoreTied: workspace.moreTied,
    you: { hidden, points: mine, rank: workspace.me?.rank },
  };
}
