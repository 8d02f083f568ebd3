import { webApi } from '@slack/bolt';
import type { Config } from './config.js';
import { createLogger, type AppLogger } from './log.js';
import { Scheduler } from './scheduler/cron.js';
import { runPass, type PassOptions } from './scheduler/pass.js';
import { PostRateLimiter, type RateLimits, realTimers } from './scheduler/rate-limit.js';
import { RetentionSweep } from './scheduler/retention.js';
import { buildServices, type Services } from './services/index.js';
import type { SlackDeps } from './slack/deps.js';
import { singleTokenGateway, type SlackGateway, webClientSlack } from './slack/gateway.js';
import { FollowUps } from './slack/follow-ups.js';
import { InFlight } from './slack/in-flight.js';
import { slackHttp } from './slack/http-transport.js';
import { installationLookups } from './services/installations.js';
import { candidatesForWorkspace } from './slack/installation-keys.js';
import { PortsInstallationStore } from './slack/installation-store.js';
import { InstallationsGateway } from './slack/installations-gateway.js';
import { SecretKeyring } from './shared/secret-box.js';
import { ProfileFailures } from './slack/profile.js';
import { ProfileRefresher } from './slack/profile-refresh.js';
import { systemClock, type Clock } from './shared/clock.js';

/** What a caller may substitute: the clock and logger, a fake Slack, and the scheduler's knobs. */
export interface ContainerOverrides {
  logger?: AppLogger;
  clock?: Clock;
  contentDir?: string;
  /** The content snapshot to try before the YAML (default: the build's, dist/content.snapshot.json). */
  contentSnapshot?: string;
  random?: () => number;
  /** Where scheduled sends go; required when the configuration has no bot token (console, tests). */
  slack?: SlackGateway;
  /** How long one statement waits for another process's write lock (see OpenOptions). */
  busyTimeoutMs?: number;
  passOptions?: Partial<PassOptions>;
  rateLimits?: RateLimits;
  /** Names this process in the ledger's claims. */
  worker?: string;
  /**
   * Whether a workspace's Slack pace is kept in the database, shared by every process that sends for it (see
   * src/scheduler/rate-limit.ts); default: on PostgreSQL, where replicas share the database, and not on SQLite.
   */
  sharedPace?: boolean;
  /** Where work after an acknowledgement waits (tests hold it up to see what an overloaded process does). */
  followUps?: FollowUps;
}

/** Everything the app is made of, wired once: `start`, `console`, `tick`, the tests and the benchmarks all build this. */
export interface Container {
  config: Config;
  logger: AppLogger;
  clock: Clock;
  services: Services;
  limiter: PostRateLimiter;
  scheduler: Scheduler;
  /** One scheduler pass as of `now`, as cron runs it; `worker` renames this process in the ledger (tests play several). */
  runPass(now: Date, as?: { worker?: string }): ReturnType<typeof runPass>;
  /** What Bolt's listeners need. */
  slackDeps: SlackDeps;
  /**
   * Multi-workspace mode only: the installations (tokens sealed with AIPATH_ENCRYPTION_KEY) that the OAuth routes save,
   * Bolt's authorize reads and the lifecycle events end; the delivery gateway reads each workspace's token from them.
   */
  installations?: PortsInstallationStore;
  close(): Promise<void>;
}

/**
 * The Slack gateway for scheduled sends. Its client never retries by itself: a blind retry of
 * chat.postMessage can post twice, so every retry goes through the pass, which first looks for
 * the delivery's metadata in Slack. 429s come back to the pass's rate limiter.
 */
export function deliveryGateway(token: string, slackApiUrl: string, logger: AppLogger): SlackGateway {
  return singleTokenGateway(deliveryClient(token, slackApiUrl, logger));
}

function deliveryClient(token: string, slackApiUrl: string, logger: AppLogger): webApi.WebClient {
  // @slack/web-api as Bolt loaded it (see slack/errors.ts).
  return new webApi.WebClient(token, { slackApiUrl, logger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, fetch: slackHttp.fetchWithin(15_000) });
}

/**
 * Multi-workspace mode: the installations over the store, and a delivery gateway that sends each workspace's scheduled
 * calls with its own installation's token (the same client settings as deliveryGateway's); an installation saved or
 * ended here drops the gateway's cached client at once.
 */
function multiWorkspace(
  services: Services,
  keys: { current: Buffer; next: Buffer | undefined },
  slackApiUrl: string,
  clock: Clock,
  logger: AppLogger,
): { installations: PortsInstallationStore; gateway: InstallationsGateway } {
  const deliveryLogger = logger.child('delivery');
  const gateway = new InstallationsGateway({
    resolve: (ws) => installations.resolve(ws),
    client: (token) => deliveryClient(token, slackApiUrl, deliveryLogger),
  });
  const installations = new PortsInstallationStore({
    store: services.store,
    // During a key rotation (AIPATH_NEW_ENCRYPTION_KEY set) tokens open under either key and new ones are sealed
    // with the new key, so `aipath rotate-key` can run while the bot serves.
    box: new SecretKeyring(keys.current, keys.next),
    clock,
    logger: logger.child('installs'),
    changed: (key) => gateway.forget(key),
    // Asked while the installer waits for the page: one quick try.
    installerTimezone: async (token, user) => {
      const client = new webApi.WebClient(token, { slackApiUrl, logger, retryConfig: { retries: 0 }, fetch: slackHttp.fetchWithin(3000) });
      return (await webClientSlack(client).userProfile(user)).tz;
    },
  });
  return { installations, gateway };
}

/**
 * The composition root: configuration → database and content → Slack gateway → pacer → scheduler. The pacer keeps
 * Slack's pace in the database on PostgreSQL (shared by every replica and `aipath tick`), in memory on SQLite.
 */
export async function buildContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const services = await buildServices(config, logger, {
    contentDir: overrides.contentDir,
    contentSnapshot: overrides.contentSnapshot,
    random: overrides.random,
    busyTimeoutMs: overrides.busyTimeoutMs,
  });
  try {
    const mode = config.mode;
    if (mode.kind === 'oauth') {
      // The installer is an admin of the workspace, and `/aipath admin` shows the installation's state.
      Object.assign(services.study, installationLookups(services.store, candidatesForWorkspace, config.retentionDays));
    }
    const multi =
      mode.kind === 'oauth'
        ? multiWorkspace(services, { current: mode.encryptionKey, next: config.newEncryptionKey }, config.slackApiUrl, clock, logger)
        : undefined;
    // Console mode has no token: without a gateway passed in, it does not send.
    const slack =
      overrides.slack ??
      multi?.gateway ??
      (mode.kind === 'socket' || mode.kind === 'http' ? deliveryGateway(mode.botToken, config.slackApiUrl, logger.child('delivery')) : undefined);
    const { store } = services;
    const sharedPace = overrides.sharedPace ?? store.database.engine === 'postgres';
    const paceLogger = logger.child('pace');
    const limiter = new PostRateLimiter(
      overrides.rateLimits,
      realTimers,
      sharedPace ? { pace: store.pace, warn: (message) => paceLogger.warn(message) } : undefined,
    );
    const passLogger = logger.child('scheduler');
    const retention = new RetentionSweep(config.retentionDays);
    const pass = (now: Date, as: { worker?: string } = {}) => {
      // Console mode has no token: the console (or a test) brings its own local Slack.
      if (!slack) return Promise.reject(new Error('no Slack to send to: scheduled sends need a bot token, or a gateway passed to buildContainer'));
      const worker = as.worker ?? overrides.worker;
      return runPass(
        {
          services,
          slack,
          limiter,
          logger: passLogger,
          defaultTimezone: config.defaultTimezone,
          options: overrides.passOptions,
          worker,
          retention,
        },
        now,
      );
    };
    const profileRefresher = new ProfileRefresher(logger.child('profiles'));
    return {
      config,
      logger,
      clock,
      services,
      limiter,
      scheduler: new Scheduler(pass, clock, passLogger),
      runPass: pass,
      slackDeps: {
        study: services.study,
        clock,
        logger,
        database: services.store.database,
        profileFailures: new ProfileFailures(),
        profileRefresher,
        followUps: overrides.followUps ?? new FollowUps(),
        inFlight: new InFlight((err) => logger.error('work after a Slack request failed', err)),
      },
      installations: multi?.installations,
      close: async () => {
        // A refresh under way writes the profile it got: it finishes before the database closes.
        await profileRefresher.stop();
        await services.store.database.close();
      },
    };
  } catch (err) {
    await services.store.database.close();
    throw err;
  }
}
