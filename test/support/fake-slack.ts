import { FakeSlack, type FakeResponse, type RecordedCall, type UploadedFile } from '../../src/console/fake-slack.js';

export type { RecordedCall, UploadedFile };

export interface ScriptedResponse extends FakeResponse {
  /** Answer this much later, as a slow Slack would. */
  delayMs?: number;
}

/**
 * The console's fake Web API with what tests and benchmarks need on top: scripted answers per method
 * (429 with Retry-After, 5xx, Slack error bodies, slow answers), a per-second rate rule, and helpers
 * to look at and clear what it recorded.
 */
export class ScriptableFakeSlack extends FakeSlack {
  private readonly scripted = new Map<string, ScriptedResponse[]>();
  private rate: { method: string; perSecond: number; retryAfter: number; sent: number[] } | undefined;
  /** How many calls the rate rule answered with 429. */
  rateLimitedCalls = 0;

  /** The next `times` calls of `method` get this answer instead of the normal one. */
  script(method: string, response: ScriptedResponse, times = 1): void {
    const queue = this.scripted.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(response);
    this.scripted.set(method, queue);
  }

  /** Drops the answers still scripted for `method`: the calls after get the normal answer. */
  unscript(method: string): void {
    this.scripted.delete(method);
  }

  /** Answers `method` with 429 and Retry-After once more than `perSecond` calls arrive within a second. */
  enforceRate(method: string, perSecond: number, retryAfter = 1): void {
    this.rate = { method, perSecond, retryAfter, sent: [] };
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Files whose upload was completed (files.completeUploadExternal), oldest first. */
  sharedFiles(): UploadedFile[] {
    return [...this.files.values()].filter((f) => f.completed);
  }

  reset(): void {
    this.calls.length = 0;
    this.files.clear();
    this.scripted.clear();
    this.messages.clear();
    this.rate = undefined;
    this.rateLimitedCalls = 0;
  }

  protected override async intercept(call: RecordedCall): Promise<FakeResponse | undefined> {
    const scripted = this.scripted.get(call.method)?.shift();
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted) return scripted;
    if (this.rate?.method === call.method) {
      const now = Date.now();
      const sent = this.rate.sent;
      while (sent.length > 0 && sent[0]! <= now - 1000) sent.shift();
      if (sent.length >= this.rate.perSecond) {
        this.rateLimitedCalls += 1;
        return { status: 429, headers: { 'retry-after': String(this.rate.retryAfter) }, body: { ok: false, error: 'ratelimited' } };
      }
      sent.push(now);
    }
    return undefined;
  }
}
