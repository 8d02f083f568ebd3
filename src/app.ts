import type { App } from '@slack/bolt';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import type { AppLogger } from './log.js';
import type { Scheduler } from './scheduler/cron.js';
import type { PassOptions } from './scheduler/pass.js';
import type { Services } from './services/index.js';
import { errorMessage } from './shared/errors.js';
import type { Clock } from './shared/clock.js';
import { answerUnservedRequests } from './slack/authorize.js';
import { createHttpApp, createOAuthHttpApp, createSocketApp, registerListeners } from './slack/bolt-app.js';
import { registerInstallLifecycle } from './slack/listeners/events/lifecycle.js';
import { manifestBotScopes } from './slack/manifest-scopes.js';
import type { RouteHandler } from './slack/http-receiver.js';
import { describeDatabase } from './store/open.js';
import type { InFlight } from './slack/in-flight.js';
import type { FollowUps } from './slack/follow-ups.js';
import type { ProfileRefresher } from './slack/profile-refresh.js';

/** How long one statement on the request path may block the event loop waiting for a write lock. */
const REQUEST_BUSY_TIMEOUT_MS = 50;
/** How long stop() waits for requests and a scheduler pass under way before it closes the database regardless. */
const DRAIN_MS = 10_000;

/**
 * Counts the Slack requests whose listeners are still running, with the answers they handed on (`inFlight`): the
 * database must not close under either. Bolt's global middleware resolves `next()` once every listener has finished.
 */
function trackRequests(bolt: App, inFlight: InFlight): void {
  bolt.use(async ({ next }) => {
    const work = next();
    // A listener's failure goes on to Bolt's error handler (awaited below); the tracker only needs to know it ended.
    inFlight.add(work.catch(() => undefined));
    await work;
  });
}

/** `promise`, or undefined once `deadline` (epoch ms) has passed. */
async function until<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now())))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StartOptions {
  clock?: Clock;
  logger?: AppLogger;
  contentDir?: string;
  random?: () => number;
  /** Where HTTP mode listens; tests use 127.0.0.1 and port 0. */
  host?: string;
  port?: number;
  /** Tests drive passes themselves instead of letting cron fire them. */
  startCron?: boolean;
  passOptions?: Partial<PassOptions>;
  /** Where work after an acknowledgement waits (see ContainerOverrides). */
  followUps?: FollowUps;
}

export interface RunningApp {
  mode: 'http' | 'socket' | 'oauth';
  port: number | undefined;
  services: Services;
  scheduler: Scheduler;
  bolt: App;
  /** Resolves once no request's listener is still running (answers sent after the acknowledgement included). */
  idle(): Promise<void>;
  /** The day-old profiles that answers used, being asked for again (after those answers). */
  profileRefreshes: Pick<ProfileRefresher, 'idle' | 'pending'>;
  stop(): Promise<void>;
}

/** Slack modes: the container, then Bolt with its receiver and listeners, then cron. */
export async function startApp(config: Config, opts: StartOptions = {}): Promise<RunningApp> {
  if (config.mode.kind === 'console') throw new Error('startApp runs the Slack modes; console mode is started by startConsole');
  // Slack requests never wait on another process's write lock for long: they retry asynchronously.
  const container = await buildContainer(config, { ...opts, busyTimeoutMs: REQUEST_BUSY_TIMEOUT_MS });
  const { logger, services, scheduler, slackDeps } = container;
  const mode = config.mode;

  let bolt: App;
  let port: number | undefined;
  try {
    if (mode.kind === 'http' || mode.kind === 'oauth') {
      const healthz: RouteHandler = async (_req, res) => {
        const db = await services.store.database.health();
        const body = {
          status: db.ok ? 'ok' : 'failing',
          mode: mode.kind,
          database: { engine: services.store.database.engine, path: describeDatabase(config.dbPath), state: db.ok ? 'ok' : 'failing', detail: db.detail },
          scheduler: scheduler.state(),
        };
        res.writeHead(db.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      let created: ReturnType<typeof createHttpApp>;
      if (mode.kind === 'http') {
        created = createHttpApp({
          botToken: mode.botToken,
          signingSecret: mode.signingSecret,
          slackApiUrl: config.slackApiUrl,
          logger,
          routes: { '/healthz': healthz },
        });
        bolt = created.app;
        trackRequests(bolt, slackDeps.inFlight);
        registerListeners(bolt, slackDeps);
      } else {
        // Multi-workspace mode: Add to Slack routes, each request's token from its workspace's installation, and the
        // events that end an installation.
        const installations = container.installations!;
        const install = (await import('./slack/oauth-install.js')).createOAuthInstall({
          clientId: mode.clientId,
          clientSecret: mode.clientSecret,
          stateSecret: mode.stateSecret,
          slackApiUrl: config.slackApiUrl,
          scopes: manifestBotScopes(),
          installations,
          states: services.store.oauthStates,
          clock: container.clock,
          logger: logger.child('oauth'),
        });
        created = createOAuthHttpApp({
          signingSecret: mode.signingSecret,
          slackApiUrl: config.slackApiUrl,
          logger,
          routes: { '/healthz': healthz, ...install.routes },
          authorize: install.authorize,
          requestContext: install.requestContext,
        });
        bolt = created.app;
        trackRequests(bolt, slackDeps.inFlight);
        answerUnservedRequests(bolt, logger);
        registerListeners(bolt, slackDeps);
        registerInstallLifecycle(bolt, { end: (key, reason) => installations.end(key, reason), logger });
      }
      const server = await created.receiver.start(opts.port ?? mode.port, opts.host ?? '0.0.0.0');
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : undefined;
      logger.info(
        mode.kind === 'http'
          ? `aipath listening in HTTP mode on port ${port}: POST /slack/events, GET /healthz`
          : `aipath listening in multi-workspace HTTP mode on port ${port}: POST /slack/events, GET /slack/install, GET /slack/oauth_redirect, GET /healthz`,
      );
    } else {
      bolt = createSocketApp({ botToken: mode.botToken, appToken: mode.appToken, slackApiUrl: config.slackApiUrl, logger });
      trackRequests(bolt, slackDeps.inFlight);
      registerListeners(bolt, slackDeps);
      await bolt.start();
      logger.info('aipath started in Socket Mode');
    }
  } catch (err) {
    await container.close();
    throw err;
  }
  if (opts.startCron !== false) scheduler.start();

  /**
   * Graceful stop: no new requests (the HTTP server stops accepting; Socket Mode disconnects) and no new passes;
   * requests whose listeners still run, the answers they handed on (InFlight) and the pass under way finish (up to
   * DRAIN_MS together), and only then does the database close (on PostgreSQL, the pool ends: idle connections at
   * once, none left busy).
   */
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new requests, finishing requests and deliveries under way');
      const deadline = Date.now() + DRAIN_MS;
      const requestsDone = (async () => {
        const stopped = await until(
          bolt.stop().then(
            () => true,
            (err: unknown) => {
              logger.warn(`stopping Bolt: ${errorMessage(err)}`);
              return true;
            },
          ),
          deadline,
        );
        if (!stopped)
          logger.warn(
            mode.kind === 'http'
              ? 'the HTTP server still had connections open; closing anyway'
              : 'the Socket Mode connection did not close in time; closing anyway',
          );
        const left = await slackDeps.inFlight.drain(deadline);
        if (left > 0) logger.warn(`${left} request(s) or answer(s) still running after ${DRAIN_MS / 1000} s; closing the database anyway`);
      })();
      await Promise.all([requestsDone, scheduler.stop(Math.max(0, deadline - Date.now()))]);
      await container.close();
      logger.info('stopped');
    })());
  return { mode: mode.kind, port, services, scheduler, bolt, idle: () => slackDeps.inFlight.idle(), profileRefreshes: slackDeps.profileRefresher, stop };
}
