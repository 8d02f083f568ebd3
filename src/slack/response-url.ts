import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { RespondError, type RespondArguments } from '@slack/bolt';

/** A response_url that does not answer within this is given up (Slack's answer within a second or so). */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** A post on a reused kept-alive connection that the server had closed. */
class StaleSocket extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Posts answers to response_urls over kept-alive connections with node:http(s). Bolt's own `respond` goes through the
 * global fetch (undici), which spends several times the CPU per post on the event loop that also acknowledges
 * requests; the request and its failures are the same: a JSON POST, and a non-2xx status rejects with Bolt's
 * RespondError (its code and statusCode), so callers handle both alike.
 */
export class ResponseUrlPoster {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

  constructor(private readonly timeoutMs = RESPONSE_URL_TIMEOUT_MS) {}

  /** What a listener's `respond` does for `url`, through this poster. */
  respondTo(url: string): (message: RespondArguments) => Promise<void> {
    return (message) => this.post(url, message);
  }

  post(url: string, message: RespondArguments): Promise<void> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') return Promise.reject(new Error(`response_url is not http(s): ${target.protocol}`));
    const body = JSON.stringify(message);
    const once = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const req = (secure ? httpsRequest : httpRequest)(
          target,
          {
            method: 'POST',
            agent: secure ? this.https : this.http,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            timeout: this.timeoutMs,
          },
          (res: IncomingMessage) => {
            res.resume();
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) resolve();
              else reject(new RespondError(`Failed to respond to the response_url: ${status} ${res.statusMessage ?? ''}`.trim(), status));
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`response_url did not answer within ${this.timeoutMs} ms`)));
        req.on('error', (err: NodeJS.ErrnoException) => reject(req.reusedSocket && STALE_SOCKET.has(err.code ?? '') ? new StaleSocket(err) : err));
        req.end(body);
      });
    // A kept-alive connection the server closed as it sat idle can be picked for the next post just before the close
    // arrives: the post then fails unanswered, and the learner's answer would be lost. It is sent again once, on a new
    // connection (a server that closed the connection as idle had not read it).
    return once()
      .catch((err: unknown) => (err instanceof StaleSocket ? once() : Promise.reject(err)))
      .catch((err: unknown) => Promise.reject(err instanceof StaleSocket ? err.cause : err));
  }

  /** Closes the kept-alive connections (at shutdown). */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
