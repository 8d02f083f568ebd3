/** Who installed a workspace (multi-workspace mode, from the installation store); undefined when unknown. */
export type InstallerLookup = (workspaceId: string) => Promise<string | undefined>;

/** What makes someone an admin of aipath besides their Slack role. */
export interface AdminRights {
  /** The users AIPATH_ADMINS names, in every workspace. */
  named: readonly string[];
  /** The installer of the workspace, when the app runs with OAuth installs; absent in single-workspace modes. */
  installerOf?: InstallerLookup;
}

/**
 * Whether a user may steer aipath in a workspace: a workspace admin or owner (their Slack profile), a user named in
 * AIPATH_ADMINS, or the user who installed aipath there. The installer is looked up only when nothing else decides.
 */
export async function isAdmin(rights: AdminRights, workspaceId: string, user: { userId: string; isWorkspaceAdmin: boolean }): Promise<boolean> {
  if (user.isWorkspaceAdmin || rights.named.includes(user.userId)) return true;
  return rights.installerOf !== undefined && (await rights.installerOf(workspaceId)) === user.userId;
}
