import { App, type Authorize, type Receiver } from '@slack/bolt';
import type { IncomingMessage } from 'node:http';
import type { AppLogger } from '../log.js';
import type { SlackDeps } from './deps.js';
import { registerAipathCommand } from './listeners/commands/aipath.js';
import { registerButtons } from './listeners/actions/buttons.js';
import { registerAppHome } from './listeners/events/app-home.js';
import { SlackHttpReceiver, type RouteHandler } from './http-receiver.js';
import { SocketModeConnection } from './socket-mode.js';
import { slackHttp } from './http-transport.js';

/**
 * Listener calls run while a learner waits for an answer: a 429 fails fast instead of waiting out
 * Retry-After, and retries are few and short.
 */
export const interactiveClientOptions = (slackApiUrl: string) => ({
  slackApiUrl,
  rejectRateLimitedCalls: true,
  retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
  fetch: slackHttp.fetchWithin(5000),
});

export function registerListeners(app: App, deps: SlackDeps): void {
  registerAipathCommand(app, deps);
  registerButtons(app, deps);
  registerAppHome(app, deps);
  app.error(async (err) => {
    deps.logger.error('unhandled Bolt error', err);
  });
}

export interface HttpAppOptions {
  botToken: string;
  signingSecret: string;
  slackApiUrl: string;
  logger: AppLogger;
  routes: Record<string, RouteHandler>;
}

/**
 * aipath keeps no per-conversation state in Bolt: without a store, Bolt's conversation middleware is not installed,
 * which would otherwise look up (and, on a miss, build an Error with its stack for) every request before it is
 * acknowledged.
 */
const NO_CONVERSATION_STORE = false as const;

/** The settings every mode shares: the bot token, our logger, the interactive client's limits, no conversation store. */
const common = (opts: { botToken: string; slackApiUrl: string; logger: AppLogger }) => ({
  token: opts.botToken,
  logger: opts.logger,
  logLevel: opts.logger.getLevel(),
  clientOptions: interactiveClientOptions(opts.slackApiUrl),
  convoStore: NO_CONVERSATION_STORE,
});

export function createHttpApp(opts: HttpAppOptions): { app: App; receiver: SlackHttpReceiver } {
  const receiver = new SlackHttpReceiver({ signingSecret: opts.signingSecret, logger: opts.logger, routes: opts.routes });
  return { app: new App({ ...common(opts), receiver }), receiver };
}

export interface OAuthHttpAppOptions {
  signingSecret: string;
  slackApiUrl: string;
  logger: AppLogger;
  routes: Record<string, RouteHandler>;
  /** Each request's token: its workspace's installation (src/slack/authorize.ts). */
  authorize: Authorize<boolean>;
  requestContext?: (req: IncomingMessage) => Record<string, unknown>;
}

/** Multi-workspace HTTP mode: no token of its own; each request's comes from `authorize`. */
export function createOAuthHttpApp(opts: OAuthHttpAppOptions): { app: App; receiver: SlackHttpReceiver } {
  const receiver = new SlackHttpReceiver({ signingSecret: opts.signingSecret, logger: opts.logger, routes: opts.routes, requestContext: opts.requestContext });
  const app = new App({
    authorize: opts.authorize,
    logger: opts.logger,
    logLevel: opts.logger.getLevel(),
    clientOptions: interactiveClientOptions(opts.slackApiUrl),
    convoStore: NO_CONVERSATION_STORE,
    receiver,
  });
  return { app, receiver };
}

/** Socket Mode: Bolt with our SocketModeConnection as its receiver (see socket-mode.ts for why not Bolt's own). */
export function createSocketApp(opts: { botToken: string; appToken: string; slackApiUrl: string; logger: AppLogger }): App {
  const receiver = new SocketModeConnection({ appToken: opts.appToken, slackApiUrl: opts.slackApiUrl, logger: opts.logger });
  return new App({ ...common(opts), receiver });
}

export function createReceiverApp(opts: { botToken: string; receiver: Receiver; slackApiUrl: string; logger: AppLogger }): App {
  return new App({ ...common(opts), receiver: opts.receiver });
}
