import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/** The kinds of envelope Slack sends over a Socket Mode connection. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** Why Slack asks an app to reconnect: `warning` comes first, `refresh_requested` when the connection is recycled. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

/** What the app sent back for an envelope: its id and, for a slash command or a modal, the response. */
export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1 = the first accepted) carried the acknowledgement. */
  connection: number;
  at: number;
}

export interface EnvelopeOptions {
  /** How long Slack waits for the acknowledgement: 3 s. */
  ackWithinMs?: number;
  /** Marks a redelivery, as Slack does for an event it did not see acknowledged. */
  retryAttempt?: number;
  retryReason?: string;
  /** Whether the ack's payload is used as the response (slash commands: yes; events: no). */
  acceptsResponsePayload?: boolean;
}

interface Connection {
  number: number;
  socket: WebSocket;
  /** The close code the app sent, once the connection has closed. */
  closed: Promise<number>;
}

/**
 * A local stand-in for Slack's Socket Mode endpoint, speaking its protocol over a real WebSocket on 127.0.0.1:
 *
 * - `issueUrl()` is what `apps.connections.open` returns (the fake Web API calls it, see
 *   ScriptableFakeSlack.serveSocketMode): a `ws://…/link/?ticket=…&app_id=…` URL whose ticket is good for one
 *   connection; an upgrade with an unknown or used ticket is refused with 401.
 * - On connect it sends `hello` with `num_connections`, `debug_info` and `connection_info.app_id`.
 * - `envelope()` sends `{envelope_id, type, payload, accepts_response_payload}` and resolves with the app's ack
 *   `{envelope_id, payload?}`, or rejects when none comes within Slack's 3 s.
 * - `disconnect()` sends `{type: "disconnect", reason}` and waits for the app to close the connection; the app is
 *   then expected to call `apps.connections.open` again and reconnect.
 *
 * It records every connection, every ack (with the connection that carried it) and anything else the app sent.
 */
export class FakeSocketModeServer {
  readonly appId: string;
  readonly acks: Ack[] = [];
  /** Messages from the app that were not an ack of a known envelope (there should be none). */
  readonly unexpected: unknown[] = [];
  /** Upgrades refused for a bad ticket. */
  refusedUpgrades = 0;
  private readonly tickets = new Set<string>();
  private readonly connections: Connection[] = [];
  private readonly waiting = new Map<string, (ack: Ack) => void>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private server: Server | undefined;
  private port = 0;

  constructor(opts: { appId?: string } = {}) {
    this.appId = opts.appId ?? 'A0AIPATHAPP';
  }

  async start(): Promise<this> {
    this.server = createServer((_req, res) => res.writeHead(426).end('Socket Mode only'));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.wss.close();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A fresh single-use connection URL, as `apps.connections.open` answers it. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** How many connections were accepted so far, open or not. */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** How many connections are open now. */
  get openConnections(): number {
    return this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN).length;
  }

  /** Resolves once `count` connections have been accepted in all (and the last one greeted). */
  async waitForConnections(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} Socket Mode connection(s) within ${timeoutMs} ms, got ${this.connections.length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The close code of connection `number` (1-based) once the app has closed it. */
  closedWith(number: number): Promise<number> {
    const c = this.connections[number - 1];
    if (!c) throw new Error(`no connection ${number}`);
    return c.closed;
  }

  /**
   * Sends an envelope on the newest open connection and resolves with its acknowledgement; rejects when the app
   * does not acknowledge within `ackWithinMs` (Slack's 3 s), as Slack would then show an error or retry.
   */
  envelope(type: EnvelopeType, payload: unknown, opts: EnvelopeOptions = {}): Promise<Ack> {
    const connection = this.connections.findLast((c) => c.socket.readyState === WebSocket.OPEN);
    if (!connection) return Promise.reject(new Error('no open Socket Mode connection to send an envelope on'));
    const envelopeId = randomUUID();
    const ackWithinMs = opts.ackWithinMs ?? 3000;
    const acked = new Promise<Ack>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        reject(new Error(`the ${type} envelope ${envelopeId} was not acknowledged within ${ackWithinMs} ms`));
      }, ackWithinMs);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    connection.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: opts.acceptsResponsePayload ?? type === 'slash_commands',
        ...(opts.retryAttempt !== undefined ? { retry_attempt: opts.retryAttempt, retry_reason: opts.retryReason ?? 'timeout' } : {}),
      }),
    );
    return acked;
  }

  /** Asks the app to reconnect, as Slack does when it recycles a connection; resolves once the app has closed it. */
  async disconnect(reason: DisconnectReason = 'refresh_requested'): Promise<void> {
    const open = this.connections.filter((c) => c.socket.readyState === WebSocket.OPEN);
    for (const c of open) c.socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-local' } }));
    await Promise.all(open.map((c) => c.closed));
  }

  /** Cuts every open connection without a close frame, as a network failure would. */
  dropConnections(): void {
    for (const c of this.connections) if (c.socket.readyState === WebSocket.OPEN) c.socket.terminate();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket) || url.searchParams.get('app_id') !== this.appId) {
      this.refusedUpgrades += 1;
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const connection: Connection = { number: this.connections.length + 1, socket, closed };
    this.connections.push(connection);
    socket.on('message', (data, isBinary) => this.receive(connection, data.toString(), isBinary));
    socket.on('error', () => {
      // A connection cut mid-frame: its close event follows.
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.openConnections,
        debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  private receive(connection: Connection, text: string, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const m = message as { envelope_id?: unknown; payload?: unknown } | undefined;
    const resolve = typeof m?.envelope_id === 'string' ? this.waiting.get(m.envelope_id) : undefined;
    if (!m || !resolve) {
      this.unexpected.push(message ?? text);
      return;
    }
    this.waiting.delete(m.envelope_id as string);
    const ack: Ack = { envelope_id: m.envelope_id as string, connection: connection.number, at: Date.now() };
    if (m.payload && typeof m.payload === 'object') ack.payload = m.payload as Record<string, unknown>;
    this.acks.push(ack);
    resolve(ack);
  }
}
