import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { RespondError } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseUrlPoster } from '../../src/slack/response-url.js';

/** A response_url: records each POST and answers with `status` (or never, when status is 0). */
async function responseUrl(status: number) {
  const posts: { method?: string; type?: string; body: unknown; url?: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      posts.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(raw), url: req.url });
      if (status) res.writeHead(status).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands/T1/1/abc`;
  return { url, posts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('ResponseUrlPoster', () => {
  const closing: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('POSTs the answer as JSON to the response_url, over a kept-alive connection', async () => {
    const sink = await responseUrl(200);
    const poster = new ResponseUrlPoster();
    closing.push(sink.close, () => poster.close());
    const respond = poster.respondTo(sink.url);
    await respond({ response_type: 'ephemeral', text: 'hello', replace_original: false });
    await respond({ response_type: 'ephemeral', text: 'again' });
    expect(sink.posts).toEqual([
      { method: 'POST', type: 'application/json', url: '/commands/T1/1/abc', body: { response_type: 'ephemeral', text: 'hello', replace_original: false } },
      { method: 'POST', type: 'application/json', url: '/commands/T1/1/abc', body: { response_type: 'ephemeral', text: 'again' } },
    ]);
  });

  it("rejects a refused answer with Bolt's RespondError and the status, as Bolt's respond does", async () => {
    const sink = await responseUrl(404);
    const poster = new ResponseUrlPoster();
    closing.push(sink.close, () => poster.close());
    const err = await poster.post(sink.url, { text: 'late' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RespondError);
    expect((err as RespondError).statusCode).toBe(404);
  });

  it('gives up on a response_url that does not answer, and refuses anything but http(s)', async () => {
    const sink = await responseUrl(0);
    const poster = new ResponseUrlPoster(100);
    closing.push(() => poster.close(), sink.close);
    await expect(poster.post(sink.url, { text: 'x' })).rejects.toThrow(/did not answer within 100 ms/);
    await expect(poster.post('file:///etc/passwd', { text: 'x' })).rejects.toThrow(/not http\(s\)/);
  });

  it('sends an answer again, once, when the kept-alive connection it went on had been closed by the server', async () => {
    // A server that answers the first request on each connection and keeps it open, then drops the connection
    // unanswered when a second request comes on it: the race of a reused socket the server closed as it sat idle.
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
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/commands/T1/1/abc`;
    const poster = new ResponseUrlPoster();
    closing.push(
      () => poster.close(),
      () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    );
    await poster.post(url, { text: 'first' });
    await poster.post(url, { text: 'second' });
    expect(bodies.map((b) => JSON.parse(b).text)).toEqual(['first', 'second']);
    expect(sockets).toHaveLength(2);
  });
});
