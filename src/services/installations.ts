import type { InstallationRecord, Store } from '../ports/store.js';
import type { InstallerLookup } from './admins.js';
import type { InstallationLookup } from './installation.js';

/**
 * Installing and uninstalling (multi-workspace mode), free of Slack: the OAuth routes and lifecycle listeners call these.
 */

/** An installation as oauth.v2.access describes it, its bot token already sealed. */
export type NewInstallation = Omit<InstallationRecord, 'state' | 'inactiveSince'>;

/** Why an installation ended: the Slack event that said so. */
export type UninstallReason = 'app_uninstalled' | 'tokens_revoked';

/**
 * The first of `keys` (a workspace's own installation, then its Grid org's) with an active installation holding a
 * token; undefined when none has one.
 */
export async function activeInstallation(store: Pick<Store, 'installations'>, keys: readonly string[]): Promise<InstallationRecord | undefined> {
  for (const key of keys) {
    const found = await store.installations.find(key);
    if (found?.state === 'active' && found.tokenCiphertext) return found;
  }
  return undefined;
}

/**
 * Records an install or reinstall: the installation becomes active with its new token, and a workspace paused by an
 * uninstall or a failing token is resumed, both or neither.
 */
export async function recordInstall(store: Store, installation: NewInstallation): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.installations.save(installation);
    await tx.workspaces.resume(installation.workspaceId);
  });
}

/**
 * Ends an installation (Slack said the app was uninstalled or its bot token revoked): its token is deleted and the
 * workspace paused at once, so no delivery tries Slack with it; reinstalling resumes it. Slack may say so more than
 * once (retries, both events): the second time changes nothing. True if it was active.
 */
export async function recordUninstall(store: Store, key: string, reason: UninstallReason, now: Date): Promise<boolean> {
  return store.transaction(async (tx) => {
    const ended = await tx.installations.deactivate(key, now);
    if (ended) await tx.workspaces.pause(key, reason, now);
    return ended;
  });
}

/**
 * For `/aipath admin` in multi-workspace mode: who installed the workspace (an admin along with Slack's admins and
 * owners) and the state of its installation, read from the first of its installation keys that has one (`keysOf`:
 * its own, then its Grid org's).
 */
export function installationLookups(
  store: Pick<Store, 'installations' | 'workspaces'>,
  keysOf: (workspaceId: string) => readonly string[],
  retentionDays: number,
): { installerOf: InstallerLookup; installationOf: InstallationLookup } {
  return {
    installerOf: async (ws) => (await activeInstallation(store, keysOf(ws)))?.installerUserId,
    installationOf: async (ws) => {
      const active = await activeInstallation(store, keysOf(ws));
      if (active) return { kind: 'installed', installedAt: active.installedAt, installedBy: active.installerUserId, orgWide: active.isEnterpriseInstall };
      // Requests from a workspace without an active installation are refused before they get here (src/slack/authorize.ts).
      const [key = ws] = keysOf(ws);
      const ended = await store.installations.find(key);
      const since = ended?.inactiveSince ?? null;
      return {
        kind: 'inactive',
        since: since ?? new Date(0),
        reason: (await store.workspaces.pauseOf(key))?.reason ?? 'not installed',
        purgeAfter: since && new Date(since.getTime() + retentionDays * 86_400_000),
      };
    },
  };
}
