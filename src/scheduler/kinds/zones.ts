import type { DueNudge, Repositories } from '../../ports/store.js';
import { workspaceTimezone } from '../../services/workspace.js';

/**
 * Each workspace's default timezone, read at most once a pass (the kinds live for one pass, so an admin's change
 * applies from the next): what a learner without a timezone of their own falls back on.
 */
export interface WorkspaceZones {
  of(repos: Pick<Repositories, 'workspaceSettings'>, workspaceId: string): Promise<string>;
  /** Reads the zones of the workspaces of `targets` (those not read yet this pass), so that `ofLearner` can answer. */
  knowAll<T extends LearnerZoneFields>(repos: Pick<Repositories, 'workspaceSettings'>, targets: T[]): Promise<T[]>;
  /** The timezone a learner's week runs in: their own choice, then Slack's, then their workspace's (read by knowAll). */
  ofLearner(e: LearnerZoneFields): string;
}

type LearnerZoneFields = Pick<DueNudge, 'workspaceId' | 'tzOverride' | 'slackTz'>;

/** `fallback` is AIPATH_TIMEZONE, for a workspace without a timezone of its own. */
export function workspaceZones(fallback: string): WorkspaceZones {
  const known = new Map<string, string>();
  const of: WorkspaceZones['of'] = async (repos, workspaceId) => {
    let tz = known.get(workspaceId);
    if (tz === undefined) {
      tz = await workspaceTimezone(repos.workspaceSettings, workspaceId, fallback);
      known.set(workspaceId, tz);
    }
    return tz;
  };
  return {
    of,
    async knowAll(repos, targets) {
      for (const t of targets) if (!t.tzOverride && !t.slackTz && !known.has(t.workspaceId)) await of(repos, t.workspaceId);
      return targets;
    },
    ofLearner: (e) => e.tzOverride ?? e.slackTz ?? known.get(e.workspaceId) ?? fallback,
  };
}

/** The timezone a learner's week runs in: their own choice, then Slack's, then their workspace's default. */
export async function learnerZone(
  repos: Pick<Repositories, 'workspaceSettings'>,
  e: Pick<DueNudge, 'workspaceId' | 'tzOverride' | 'slackTz'>,
  zones: WorkspaceZones,
): Promise<string> {
  return e.tzOverride ?? e.slackTz ?? zones.of(repos, e.workspaceId);
}
