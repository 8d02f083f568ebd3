/**
 * The workspace's installation as `/aipath admin` shows it. Single-workspace modes (a bot token from the environment)
 * have one state; multi-workspace mode supplies the others through an InstallationLookup (StudyDeps.installationOf).
 */
export type InstallationState =
  /** SLACK_BOT_TOKEN: one token from the environment speaks for the workspace. */
  | { kind: 'single-workspace' }
  /** Installed with "Add to Slack" and working: by whom, when, and whether org-wide (Enterprise Grid). */
  | { kind: 'installed'; installedAt: Date; installedBy: string | null; orgWide: boolean }
  /** Uninstalled or its token revoked: since when, why, and when its data is deleted (null: not scheduled). */
  | { kind: 'inactive'; since: Date; reason: string; purgeAfter: Date | null };

export type InstallationLookup = (workspaceId: string) => Promise<InstallationState>;

/** Single-workspace modes: the token comes from the environment, whatever the workspace. */
export const singleWorkspaceInstallation: InstallationLookup = async () => ({ kind: 'single-workspace' });
