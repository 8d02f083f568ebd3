import type { Logger } from '@slack/bolt';
import type { Profile } from '../services/context.js';
import { isIanaZone } from '../domain/timezone.js';
import type { UsersRepository, WorkspaceSettingsRepository } from '../ports/store.js';
import { type AdminRights, isAdmin } from '../services/admins.js';
import { workspaceTimezone } from '../services/workspace.js';
import type { WorkspaceSlack } from './gateway.js';
import type { ProfileRefresher } from './profile-refresh.js';

const PROFILE_TTL_MS = 24 * 60 * 60 * 1000;
/** A learner's first users.info runs while they wait for an answer (after the acknowledgement), so it gets a budget of its own. */
export const PROFILE_TIMEOUT_MS = 1500;

/** After users.info fails for a user, how long to answer from what is stored instead of asking again. */
export const PROFILE_RETRY_AFTER_MS = 5 * 60 * 1000;

/** Recent users.info failures by workspace and user, so a slow Slack costs one timeout, not one per command. */
export class ProfileFailures {
  private readonly failedAt = new Map<string, number>();

  recent(key: string, nowMs: number): boolean {
    const at = this.failedAt.get(key);
    return at !== undefined && nowMs - at < PROFILE_RETRY_AFTER_MS;
  }

  record(key: string, nowMs: number): void {
    // Bounded: a flood of failures for many users forgets the oldest rather than growing for ever.
    if (this.failedAt.size >= 10_000) this.failedAt.delete(this.failedAt.keys().next().value!);
    this.failedAt.set(key, nowMs);
  }

  clear(key: string): void {
    this.failedAt.delete(key);
  }
}

export interface ProfileDeps {
  users: UsersRepository;
  workspaceSettings: Pick<WorkspaceSettingsRepository, 'get'>;
  /** AIPATH_TIMEZONE, for a workspace without a timezone of its own. */
  defaultTimezone: string;
  rights: AdminRights;
  logger: Logger;
  failures: ProfileFailures;
  /** Where a profile older than a day is asked for again, after the answer. */
  refresher: ProfileRefresher;
}

/**
 * The caller's timezone and admin rights: their own override first, then the Slack profile (asked for before the
 * answer only the first time; once it is a day old, the answer uses it and it is asked for again afterwards, see
 * ProfileRefresher), then the workspace's default (read only when needed). A slow or failing users.info never blocks a reply.
 */
export async function resolveProfile(deps: ProfileDeps, slack: WorkspaceSlack, ws: string, userId: string, now: Date): Promise<Profile> {
  let user = await deps.users.ensure(ws, userId, now);
  const fetchedAt = user.profileFetchedAt;
  if (!deps.failures.recent(`${ws}:${userId}`, now.getTime())) {
    if (!fetchedAt) {
      await refreshProfile(deps, slack, ws, userId, now);
      user = (await deps.users.get(ws, userId)) ?? user;
    } else if (now.getTime() - fetchedAt.getTime() > PROFILE_TTL_MS) {
      deps.refresher.request(ws, userId, () => refreshProfile(deps, slack, ws, userId, now));
    }
  }
  return {
    tz: user.tzOverride ?? user.slackTz ?? (await workspaceTimezone(deps.workspaceSettings, ws, deps.defaultTimezone)),
    isAdmin: await isAdmin(deps.rights, ws, user),
  };
}

/** Asks Slack for the user's profile and stores it; a failure is logged and remembered (ProfileFailures), never thrown. */
async function refreshProfile(deps: ProfileDeps, slack: WorkspaceSlack, ws: string, userId: string, now: Date): Promise<void> {
  const key = `${ws}:${userId}`;
  try {
    const info = await withTimeout(slack.userProfile(userId), PROFILE_TIMEOUT_MS);
    const tz = info.tz && isIanaZone(info.tz) ? info.tz : null;
    await deps.users.setProfile(ws, userId, { tz, isWorkspaceAdmin: info.isAdmin }, now);
    deps.failures.clear(key);
  } catch (err) {
    deps.failures.record(key, now.getTime());
    deps.logger.warn(`users.info for ${userId} failed; using cached or default profile: ${(err as Error).message}`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
