import type { Standings } from '../../services/leaderboard.js';
import { type Board, leaderboardView } from '../views/leaderboard.js';
import { ephemeral, type Reply } from './reply.js';

export function presentStandings(s: Standings): Reply {
  const boards: Board[] = [];
  if (s.team) boards.push({ title: `This channel's team (<#${s.team.channel}>)`, top: s.team.top, moreTied: s.team.moreTied });
  boards.push({ title: 'The whole workspace', top: s.workspace, moreTied: s.workspaceMoreTied });
  return ephemeral(leaderboardView({ periodLabel: s.periodLabel, boards, you: s.you }));
}
