import type { App } from '@slack/bolt';
import type { Config } from './config.js';
import { buildContainer } from './container.js';
import type { AppLogger } from './log.js';
import type { Scheduler } from './scheduler/cron.js';
import type { PassOptions } from './scheduler/pass.js';
import type { Services } from './services/index.js';
import { errorMessage } from './shared/errors.js';
import type { Clock } from './shared/clock.js';
import { createHttpApp, createSocketApp, registerListeners } from './slack/bolt-app.js';
import type { RouteHandler } from './slack/http-receiver.js';
import { describeDatabase } from './store/open.js';

/** How long one statement on the request path may block the event loop waiting for a write lock. */
const REQUEST_BUSY_TIMEOUT_MS = 50;

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
}

export interface RunningApp {
  mode: 'http' | 'socket';
  port: number | undefined;
  services: Services;
  scheduler: Scheduler;
  bolt: App;
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
    if (mode.kind === 'http') {
      const healthz: RouteHandler = async (_req, res) => {
        const db = await services.store.database.health();
        const body = {
          status: db.ok ? 'ok' : 'failing',
          mode: 'http',
          database: { engine: services.store.database.engine, path: describeDatabase(config.dbPath), state: db.ok ? 'ok' : 'failing', detail: db.detail },
          scheduler: scheduler.state(),
        };
        res.writeHead(db.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const created = createHttpApp({
        botToken: mode.botToken,
        signingSecret: mode.signingSecret,
        slackApiUrl: config.slackApiUrl,
        logger,
        routes: { '/healthz': healthz },
      });
      bolt = created.app;
      registerListeners(bolt, slackDeps);
      const server = await created.receiver.start(opts.port ?? mode.port, opts.host ?? '0.0.0.0');
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : undefined;
      logger.info(`aipath listening in HTTP mode on port ${port}: POST /slack/events, GET /healthz`);
    } else {
      bolt = createSocketApp({ botToken: mode.botToken, appToken: mode.appToken, slackApiUrl: config.slackApiUrl, logger });
      registerListeners(bolt, slackDeps);
      await bolt.start();
      logger.info('aipath connected in Socket Mode');
    }
  } catch (err) {
    await container.close();
    throw err;
  }
  if (opts.startCron !== false) scheduler.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('shutting down: no new requests, finishing deliveries');
      await bolt.stop().catch((err: unknown) => logger.warn(`stopping Bolt: ${errorMessage(err)}`));
      await scheduler.stop();
      await container.close();
      logger.info('stopped');
    })());
  return { mode: mode.kind, port, services, scheduler, bolt, stop };
}
