import type { InstallationRecord, Store } from '../ports/store.js';

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
