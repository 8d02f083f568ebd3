import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call (or response_url post) as the fake workspace received it. */
export interface RecordedCall {
  method: string;
  /** The request's path: tells apart the response_urls of different requests. */
  path: string;
  params: Record<string, unknown>;
  /** The token the call carried (`Authorization: Bearer …`, or a `token` parameter), as Slack reads it. */
  token: string | undefined;
  at: number;
  /** What the fake answered (the posted message's ts, …); absent for a scripted answer. */
  response?: unknown;
}

/** An HTTP answer of the fake Web API. */
export interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
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
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** A file uploaded the way files.uploadV2 does it: its URL asked for, its bytes posted there, then completed. */
export interface UploadedFile {
  id: string;
  filename: string;
  /** The bytes posted to the upload URL; undefined until they arrive. */
  content?: Buffer;
  /** Set by files.completeUploadExternal: where it was shared, with what title and comment. */
  completed?: { channel: string | undefined; title: string | undefined; comment: string | undefined };
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'files']);

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The file in a multipart/form-data body (files.uploadV2 posts the bytes to the upload URL as a form field). */
async function readUpload(req: IncomingMessage, raw: Buffer): Promise<Buffer | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  for (const value of form.values()) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return undefined;
}

function parseBody(req: IncomingMessage, buffer: Buffer): Record<string, unknown> {
  const raw = buffer.toString('utf8');
  if (raw === '') return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    params[k] = JSON_FIELDS.has(k) ? safeJson(v) : v;
  }
  return params;
}

function tokenOf(req: IncomingMessage, params: Record<string, unknown>): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? (typeof params.token === 'string' ? params.token : undefined);
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * The console's stand-in for Slack's Web API on 127.0.0.1: it records every call, emits `call` for
 * the console to render, and answers what the bot uses (chat.postMessage, chat.update,
 * conversations.open, conversations.history, users.info, views.publish, response_url posts, and
 * files.uploadV2's three steps: files.getUploadURLExternal, the upload URL, files.completeUploadExternal).
 * Tests extend it to script failures and rate limits (test/support/fake-slack.ts).
 */
export class FakeSlack extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  /** Files uploaded with files.uploadV2, by file id. */
  readonly files = new Map<string, UploadedFile>();
  readonly users = new Map<string, FakeUser>();
  teamId = 'T0AIPATH1';
  defaultTz = 'UTC';
  /** Messages posted with chat.postMessage, per channel, as conversations.history returns them. */
  readonly messages = new Map<string, PostedMessage[]>();
  private server: Server | undefined;
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

  /** A subclass may answer a recorded call itself; `undefined` gives the normal answer (and the `call` event). */
  protected async intercept(_call: RecordedCall): Promise<FakeResponse | undefined> {
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let params: Record<string, unknown>;
    const upload = url.pathname.startsWith('/upload/');
    try {
      const raw = await readRaw(req);
      if (upload) {
        // Slack's upload URL takes the file's bytes, not Web API parameters: it answers 200 and "OK - <bytes>".
        const content = await readUpload(req, raw);
        params = { file_id: url.pathname.slice('/upload/'.length), content };
      } else {
        // A browser's GET (Slack's authorize page) carries its parameters in the query.
        params = { ...Object.fromEntries(url.searchParams), ...parseBody(req, raw) };
      }
    } catch {
      return this.send(res, { status: 400, body: { ok: false, error: 'invalid_form_data' } });
    }
    const method = url.pathname.startsWith('/response/') ? 'response_url' : upload ? 'file_upload' : url.pathname.replace(/^\/api\//, '');
    const call: RecordedCall = { method, path: url.pathname, params, token: tokenOf(req, params), at: Date.now() };
    this.calls.push(call);
    const intercepted = await this.intercept(call);
    if (intercepted) return this.send(res, intercepted);
    call.response = this.answer(method, params);
    this.emit('call', call);
    this.send(res, method === 'file_upload' ? this.receiveUpload(params) : { body: call.response });
  }

  /** The bytes posted to an upload URL files.getUploadURLExternal handed out. */
  private receiveUpload(p: Record<string, unknown>): FakeResponse {
    const file = this.files.get(String(p.file_id));
    if (!file || !Buffer.isBuffer(p.content)) return { status: 404, body: 'not found' };
    file.content = p.content;
    return { body: `OK - ${p.content.length}` };
  }

  private send(res: ServerResponse, r: FakeResponse): void {
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
        // Newest first, `limit` a page, the cursor being the offset: as Slack pages a busy channel.
        const list = [...(this.messages.get(String(p.channel ?? '')) ?? [])].reverse();
        const withMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
        const from = Number(p.cursor ?? 0) || 0;
        const limit = Number(p.limit ?? 100) || 100;
        const page = list.slice(from, from + limit);
        const more = from + limit < list.length;
        return {
          ok: true,
          messages: page.map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: more,
          response_metadata: { next_cursor: more ? String(from + limit) : '' },
        };
      }
      case 'chat.update':
        return { ok: true, channel: p.channel, ts: p.ts };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? '').replace(/^U/, '')}` } };
      case 'files.getUploadURLExternal': {
        const id = `F0FILE${String(this.files.size + 1).padStart(4, '0')}`;
        this.files.set(id, { id, filename: String(p.filename ?? '') });
        return { ok: true, file_id: id, upload_url: `http://127.0.0.1:${this.port}/upload/${id}` };
      }
      case 'files.completeUploadExternal': {
        const listed = Array.isArray(p.files) ? (p.files as { id?: string; title?: string }[]) : [];
        const files = listed.map((f) => ({ f, file: this.files.get(String(f.id)) }));
        if (files.length === 0 || files.some(({ file }) => !file?.content)) return { ok: false, error: 'file_not_found' };
        for (const { f, file } of files)
          file!.completed = {
            channel: p.channel_id === undefined ? undefined : String(p.channel_id),
            title: f.title,
            comment: p.initial_comment === undefined ? undefined : String(p.initial_comment),
          };
        return { ok: true, files: files.map(({ f, file }) => ({ id: file!.id, title: f.title ?? file!.filename, name: file!.filename })) };
      }
      case 'users.info': {
        const id = String(p.user ?? '');
        const user = this.users.get(id) ?? { id };
        return { ok: true, user: { tz: this.defaultTz, is_admin: false, is_owner: false, ...user } };
      }
      default:
        // views.publish, response_url posts and anything else: accepted.
        return { ok: true };
    }
  }
}
