import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Now as epoch milliseconds with sub-millisecond precision, comparable between processes on this machine. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * Where the commands' response_urls point: records when each answer arrives (epochNow), keyed by the request's number
 * (`…/r/<n>`). aipath acknowledges first and answers by response_url; the bare app answers in its acknowledgement.
 * It runs in the fake Slack's process (bench/fake-slack-process.ts), not in the one sending the requests: answers
 * arriving there would hold up the reading of acknowledgements, and only aipath's (the bare app sends none).
 */
export class AnswerSink {
  private server = createServer((req, res) => {
    const at = epochNow();
    req.resume();
    req.on('end', () => {
      const id = Number(/\/r\/(\d+)$/.exec(req.url ?? '')?.[1]);
      if (Number.isInteger(id)) this.arrived.set(id, at);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  readonly arrived = new Map<number, number>();
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
