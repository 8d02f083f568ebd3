import { canonicalZone } from '../domain/timezone.js';
import type { WorkspaceSettingsRepository } from '../ports/store.js';

/** The workspace's default timezone: its own (an admin's choice, or the installer's), else AIPATH_TIMEZONE. */
export async function workspaceTimezone(settings: Pick<WorkspaceSettingsRepository, 'get'>, workspaceId: string, fallback: string): Promise<string> {
  return (await settings.get(workspaceId)).defaultTz ?? fallback;
}

/**
 * At install (multi-workspace mode): the installer's timezone, as their Slack profile gives it, becomes the
 * workspace's default, unless the workspace has one already (an admin's choice survives a reinstall). A name that is
 * not an IANA Area/City zone (Slack profiles can hold anything) is ignored. True when it was adopted.
 */
export async function adoptInstallerTimezone(
  settings: Pick<WorkspaceSettingsRepository, 'setDefaultTimezone'>,
  workspaceId: string,
  slackTz: string | null | undefined,
): Promise<boolean> {
  const tz = slackTz ? canonicalZone(slackTz) : undefined;
  if (!tz) return false;
  return settings.setDefaultTimezone(workspaceId, tz, { keepExisting: true });
}
