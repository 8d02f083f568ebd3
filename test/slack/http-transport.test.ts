import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliveryGateway } from '../../src/container.js';
import { classifySlackError } from '../../src/slack/errors.js';
import { HttpTransport } from '../../src/slack/http-transport.js';
import { createLogger } from '../../src/log.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';

const quiet = createLogger('error');

describe('HttpTransport as the Web API client’s fetch', () => {
  const closing: (() => unknown)[] = [];
  afterEach(async () => {
    vi.unstubAllGlobals();
    for (const close of closing.splice(0)) await close();
  });
  const started = async () => {
    const fake = await new ScriptableFakeSlack().start();
    const transport = new HttpTransport();
    closing.push(
      () => transport.close(),
      () => fake.stop(),
    );
    const client = (timeoutMs = 2000) =>
      new webApi.WebClient('xoxb-test', {
        slackApiUrl: fake.url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        fetch: transport.fetchWithin(timeoutMs),
      });
    return { fake, client };
  };

  it('makes the delivery gateway’s calls without the global fetch (no AbortSignal, timer and finalizer a call)', async () => {
    const fake = await new ScriptableFakeSlack().start();
    closing.push(() => fake.stop());
    const globalFetch = vi.fn(() => Promise.reject(new Error('the global fetch was used')));
    vi.stubGlobal('fetch', globalFetch);
    const slack = deliveryGateway('xoxb-test', fake.url, quiet).forWorkspace('T1');
    const dm = await slack.openDm('U1');
    const posted = await slack.post(dm, { text: 'hello', blocks: [] }, 7);
    expect(posted.channel).toBe(dm);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it('sends form-encoded POSTs with the token and reads the answer, its scopes header included', async () => {
    const { fake, client } = await started();
    fake.script('auth.test', { body: { ok: true, user_id: 'UBOT' }, headers: { 'x-oauth-scopes': 'chat:write,im:write' } });
    const result = await client().auth.test();
    expect(result.user_id).toBe('UBOT');
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'im:write']);
    expect(fake.tokensUsed('auth.test')).toEqual(['xoxb-test']);
  });

  it('keeps Slack’s errors as @slack/web-api types them: an error body, a 429 with Retry-After, a 5xx', async () => {
    const { fake, client } = await started();
    fake.script('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    fake.script('chat.update', { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    fake.script('conversations.open', { status: 503, body: 'unavailable' });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => 'no error',
        (err: unknown) => classifySlackError(err),
      );
    expect(await failure(client().chat.postMessage({ channel: 'C1', text: 'x' }))).toEqual({ kind: 'target', reason: 'channel_not_found' });
    expect(await failure(client().chat.update({ channel: 'C1', ts: '1.2', text: 'x' }))).toEqual({
      kind: 'rate-limited',
      reason: 'rate_limited',
      retryAfter: 7,
    });
    expect(await failure(client().conversations.open({ users: 'U1' }))).toEqual({ kind: 'transient', reason: 'http_503' });
  });

  it('gives up on a Slack that does not answer within its timeout', async () => {
    const { fake, client } = await started();
    fake.script('chat.postMessage', { body: { ok: true, channel: 'C1', ts: '1.2' }, delayMs: 1000 });
    const t0 = performance.now();
    const err = await client(100)
      .chat.postMessage({ channel: 'C1', text: 'x' })
      .catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(900);
    expect(classifySlackError(err)).toMatchObject({ kind: 'transient', reason: expect.stringMatching(/did not answer within 100 ms/) });
  });
});

/**
 * A server that answers the first request on each connection and keeps it open, then drops the connection unanswered
 * when a second request comes on it: the race of a reused socket the server closed as it sat idle.
 */
async function oneRequestAConnection() {
  const bodies: string[] = [];
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => {
    sockets.push(socket);
    let served = false;
    socket.on('data', (data: Buffer) => {
      const text = data.toString();
      if (!text.startsWith('POST')) return;
      if (served) return void socket.destroy();
      served = true;
      bodies.push(text.slice(text.indexOf('\r\n\r\n') + 4));
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\nok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const transport = new HttpTransport();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/r/1`;
  return {
    bodies,
    sockets,
    send: (body: string) => transport.request('POST', url, { 'content-type': 'text/plain' }, body, 1000),
    transport,
    close: async () => {
      transport.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HttpTransport', () => {
  it('sends a request again, once, when the kept-alive connection it went on had been closed by the server', async () => {
    const { bodies, sockets, send, transport, close } = await oneRequestAConnection();
    try {
      const first = await send('first');
      const second = await send('second');
      expect([first.status, first.body.toString(), second.status]).toEqual([200, 'ok', 200]);
      expect(bodies).toEqual(['first', 'second']);
      expect(sockets).toHaveLength(2);
      await expect(transport.request('POST', 'file:///etc/passwd', {}, 'x', 1000)).rejects.toThrow(/not an http\(s\) URL/);
    } finally {
      await close();
    }
  });

  it('sends it again on a connection of its own, not on another kept-alive one the server may have closed too', async () => {
    // Four requests at once leave four kept-alive connections in the pool, every one of them dropped when the next
    // request is sent on it (as when a server closes the connections that went idle together): the retry must not
    // take another of them.
    const { bodies, sockets, send, close } = await oneRequestAConnection();
    try {
      await Promise.all(['a', 'b', 'c', 'd'].map(send));
      expect(sockets).toHaveLength(4);
      const answer = await send('the answer');
      expect([answer.status, answer.body.toString()]).toEqual([200, 'ok']);
      expect(bodies.filter((b) => b === 'the answer')).toHaveLength(1);
      // One pooled connection tried and dropped, then one of its own.
      expect(sockets).toHaveLength(5);
    } finally {
      await close();
    }
  });
});
