import { type App, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { ConfigError } from '../config.js';
import type { AppLogger } from '../log.js';
import { classifySlackError } from './errors.js';
import { slackHttp } from './http-transport.js';

/** Errors of `apps.connections.open` that mean the app-level token itself is refused: no retry will fix them. */
const TOKEN_REFUSALS = new Set(['not_allowed_token_type', 'team_disabled', 'user_removed_from_team']);
/** Waits between failed attempts to connect: 1 s, doubling, up to a minute. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;
/** A connection lost sooner than this after it opened counts as a failed attempt, so a flapping link backs off. */
const SHORT_LIVED_MS = 10_000;

export interface SocketModeOptions {
  appToken: string;
  slackApiUrl: string;
  logger: AppLogger;
}

type Refusal = { refused: true; reason: string } | { refused: false; reason: string; retryAfterMs: number };

function readFailure(err: unknown): Refusal {
  // The client rejects with nothing when the WebSocket itself fails (refused upgrade, connection reset).
  if (err === undefined) return { refused: false, reason: 'the WebSocket connection failed', retryAfterMs: 0 };
  const f = classifySlackError(err);
  if (f.kind === 'installation' || TOKEN_REFUSALS.has(f.reason)) return { refused: true, reason: f.reason };
  return { refused: false, reason: f.reason, retryAfterMs: f.kind === 'rate-limited' ? f.retryAfter * 1000 : 0 };
}

/**
 * Bolt's Socket Mode receiver, with the connection kept by us rather than by @slack/socket-mode's own reconnect
 * loop (turned off here), which has three faults for a long-running bot:
 * - a failed `apps.connections.open` during a reconnect (a 5xx, a network error, after the client's retries) ends
 *   its loop with a rejection nobody handles, and the process exits on it (see cli.ts) instead of trying again;
 *   Bolt hands the Socket Mode client our interactive client options, whose single quick retry made that likely;
 * - its stop (Bolt's `receiver.stop()`) returns before the connection has closed, and a stop while a reconnect is
 *   under way lets that reconnect finish afterwards: a live connection delivering requests after the database closed;
 * - it waits 5 s before reconnecting after Slack asks for a refresh, and commands sent meanwhile fail.
 *
 * Here: a refused app-level token stops start-up with one line (a ConfigError); any other failure to connect is
 * logged and retried in the background, forever (1 s, doubling, up to a minute; at least a 429's Retry-After),
 * while the scheduler, which needs only the bot token, keeps running. A connection that Slack recycles or that
 * drops is reopened at once, unless it lived less than 10 s (then the wait doubles as for a failure, so a link that
 * keeps closing does not hammer Slack). `stop()` resolves once the connection is closed and no reconnect can follow.
 * The Web API client that opens connections has its own options: no retries of its own (this loop retries).
 */
export class SocketModeConnection implements Receiver {
  private readonly receiver: SocketModeReceiver;
  private readonly logger: AppLogger;
  private stopping = false;
  private supervisor: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(opts: SocketModeOptions) {
    this.logger = opts.logger;
    this.receiver = new SocketModeReceiver({
      appToken: opts.appToken,
      logger: opts.logger,
      logLevel: opts.logger.getLevel(),
      autoReconnectEnabled: false,
      installerOptions: {
        clientOptions: { slackApiUrl: opts.slackApiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, fetch: slackHttp.fetchWithin(10_000) },
      },
    });
  }

  private get client() {
    return this.receiver.client;
  }

  init(app: App): void {
    this.receiver.init(app);
  }

  /** Opens the first connection; a refused app-level token throws a ConfigError, anything else is retried in the background. */
  async start(): Promise<void> {
    this.stopping = false;
    let connected = false;
    try {
      await this.client.start();
      connected = true;
      this.logger.info('Socket Mode: connected');
    } catch (err) {
      const failure = readFailure(err);
      if (failure.refused) {
        throw new ConfigError(
          `SLACK_APP_TOKEN was refused by Slack (${failure.reason}): use an app-level token (xapp-) with the connections:write scope, from Basic Information → App-Level Tokens`,
        );
      }
      this.logger.warn(`Socket Mode: could not connect (${failure.reason}); retrying in the background`);
    }
    this.supervisor = this.superviseFrom(connected);
  }

  /** Resolves once the connection is closed and no reconnect is pending. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.client.disconnect();
    await this.supervisor;
  }

  /** Reconnects after every lost connection until stop(). */
  private async superviseFrom(connectedAtStart: boolean): Promise<void> {
    let connected = connectedAtStart;
    let connectedAt = Date.now();
    let failures = connected ? 0 : 1;
    let retryAfterMs = 0;
    while (!this.stopping) {
      if (connected) {
        await new Promise<void>((resolve) => this.client.once('disconnected', () => resolve()));
        if (this.stopping) return;
        const lived = Date.now() - connectedAt;
        failures = lived < SHORT_LIVED_MS ? failures + 1 : 0;
        this.logger.info(`Socket Mode: the connection closed after ${Math.round(lived / 1000)} s; reconnecting`);
      }
      if (failures > 0) {
        await this.pause(Math.max(retryAfterMs, Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1))));
        if (this.stopping) return;
      }
      try {
        await this.client.start();
        connected = true;
        connectedAt = Date.now();
        retryAfterMs = 0;
        this.logger.info('Socket Mode: connected again');
        if (this.stopping) {
          // stop() came while this connection was opening: close it too.
          await this.client.disconnect();
          return;
        }
      } catch (err) {
        if (this.stopping) return;
        connected = false;
        failures += 1;
        const failure = readFailure(err);
        retryAfterMs = failure.refused ? 0 : failure.retryAfterMs;
        if (failure.refused) this.logger.error(`Socket Mode: could not reconnect (${failure.reason}): Slack refused the app-level token; trying again`);
        else this.logger.warn(`Socket Mode: could not reconnect (${failure.reason}); trying again`);
      }
    }
  }

  /** Waits `ms`, or less if stop() comes first. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
