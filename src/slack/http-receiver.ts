import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { AppLogger } from '../log.js';
import { InboundBody } from './payload.js';
import { isValidSlackSignature } from './signature.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpReceiverOptions {
  signingSecret: string;
  logger: AppLogger;
  /** Extra GET routes such as /healthz. */
  routes?: Record<string, RouteHandler>;
  /** Wall-clock seconds, for the signature's five-minute window. */
  nowSeconds?: () => number;
  /** Requests larger than this are refused (413). */
  bodyLimitBytes?: number;
  /** How long a listener may take to acknowledge before the receiver answers for it. */
  ackTimeoutMs?: number;
  /** What to add to a Slack request's context from the request itself (Bolt's customProperties). */
  requestContext?: (req: IncomingMessage) => Record<string, unknown>;
}

export const EVENTS_PATH = '/slack/events';

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Slack's HTTP requests, checked before Bolt sees them: a real signature within five minutes either
 * way, a body no larger than Slack sends, and a payload of a shape Slack sends (zod). Anything else
 * gets a 4xx and a warning in the log; no request can reach a listener half-formed or take the
 * process down. The routes are Slack's plus a few GET routes.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly nowSeconds: () => number;

  constructor(private readonly opts: HttpReceiverOptions) {
    this.nowSeconds = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  init(app: App): void {
    this.app = app;
  }

  start(port: number, host = '0.0.0.0'): Promise<Server> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.opts.logger.error('request failed', err);
        if (!res.headersSent) respond(res, 500);
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = this.opts.routes?.[path];
    if (route && req.method === 'GET') return route(req, res);
    if (path !== EVENTS_PATH) return respond(res, 404);
    if (req.method !== 'POST') return respond(res, 405);
    let event: ReceiverEvent | undefined;
    try {
      event = await this.readEvent(req, res);
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      this.opts.logger.warn(`refused a request to ${EVENTS_PATH}: ${err.message}`);
      return respond(res, err.status);
    }
    if (!event) return;
    await this.app?.processEvent(event);
  }

  /** The verified, parsed request as Bolt's event, or undefined when the receiver answered itself. */
  private async readEvent(req: IncomingMessage, res: ServerResponse): Promise<ReceiverEvent | undefined> {
    const raw = await readBody(req, this.opts.bodyLimitBytes ?? 1024 * 1024);
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signature = header(req, 'x-slack-signature');
    if (!timestamp || !signature || !isValidSlackSignature(this.opts.signingSecret, timestamp, raw, signature, this.nowSeconds())) {
      throw new RequestError(401, 'missing, stale or wrong signature');
    }
    const body = parseBody(raw, header(req, 'content-type') ?? '');
    if ('ssl_check' in body && body.ssl_check === '1') {
      respond(res, 200);
      return undefined;
    }
    const checked = InboundBody.safeParse(body);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new RequestError(400, `unexpected payload${issue ? ` (${issue.path.join('.') || 'body'}: ${issue.message})` : ''}`);
    }
    const data = checked.data;
    if ('challenge' in data) {
      respond(res, 200, { challenge: data.challenge });
      return undefined;
    }
    return {
      body,
      ack: this.ackFor(res),
      retryNum: numberHeader(req, 'x-slack-retry-num'),
      retryReason: header(req, 'x-slack-retry-reason'),
      ...(this.opts.requestContext ? { customProperties: this.opts.requestContext(req) } : {}),
    };
  }

  /** One answer per request: the listener's ack, or an empty 200 if it has not acked in time. */
  private ackFor(res: ServerResponse): ReceiverEvent['ack'] {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      this.opts.logger.warn('a request was not acknowledged in time; answered with an empty 200');
      respond(res, 200);
    }, this.opts.ackTimeoutMs ?? 2900);
    timer.unref();
    return async (response?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (response === undefined || response === '') respond(res, 200);
      else if (typeof response === 'string') respond(res, 200, response);
      else respond(res, 200, response);
    };
  }
}

function respond(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function numberHeader(req: IncomingMessage, name: string): number | undefined {
  const n = Number(header(req, name));
  return Number.isInteger(n) ? n : undefined;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new RequestError(413, `body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => reject(new RequestError(400, 'the request body could not be read')));
  });
}

/** Form bodies carry either a slash command's fields or a JSON `payload`; events come as JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(raw);
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : { ...form };
    } else if (contentType.startsWith('application/json')) {
      parsed = JSON.parse(raw);
    } else {
      throw new RequestError(415, `unsupported content type "${contentType}"`);
    }
  } catch (err) {
    if (err instanceof RequestError) throw err;
    throw new RequestError(400, 'the body is not valid form data or JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RequestError(400, 'the body is not a JSON object');
  return parsed as Record<string, unknown>;
}
