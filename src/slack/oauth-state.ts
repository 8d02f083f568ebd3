import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type InstallURLOptions, InvalidStateError, type StateStore } from '@slack/oauth';
import type { OAuthStatesRepository } from '../ports/store.js';
import type { Clock } from '../shared/clock.js';

/** How long an install link works: from the Add to Slack redirect to Slack's redirect back (the cookie lives as long). */
export const STATE_TTL_MS = 10 * 60_000;
/** A used state's id is kept this long past its expiry, for clocks a little apart between replicas. */
const FORGET_MARGIN_MS = 60 * 60_000;

/** Why a state that came back with Slack's redirect was refused: each gets its own page. */
export type StateProblem = 'forged' | 'expired' | 'reused';

export class StateRefused extends InvalidStateError {
  constructor(readonly problem: StateProblem) {
    super(
      problem === 'forged'
        ? 'the state was not issued by this app'
        : problem === 'expired'
          ? 'the state has expired'
          : 'the state was already used for an install',
    );
  }
}

/**
 * The OAuth state for @slack/oauth's InstallProvider: `<issued, base 36>.<random id>.<HMAC-SHA256 of both with
 * SLACK_STATE_SECRET>`. Issuing one writes nothing (a crawler on /slack/install costs no rows); checking one proves it
 * is ours (the signature), recent (STATE_TTL_MS), and unused: its id is consumed in the database, so a replayed
 * redirect is refused on every replica. The built-in ClearStateStore checks the first two only. The browser binding
 * (the state in a cookie) is InstallProvider's own check, made before this one.
 */
export class SingleUseStateStore implements StateStore {
  constructor(private readonly o: { secret: string; states: OAuthStatesRepository; clock: Clock; installOptions: InstallURLOptions; ttlMs?: number }) {}

  private sign(payload: string): string {
    return createHmac('sha256', this.o.secret).update(`aipath-oauth-state.${payload}`).digest('base64url');
  }

  async generateStateParam(): Promise<string> {
    const payload = `${this.o.clock.now().getTime().toString(36)}.${randomBytes(16).toString('base64url')}`;
    return `${payload}.${this.sign(payload)}`;
  }

  async verifyStateParam(_wallClock: Date, state: string): Promise<InstallURLOptions> {
    const parts = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(state);
    if (!parts) throw new StateRefused('forged');
    const [, issued, id, signature] = parts as unknown as [string, string, string, string];
    const expected = Buffer.from(this.sign(`${issued}.${id}`));
    if (!timingSafeEqual(expected, Buffer.from(signature))) throw new StateRefused('forged');
    const now = this.o.clock.now();
    const ttl = this.o.ttlMs ?? STATE_TTL_MS;
    const age = now.getTime() - Number.parseInt(issued, 36);
    if (age > ttl || age < -FORGET_MARGIN_MS) throw new StateRefused('expired');
    if (!(await this.o.states.consume(id, now, new Date(now.getTime() - ttl - FORGET_MARGIN_MS)))) throw new StateRefused('reused');
    return this.o.installOptions;
  }
}
