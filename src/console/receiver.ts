import type { App, Receiver, ReceiverEvent } from '@slack/bolt';

/**
 * A Bolt receiver fed by the console instead of HTTP or a socket: the same App, middleware and
 * listeners run; only the transport differs.
 */
export class ConsoleReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Dispatches one payload and resolves when every listener has returned (what they handed on may still run: InFlight). */
  async dispatch(body: Record<string, unknown>, onAck: (response: unknown) => void): Promise<void> {
    if (!this.app) throw new Error('ConsoleReceiver used before Bolt initialised it');
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        onAck(response);
      },
    };
    await this.app.processEvent(event);
  }
}
