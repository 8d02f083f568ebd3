import { workspaceKey } from './payload.js';

/** What identifies an installation in Slack's payloads and in oauth.v2.access's answer. */
export interface InstallationSource {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
}

/**
 * The key an installation is kept under: an Enterprise Grid org-wide install's is its enterprise id (it serves every
 * workspace of the org); any other install's is the workspace's key (workspaceKey: the team id, "E…:T…" in a Grid
 * org), the key the rest of the data uses. Undefined when the source names neither.
 */
export function installationKey(s: InstallationSource): string | undefined {
  if (s.isEnterpriseInstall && s.enterpriseId) return s.enterpriseId;
  if (s.teamId) return workspaceKey(s.teamId, s.enterpriseId);
  return s.enterpriseId ?? undefined;
}

/**
 * The installations that may speak for a request or a workspace key, in order of preference: the workspace's own,
 * then (inside a Grid org) the org-wide install of its enterprise.
 */
export function installationCandidates(s: InstallationSource): string[] {
  if (s.isEnterpriseInstall && s.enterpriseId) return [s.enterpriseId];
  const own = installationKey(s);
  return [...new Set([own, s.enterpriseId].filter((k): k is string => !!k))];
}

/** The same for a workspace key as the data stores it ("T…", or "E…:T…" inside a Grid org). */
export function candidatesForWorkspace(workspaceId: string): string[] {
  const [enterprise, team] = workspaceId.includes(':') ? workspaceId.split(':', 2) : [undefined, workspaceId];
  return installationCandidates({ teamId: team, enterpriseId: enterprise });
}
