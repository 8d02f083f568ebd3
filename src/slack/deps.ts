import type { WebClient } from '@slack/web-api';
import type { Caller, StudyDeps } from '../services/context.js';
import type { AppLogger } from '../log.js';
import type { FollowUps } from './follow-ups.js';
import type { InFlight } from './in-flight.js';
import { webClientSlack } from './gateway.js';
import { resolveProfile, type ProfileFailures } from './profile.js';
import type { ProfileRefresher } from './profile-refresh.js';
import type { Database } from '../ports/store.js';
import type { Clock } from '../shared/clock.js';

export interface SlackDeps {
  study: StudyDeps;
  clock: Clock;
  logger: AppLogger;
  database: Database;
  profileFailures: ProfileFailures;
  profileRefresher: ProfileRefresher;
  /** Where work after an acknowledgement waits its turn. */
  followUps: FollowUps;
  /** Listeners still running, and the answers they handed on after acknowledging: a graceful stop waits for both. */
  inFlight: InFlight;
}

/** The caller of a request, with the request's own client for their profile (it carries the workspace's token). */
export function callerOf(
  deps: SlackDeps,
  client: WebClient,
  ids: { workspaceId: string; userId: string; channelId: string; inDirectMessage?: boolean },
): Caller {
  const now = deps.clock.now();
  let profile: ReturnType<Caller['profile']> | undefined;
  const { store, defaultTimezone, admins, installerOf } = deps.study;
  return {
    ...ids,
    now,
    profile: () =>
      (profile ??= resolveProfile(
        {
          users: store.users,
          workspaceSettings: store.workspaceSettings,
          defaultTimezone,
          rights: { named: admins, installerOf },
          logger: deps.logger,
          failures: deps.profileFailures,
          refresher: deps.profileRefresher,
        },
        webClientSlack(client),
        ids.workspaceId,
        ids.userId,
        now,
      )),
  };
}
