import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call (or response_url post) as the fake workspace received it. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export interface ScriptedResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this much later, as a slow Slack would. */
  delayMs?: number;
}

export interface PostedMessage {
  ts: string;
  channel: string;
  text: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface FakeUser {
  id: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    params[k] = JSON_FIELDS.has(k) ? safeJson(v) : v;
  }
  return params;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * A small stand-in for Slack's Web API on 127.0.0.1: the console renders what it records, and tests
 * script failures (429 with Retry-After, 5xx, Slack error bodies) per method.
 */
export class FakeSlack extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly users = new Map<string, FakeUser>();
  teamId = 'T0AIPATH1';
  defaultTz = 'UTC';
  private server: Server | undefined;
  /** Messages posted with chat.postMessage, per channel, as conversations.history returns them. */
  readonly messages = new Map<string, PostedMessage[]>();
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private rate: { method: string; perSecond: number; retryAfter: number; sent: number[] } | undefined;
  /** How many calls the rate rule answered with 429. */
  rateLimitedCalls = 0;
  private tsCounter = 0;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  get responseUrlBase(): string {
    return `http://127.0.0.1:${this.port}/response/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next `times` calls of `method` get this answer instead of the normal one. */
  script(method: string, response: ScriptedResponse, times = 1): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(response);
    this.scripted.set(method, queue);
  }

  /** Answers `method` with 429 and Retry-After once more than `perSecond` calls arrive within a second. */
  enforceRate(method: string, perSecond: number, retryAfter = 1): void {
    this.rate = { method, perSecond, retryAfter, sent: [] };
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.scripted.clear();
    this.messages.clear();
    this.rate = undefined;
    this.rateLimitedCalls = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let params: Record<string, unknown>;
    try {
      params = await readBody(req);
    } catch {
      return this.send(res, { status: 400, body: { ok: false, error: 'invalid_form_data' } });
    }
    const method = url.pathname.startsWith('/response/') ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const call: RecordedCall = { method, params, at: Date.now() };
    this.calls.push(call);
    const scripted = this.scripted.get(method)?.shift();
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted) return this.send(res, scripted);
    if (this.rate?.method === method) {
      const now = Date.now();
      const sent = this.rate.sent;
      while (sent.length > 0 && sent[0]! <= now - 1000) sent.shift();
      if (sent.length >= this.rate.perSecond) {
        this.rateLimitedCalls += 1;
        return this.send(res, { status: 429, headers: { 'retry-after': String(this.rate.retryAfter) }, body: { ok: false, error: 'ratelimited' } });
      }
      sent.push(now);
    }
    this.emit('call', call);
    this.send(res, { body: this.answer(method, params) });
  }

  private send(res: ServerResponse, r: ScriptedResponse): void {
    const body = r.body ?? { ok: true };
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1800000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private answer(method: string, p: Record<string, unknown>): unknown {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://aipath-local.slack.com/',
          team: 'aipath local',
          user: 'aipath',
          team_id: this.teamId,
          user_id: 'U0AIPATHBOT',
          bot_id: 'B0AIPATHBOT',
        };
      case 'chat.postMessage': {
        const channel = String(p.channel ?? '');
        const message: PostedMessage = { ts: this.nextTs(), channel, text: String(p.text ?? ''), metadata: p.metadata as PostedMessage['metadata'] };
        const list = this.messages.get(channel) ?? [];
        list.push(message);
        this.messages.set(channel, list);
        return { ok: true, channel, ts: message.ts, message: { text: message.text } };
      }
      case 'conversations.history': {
        const list = this.messages.get(String(p.channel ?? '')) ?? [];
        const withMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
        return {
          ok: true,
          messages: [...list].reverse().map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: false,
        };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.update':
        return { ok: true, channel: p.channel, ts: p.ts };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? '').replace(/^U/, '')}` } };
      case 'users.info': {
        const id = String(p.user ?? '');
        const user = this.users.get(id) ?? { id };
        return { ok: true, user: { tz: this.defaultTz, is_admin: false, is_owner: false, ...user } };
      }
      default:
        return { ok: true };
    }
  }
}
