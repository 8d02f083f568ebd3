/** The parts of multi-workspace mode that need no server: installation keys, the state, the gateway's cache. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import type { OAuthStatesRepository } from '../../src/ports/store.js';
import { classifySlackError, NotInstalledError } from '../../src/slack/errors.js';
import { candidatesForWorkspace, installationCandidates, installationKey } from '../../src/slack/installation-keys.js';
import { InstallationsGateway } from '../../src/slack/installations-gateway.js';
import { manifestBotScopes } from '../../src/slack/manifest-scopes.js';
import { authorizeUrlFor } from '../../src/slack/oauth-install.js';
import { SingleUseStateStore, StateRefused } from '../../src/slack/oauth-state.js';

describe('installation keys', () => {
  it('a workspace install is kept under the workspace’s key, an org-wide install under its enterprise', () => {
    expect(installationKey({ teamId: 'T1' })).toBe('T1');
    expect(installationKey({ teamId: 'T1', enterpriseId: 'E1' })).toBe('E1:T1');
    expect(installationKey({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E1');
    expect(installationKey({ enterpriseId: 'E1', isEnterpriseInstall: true })).toBe('E1');
    expect(installationKey({})).toBeUndefined();
  });

  it('a request or a workspace key is served by its own installation first, then its org’s', () => {
    expect(installationCandidates({ teamId: 'T1' })).toEqual(['T1']);
    expect(installationCandidates({ teamId: 'T1', enterpriseId: 'E1' })).toEqual(['E1:T1', 'E1']);
    expect(installationCandidates({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: true })).toEqual(['E1']);
    expect(candidatesForWorkspace('T1')).toEqual(['T1']);
    expect(candidatesForWorkspace('E1:T1')).toEqual(['E1:T1', 'E1']);
  });
});

it('Slack’s authorize page is found beside the configured Web API (Slack, GovSlack, a test server)', () => {
  expect(authorizeUrlFor('https://slack.com/api/')).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorizeUrlFor('https://slack-gov.com/api/')).toBe('https://slack-gov.com/oauth/v2/authorize');
  expect(authorizeUrlFor('http://127.0.0.1:4000/api/')).toBe('http://127.0.0.1:4000/oauth/v2/authorize');
  expect(authorizeUrlFor('https://proxy.example.com/slack/')).toBe('https://slack.com/oauth/v2/authorize');
});

it('the install scopes come from manifest.json; a manifest without them stops start-up with one line', () => {
  expect(manifestBotScopes()).toContain('commands');
  const dir = mkdtempSync(join(tmpdir(), 'aipath-manifest-'));
  writeFileSync(join(dir, 'manifest.json'), '{"oauth_config":{}}');
  expect(() => manifestBotScopes(join(dir, 'manifest.json'))).toThrow(ConfigError);
  expect(() => manifestBotScopes(join(dir, 'missing.json'))).toThrow(/manifest.json could not be read/);
});

describe('the OAuth state', () => {
  const used = new Set<string>();
  const states: OAuthStatesRepository = { consume: async (id) => !used.has(id) && !!used.add(id) };
  const now = { value: new Date('2026-12-01T09:00:00Z') };
  const store = new SingleUseStateStore({
    secret: 'a-state-secret-0123456789',
    states,
    clock: { now: () => now.value },
    installOptions: { scopes: ['commands'] },
  });
  const refusal = (state: string) =>
    store.verifyStateParam(new Date(), state).then(
      () => 'accepted',
      (err: unknown) => (err instanceof StateRefused ? err.problem : 'other'),
    );

  it('is accepted once within 10 minutes, then refused as reused; later ones as expired; another secret’s as forged', async () => {
    const a = await store.generateStateParam();
    const b = await store.generateStateParam();
    expect(a).not.toBe(b);
    now.value = new Date('2026-12-01T09:10:00Z');
    expect(await refusal(a)).toBe('accepted');
    expect(await refusal(a)).toBe('reused');
    now.value = new Date('2026-12-01T09:10:01Z');
    expect(await refusal(b)).toBe('expired');
    const other = new SingleUseStateStore({ secret: 'another-secret-0123456789', states, clock: { now: () => now.value }, installOptions: { scopes: [] } });
    expect(await refusal(await other.generateStateParam())).toBe('forged');
    expect(await refusal('')).toBe('forged');
  });
});

describe('the per-installation gateway', () => {
  const client = (token: string) => new WebClient(token, { slackApiUrl: 'http://127.0.0.1:9/api/' });

  it('reads each workspace’s installation once a minute, shares a read between concurrent sends, and forgets it on demand', async () => {
    let reads = 0;
    let clock = 0;
    const tokens = new Map([
      ['T1', 'xoxb-one'],
      ['E1', 'xoxb-grid'],
    ]);
    const gateway = new InstallationsGateway({
      resolve: async (ws) => {
        reads += 1;
        const key = tokens.has(ws) ? ws : ws.split(':')[0]!;
        const token = tokens.get(key);
        return token ? { installationKey: key, token } : undefined;
      },
      client,
      now: () => clock,
    });
    expect(await Promise.all([gateway.unavailable('T1'), gateway.unavailable('T1'), gateway.unavailable('T1')])).toEqual([undefined, undefined, undefined]);
    expect(reads).toBe(1);
    clock = 59_000;
    await gateway.unavailable('T1');
    expect(reads).toBe(1);
    clock = 61_000;
    await gateway.unavailable('T1');
    expect(reads).toBe(2);
    await gateway.unavailable('E1:T9');
    expect(reads).toBe(3);
    // The org's installation ended: the workspace it served is read again, and now has none.
    tokens.delete('E1');
    gateway.forget('E1');
    expect(await gateway.unavailable('E1:T9')).toBe('not_installed');
    // A missing installation is not remembered: installing shows at once.
    tokens.set('E1', 'xoxb-grid-2');
    expect(await gateway.unavailable('E1:T9')).toBeUndefined();
  });

  it('a call for a workspace without an installation fails before reaching Slack, as an installation failure', async () => {
    const gateway = new InstallationsGateway({ resolve: async () => undefined, client });
    const err = await gateway
      .forWorkspace('T0GONE')
      .openDm('U1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotInstalledError);
    expect(classifySlackError(err)).toEqual({ kind: 'installation', reason: 'not_installed' });
  });
});
