import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** One HTTP exchange, its body read whole. */
export interface HttpReply {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How a request fails when it went on a reused kept-alive connection that the server had closed. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Requests to Slack over kept-alive connections with node:http(s): every WebClient's calls and Bolt's `respond` (which
 * posts to response_urls with its App's client options' fetch). The global fetch (undici) they use by default spends
 * about twice the CPU a call on the event loop that also acknowledges requests, and a timeout there is an AbortSignal
 * a call (a timer, listeners, a finalizer), which the garbage collector then clears in one go: blocks of 20–60 ms on
 * the event loop during a pass of 13,332 DMs (bench/README.md). Here a timeout is the socket's own.
 */
export class HttpTransport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(maxSockets = 64) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  /**
   * Sends one request and reads its reply whole. A kept-alive connection the server closed as it sat idle can be
   * picked for a request just before the close arrives: the request then fails unanswered. It is sent again once, on
   * a connection of its own (outside the pool and its limit), never on another pooled one: a server closes together the
   * connections that went idle together, so the next pooled one is as likely to be closed too (answers were lost that
   * way, bench/README.md, "Issue 15, tenth round"). A server that closed the connection as idle had not read the
   * request; one that read it and then reset the connection would get it twice, which for an answer to Slack is the
   * lesser harm than losing it. A request whose socket stays silent for `timeoutMs` is given up.
   */
  request(method: string, url: string | URL, headers: Record<string, string | number>, body: string | undefined, timeoutMs: number): Promise<HttpReply> {
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') return Promise.reject(new Error(`not an http(s) URL: ${target.protocol}`));
    const withLength = body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) };
    // `agent: false`: a connection of its own, closed after the reply.
    const send = (pooled: boolean): Promise<HttpReply> =>
      new Promise<HttpReply>((resolve, reject) => {
        const req = (secure ? httpsRequest : httpRequest)(
          target,
          { method, agent: pooled ? (secure ? this.https : this.http) : false, headers: withLength, timeout: timeoutMs },
          (res: IncomingMessage) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${target.host} did not answer within ${timeoutMs} ms`)));
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (pooled && req.reusedSocket && STALE_SOCKET.has(err.code ?? '')) resolve(send(false));
          else reject(err);
        });
        req.end(body);
      });
    return send(true);
  }

  /**
   * @slack/web-api's `fetch` option over this transport, giving up after `timeoutMs`: its calls are form-encoded POSTs
   * with a string body. Anything else it might send (a file upload's multipart body, an abort signal of its own) goes
   * to the global fetch. The WebClient's own `timeout` stays 0, which means no AbortSignal a call.
   */
  fetchWithin(timeoutMs: number): FetchFunction {
    return async (url, init = {}) => {
      if ((init.body !== undefined && typeof init.body !== 'string') || init.signal) return globalThis.fetch(url, init);
      return replyAsResponse(await this.request(init.method ?? 'GET', url, init.headers ?? {}, init.body, timeoutMs), String(url));
    };
  }

  /** Closes the kept-alive connections (at shutdown). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** What @slack/web-api reads of a response (its FetchResponse), over a reply read whole. */
function replyAsResponse(reply: HttpReply, url: string): FetchResponse {
  const text = () => reply.body.toString('utf8');
  return {
    ok: reply.status >= 200 && reply.status < 300,
    status: reply.status,
    statusText: reply.statusText,
    url,
    headers: {
      get: (name) => {
        const value = reply.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
      entries: () => Object.entries(reply.headers).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]])),
    },
    text: async () => text(),
    json: async () => JSON.parse(text()) as unknown,
    arrayBuffer: async () => reply.body.buffer.slice(reply.body.byteOffset, reply.body.byteOffset + reply.body.byteLength) as ArrayBuffer,
  };
}

/**
 * The process's connections to Slack, shared by every WebClient and Bolt's `respond`, as the global fetch's
 * dispatcher was. Idle kept-alive sockets do not keep the process running (Node unrefs them), so nothing needs closing.
 */
export const slackHttp = new HttpTransport();
