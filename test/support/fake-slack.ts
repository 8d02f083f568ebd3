import { FakeSlack, type FakeResponse, type RecordedCall, type UploadedFile } from '../../src/console/fake-slack.js';
import type { FakeSocketModeServer } from './socket-mode-server.js';

export type { RecordedCall, UploadedFile };

/** What Slack hands an app for one approved install: the answer oauth.v2.access gives for its code. */
export interface OAuthGrant {
  /** The workspace; none for an Enterprise Grid org-wide install. */
  team?: { id: string; name: string };
  enterprise?: { id: string; name: string };
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId: string;
  botId: string;
  scopes: readonly string[];
  installerUserId: string;
}

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
  private socketMode: FakeSocketModeServer | undefined;

  /** Answers `apps.connections.open` with a fresh connection URL of this Socket Mode server. */
  serveSocketMode(server: FakeSocketModeServer): this {
    this.socketMode = server;
    return this;
  }

  /** The app's credentials, as oauth.v2.access checks them. */
  client = { id: '1234567890.0987654321', secret: 'fakeclientsecret0123456789abcdef' };
  private readonly codes = new Map<string, OAuthGrant>();
  private readonly tokens = new Map<string, OAuthGrant>();
  private readonly revoked = new Set<string>();
  private readonly approvals: (OAuthGrant | 'deny')[] = [];
  /** The app's redirect URL, as Slack's app settings hold it: where the authorize page sends the browser back. */
  redirectUrl = '';
  private codeCounter = 0;

  /**
   * What the user does on Slack's authorize page next: approves the install for this grant (the browser comes back with
   * a code for it), or cancels (it comes back with error=access_denied).
   */
  approveNext(grant: OAuthGrant | 'deny'): void {
    this.approvals.push(grant);
  }

  /**
   * The code Slack's authorize page gives the browser once a user approved the install: oauth.v2.access exchanges it,
   * once, for the grant; auth.test then answers for its bot token.
   */
  grant(code: string, grant: OAuthGrant): void {
    this.codes.set(code, grant);
  }

  /** Slack refuses `token` from now on (token_revoked), as after an uninstall. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  /** The tokens that the recorded Web API calls carried (response_url posts carry none), in order. */
  tokensUsed(method?: string): string[] {
    return this.calls.filter((c) => (method === undefined || c.method === method) && c.method !== 'response_url').map((c) => c.token ?? '(none)');
  }

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
    if (call.token && this.revoked.has(call.token)) return { body: { ok: false, error: 'token_revoked' } };
    if (call.method === '/oauth/v2/authorize') return this.authorizePage(call.params);
    if (call.method === 'oauth.v2.access' && !this.scripted.get(call.method)?.length) return { body: this.exchange(call.params) };
    if (call.method === 'auth.test' && call.token && this.tokens.has(call.token)) return { body: this.whoIs(this.tokens.get(call.token)!) };
    const scripted = this.scripted.get(call.method)?.shift();
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted) return scripted;
    if (call.method === 'apps.connections.open') return this.connectionsOpen(call);
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

  /** As Slack answers it: only an app-level token (xapp-) may open a connection. */
  private connectionsOpen(call: RecordedCall): FakeResponse {
    if (!call.token) return { body: { ok: false, error: 'not_authed' } };
    if (!call.token.startsWith('xapp-')) return { body: { ok: false, error: 'not_allowed_token_type' } };
    if (!this.socketMode) return { body: { ok: false, error: 'socket_mode_not_enabled' } };
    return { body: { ok: true, url: this.socketMode.issueUrl() } };
  }

  /**
   * Slack's authorize page (GET /oauth/v2/authorize), as the user leaves it: redirects the browser back to the app with
   * a fresh code and the state it was given, or with error=access_denied. Refuses an unknown client or a missing scope
   * or state, as Slack would.
   */
  private authorizePage(p: Record<string, unknown>): FakeResponse {
    if (p.client_id !== this.client.id) return { status: 400, body: 'invalid_client_id' };
    if (typeof p.scope !== 'string' || p.scope === '' || typeof p.state !== 'string' || !this.redirectUrl) return { status: 400, body: 'bad request' };
    const next = this.approvals.shift();
    if (!next) return { status: 400, body: 'nobody is at the authorize page (approveNext was not called)' };
    const back = new URL(this.redirectUrl);
    if (next === 'deny') {
      back.searchParams.set('error', 'access_denied');
    } else {
      this.codeCounter += 1;
      const code = `code-${this.codeCounter}-${Date.now()}`;
      this.grant(code, next);
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', p.state);
    return { status: 302, headers: { location: back.toString() }, body: '' };
  }

  /** oauth.v2.access as Slack answers it: the app's credentials checked, each code good once. */
  private exchange(p: Record<string, unknown>): unknown {
    if (p.client_id !== this.client.id) return { ok: false, error: 'invalid_client_id' };
    if (p.client_secret !== this.client.secret) return { ok: false, error: 'bad_client_secret' };
    const code = String(p.code ?? '');
    const g = this.codes.get(code);
    if (!g) return { ok: false, error: 'invalid_code' };
    this.codes.delete(code);
    this.tokens.set(g.botToken, g);
    return {
      ok: true,
      app_id: 'A0AIPATH01',
      authed_user: { id: g.installerUserId },
      scope: g.scopes.join(','),
      token_type: 'bot',
      access_token: g.botToken,
      bot_user_id: g.botUserId,
      team: g.team ?? null,
      enterprise: g.enterprise ?? null,
      is_enterprise_install: g.isEnterpriseInstall ?? false,
    };
  }

  private whoIs(g: OAuthGrant): unknown {
    return {
      ok: true,
      url: `https://${(g.team?.name ?? g.enterprise?.name ?? 'grid').toLowerCase().replace(/[^a-z0-9]+/g, '-')}.slack.com/`,
      team: g.team?.name ?? g.enterprise?.name,
      user: 'aipath',
      team_id: g.team?.id ?? g.enterprise?.id,
      user_id: g.botUserId,
      bot_id: g.botId,
      ...(g.enterprise ? { enterprise_id: g.enterprise.id } : {}),
      is_enterprise_install: g.isEnterpriseInstall ?? false,
    };
  }
}
