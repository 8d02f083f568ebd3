import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CodedError, ErrorCode as OAuthErrorCode, type Installation, InstallProvider, type InstallURLOptions } from '@slack/oauth';
import { webApi } from '@slack/bolt';
import type { Authorize } from '@slack/bolt';
import type { AppLogger } from '../log.js';
import type { OAuthStatesRepository } from '../ports/store.js';
import type { Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import { INSTALL_URL, installationAuthorize } from './authorize.js';
import type { RouteHandler } from './http-receiver.js';
import type { PortsInstallationStore } from './installation-store.js';
import { SingleUseStateStore, StateRefused } from './oauth-state.js';
import { type HtmlPage, type InstallFailure, installedPage, installFailedPage } from './views/install-pages.js';
import { slackHttp } from './http-transport.js';

// @slack/web-api as Bolt loaded it (see slack/errors.ts).
const WebApiErrorCode = webApi.ErrorCode;

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface OAuthInstallOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** Where oauth.v2.access (and auth.test) are called; Slack's authorize page is found beside it. */
  slackApiUrl: string;
  /** The bot scopes to ask for (manifest.json's). */
  scopes: readonly string[];
  /** Where InstallProvider saves what oauth.v2.access granted, and Bolt's authorize reads tokens back. */
  installations: PortsInstallationStore;
  /** The states already used, so that each install link works once. */
  states: OAuthStatesRepository;
  clock: Clock;
  logger: AppLogger;
}

export interface OAuthInstall {
  /** GET /slack/install and GET /slack/oauth_redirect, for the HTTP receiver. */
  routes: Record<string, RouteHandler>;
  /** Bolt's authorize: the token of each request's own workspace. */
  authorize: Authorize<boolean>;
  /** What the receiver adds to each Slack request's context: this server's install page, as Slack reached it. */
  requestContext(req: IncomingMessage): Record<string, unknown>;
}

/**
 * Slack's authorize page beside the configured Web API (https://slack.com/api/ → https://slack.com/oauth/v2/authorize;
 * GovSlack's likewise); Slack's own when the API URL does not end in /api/.
 */
export function authorizeUrlFor(slackApiUrl: string): string {
  const api = new URL(slackApiUrl);
  if (!api.pathname.endsWith('/api/')) return 'https://slack.com/oauth/v2/authorize';
  return new URL(`${api.pathname.slice(0, -'api/'.length)}oauth/v2/authorize`, api).toString();
}

/** A logger that never writes debug lines: the Web API client logs request bodies there, client_secret included. */
function withoutDebug(logger: AppLogger): AppLogger {
  return { ...logger, debug: () => {} };
}

/**
 * Multi-workspace mode's "Add to Slack", built on @slack/oauth's InstallProvider: /slack/install sets a state cookie
 * and redirects to Slack's authorize page with our client id and scopes; /slack/oauth_redirect checks the state against
 * the cookie and our single-use state store, exchanges the code with oauth.v2.access at SLACK_API_URL, stores the
 * installation (token sealed) and shows what to do next, or a 4xx page saying why nothing was stored.
 */
export function createOAuthInstall(o: OAuthInstallOptions): OAuthInstall {
  const logger = o.logger;
  const { installations } = o;
  const installOptions: InstallURLOptions = { scopes: [...o.scopes] };
  const quiet = withoutDebug(logger);
  const installer = new InstallProvider({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    stateStore: new SingleUseStateStore({ secret: o.stateSecret, states: o.states, clock: o.clock, installOptions }),
    installationStore: installations,
    installUrlOptions: installOptions,
    // Straight to Slack's authorize page: it already says what is being installed, and where.
    directInstall: true,
    authorizationUrl: authorizeUrlFor(o.slackApiUrl),
    // Also its Web API client's logger. InstallProvider logs every refused redirect as an error: failureAsync says
    // why instead, at the level it deserves.
    logger: { ...quiet, error: quiet.debug },
    // A code is good once: a blind retry of oauth.v2.access could only fail, so none.
    clientOptions: { slackApiUrl: o.slackApiUrl, retryConfig: { retries: 0 }, fetch: slackHttp.fetchWithin(10_000) },
  });

  const show = (res: ServerResponse, page: HtmlPage) => {
    if (res.headersSent) return;
    res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page.html);
  };

  const routes: Record<string, RouteHandler> = {
    [INSTALL_PATH]: async (req, res) => {
      res.setHeader('cache-control', 'no-store');
      await installer.handleInstallPath(req, res, undefined, installOptions);
    },
    [REDIRECT_PATH]: (req, res) =>
      installer.handleCallback(req, res, {
        // Never throws: InstallProvider would answer a throw here with the failure page, after the install was stored.
        successAsync: async (installation) => {
          try {
            show(res, installedPage(installedInto(installation)));
          } catch (err) {
            logger.error('could not show the installed page', err);
          }
        },
        failureAsync: async (error) => {
          const failure = failureOf(error, req);
          if (failure.kind === 'not-saved') logger.error('an install could not be finished', error);
          else logger.warn(`an install was refused (${failure.kind}): ${errorMessage(error)}`);
          show(res, installFailedPage(failure));
        },
      }),
  };

  return {
    routes,
    authorize: installationAuthorize(installer, logger),
    requestContext: (req) => {
      const origin = originOf(req);
      return origin ? { [INSTALL_URL]: `${origin}${INSTALL_PATH}` } : {};
    },
  };
}

function installedInto(i: Installation) {
  return {
    name: i.team?.name ?? i.enterprise?.name ?? null,
    teamId: i.team?.id ?? null,
    isEnterpriseInstall: i.isEnterpriseInstall === true,
  };
}

/** What went wrong, from Slack's redirect itself first (it says why it sent no code), then from InstallProvider's error. */
function failureOf(error: CodedError, req: IncomingMessage): InstallFailure {
  const slackError = new URL(req.url ?? '/', 'http://localhost').searchParams.get('error');
  if (slackError === 'access_denied') return { kind: 'denied' };
  if (slackError) return { kind: 'slack-error', error: slackError.slice(0, 100) };
  if (error instanceof StateRefused) return { kind: error.problem };
  switch (error.code) {
    case OAuthErrorCode.MissingCodeError:
      return { kind: 'missing-code' };
    case OAuthErrorCode.MissingStateError:
      return { kind: 'missing-state' };
    // The state in the query is not the one in this browser's cookie (our own checks come after, as StateRefused).
    case OAuthErrorCode.InvalidStateError:
      return { kind: 'other-browser' };
    case WebApiErrorCode.PlatformError:
      return { kind: 'exchange-refused', error: String((error as { data?: { error?: unknown } }).data?.error ?? 'unknown_error').slice(0, 100) };
    case WebApiErrorCode.RequestError:
    case WebApiErrorCode.HTTPError:
    case WebApiErrorCode.RateLimitedError:
      return { kind: 'slack-unreachable' };
    default:
      return { kind: 'not-saved' };
  }
}

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim();

/**
 * This server's public origin as the request reached it: Slack only calls HTTPS URLs, so https unless a proxy says
 * otherwise. Undefined for a host that does not look like one (it is only ever shown in a reply).
 */
function originOf(req: IncomingMessage): string | undefined {
  const host = first(req.headers['x-forwarded-host']) ?? first(req.headers.host);
  const proto = first(req.headers['x-forwarded-proto']) === 'http' ? 'http' : 'https';
  return host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? `${proto}://${host}` : undefined;
}
