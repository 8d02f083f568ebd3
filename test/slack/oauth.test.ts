/**
 * Multi-workspace HTTP mode end to end: the real Bolt app with its OAuth routes on 127.0.0.1, a browser going through
 * "Add to Slack" (the install redirect, the state cookie, Slack's authorize page and its redirect back with a code, all
 * played by the fake Slack), and every Web API call checked for the token it carried.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OAuthGrant, RecordedCall } from '../support/fake-slack.js';
import { type From, type OAuthTestApp, startOAuthApp } from '../support/oauth-harness.js';
import { databaseHolds } from '../support/raw-database.js';

const MANIFEST_SCOPES = (JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } })
  .oauth_config.scopes.bot;

const grant = (team: string, name: string, token: string, over: Partial<OAuthGrant> = {}): OAuthGrant => ({
  team: { id: team, name },
  botToken: token,
  botUserId: `U0BOT${team.slice(-4)}`,
  botId: `B0BOT${team.slice(-4)}`,
  scopes: MANIFEST_SCOPES,
  installerUserId: `U0INST${team.slice(-4)}`,
  ...over,
});

const ALPHA = {
  team: 'T0ALPHA01',
  name: 'Alpha Team',
  token: 'xoxb-111-alpha-token-0123456789abcdef',
  admin: 'U0ADMINA1',
  learner: 'U0LEARNA1',
  channel: 'C0ALPHA01',
};
const BRAVO = {
  team: 'T0BRAVO01',
  name: 'Bravo Team',
  token: 'xoxb-222-bravo-token-0123456789abcdef',
  admin: 'U0ADMINB1',
  learner: 'U0LEARNB1',
  channel: 'C0BRAVO01',
};
const GRID = {
  enterprise: 'E0GRID001',
  name: 'Grid Org',
  token: 'xoxb-333-grid-token-0123456789abcdef',
  team: 'T0GRIDA01',
  admin: 'U0ADMING1',
  learner: 'U0LEARNG1',
  channel: 'C0GRIDA01',
};
const gridFrom = (user: string, channel = GRID.channel): From => ({ team: GRID.team, enterprise: GRID.enterprise, isEnterpriseInstall: true, user, channel });

let t: OAuthTestApp;
beforeAll(async () => {
  t = await startOAuthApp({ now: new Date('2026-11-23T10:00:00Z') });
  for (const admin of [ALPHA.admin, BRAVO.admin, GRID.admin]) t.fake.users.set(admin, { id: admin, is_admin: true });
});
afterAll(async () => {
  await t?.close();
});

const store = () => t.app.services.store;
const at = (iso: string) => {
  t.now.value = new Date(iso);
};
const since = (mark: number): RecordedCall[] => t.fake.calls.slice(mark);
/** The Web API calls (not response_url posts, not the browser's visit to the authorize page) since `mark`. */
const apiCallsSince = (mark: number) => since(mark).filter((c) => c.method !== 'response_url' && !c.method.startsWith('/'));
/** Waits for Bolt to finish what a request started after its acknowledgement (Home tab refreshes, event listeners). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('installing through the real routes', () => {
  it('Add to Slack redirects to Slack’s authorize page with our client id, the manifest’s bot scopes and a state bound to a cookie', async () => {
    const started = await t.startInstall();
    expect(started.status).toBe(302);
    expect(`${started.authorizeUrl.origin}${started.authorizeUrl.pathname}`).toBe(new URL('/oauth/v2/authorize', t.fake.url).toString());
    expect(started.authorizeUrl.searchParams.get('client_id')).toBe(t.fake.client.id);
    expect(started.authorizeUrl.searchParams.get('scope')?.split(',')).toEqual(MANIFEST_SCOPES);
    expect(started.state).not.toBe('');
    expect(started.cookie).toBe(started.state);
  });

  it('installs two workspaces: each page says where, and what to do next in Slack', async () => {
    for (const w of [ALPHA, BRAVO]) {
      const visit = await t.install(grant(w.team, w.name, w.token));
      expect(visit.redirect.searchParams.get('code')).toMatch(/^code-/);
      expect(visit.status).toBe(200);
      expect(visit.html).toContain(`aipath is installed in <strong>${w.name}</strong>`);
      expect(visit.html).toContain('/aipath subscribe');
      expect(visit.html).toContain('/aipath start &lt;track&gt;');
      const saved = await store().installations.find(w.team);
      expect(saved).toMatchObject({
        workspaceId: w.team,
        teamId: w.team,
        teamName: w.name,
        state: 'active',
        isEnterpriseInstall: false,
        installerUserId: `U0INST${w.team.slice(-4)}`,
      });
      expect(saved?.tokenCiphertext).toMatch(/^v1\./);
      expect(saved?.tokenCiphertext).not.toContain(w.token.slice(5));
    }
    // The code went to oauth.v2.access with our credentials, once per install.
    const exchanges = t.fake.callsOf('oauth.v2.access');
    expect(exchanges).toHaveLength(2);
    for (const call of exchanges) expect(call.params).toMatchObject({ client_id: t.fake.client.id, client_secret: t.fake.client.secret });
  });
});

describe('the installer', () => {
  const CHARLIE = { team: 'T0CHARLI1', name: 'Charlie Team', token: 'xoxb-444-charlie-token-0123456789abcdef', channel: 'C0CHARLI1' };
  const installer = `U0INST${CHARLIE.team.slice(-4)}`;

  it('is an admin of the workspace without being a Slack admin, and /aipath admin shows who installed it', async () => {
    t.fake.users.set(installer, { id: installer, tz: 'Asia/Tokyo' });
    await t.install(grant(CHARLIE.team, CHARLIE.name, CHARLIE.token));
    const overview = await t.commandJson('admin', { team: CHARLIE.team, user: installer, channel: CHARLIE.channel });
    expect(JSON.stringify(overview)).toContain(`installed by <@${installer}>`);
    // Anyone else who is not an admin is refused.
    const refused = await t.commandJson('admin', { team: CHARLIE.team, user: 'U0CHARLIE2', channel: CHARLIE.channel });
    expect(JSON.stringify(refused)).not.toContain('installed by');
  });

  it('gives the workspace its timezone; a reinstall keeps the one an admin chose since', async () => {
    expect((await store().workspaceSettings.get(CHARLIE.team)).defaultTz).toBe('Asia/Tokyo');
    await t.commandJson('admin tz Europe/Lisbon', { team: CHARLIE.team, user: installer, channel: CHARLIE.channel });
    await t.install(grant(CHARLIE.team, CHARLIE.name, `${CHARLIE.token}-2`));
    expect((await store().workspaceSettings.get(CHARLIE.team)).defaultTz).toBe('Europe/Lisbon');
  });
});

describe('every Web API call carries its own workspace’s token', () => {
  it('interactive: a slash command and a button in each workspace use only that workspace’s token', async () => {
    for (const w of [ALPHA, BRAVO]) {
      const mark = t.fake.calls.length;
      const reply = await t.commandJson('start devops', { team: w.team, user: w.learner, channel: w.channel });
      expect(reply.text).toMatch(/devops/i);
      await t.action('milestone_done', { team: w.team, user: w.learner, channel: w.channel });
      await expect.poll(() => apiCallsSince(mark).filter((c) => c.method === 'views.publish').length).toBeGreaterThanOrEqual(2);
      const calls = apiCallsSince(mark);
      expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['users.info', 'views.publish']));
      expect(new Set(calls.map((c) => c.token))).toEqual(new Set([w.token]));
      expect(await store().enrolments.current(w.team, w.learner)).toBeDefined();
    }
  });

  it('scheduled: each workspace’s channel posts go out with its own token', async () => {
    for (const w of [ALPHA, BRAVO]) {
      const reply = await t.commandJson('subscribe 09:00 UTC', { team: w.team, user: w.admin, channel: w.channel });
      expect(reply.text).not.toMatch(/only .*admin/i);
      expect(await store().subscriptions.get(w.team, w.channel)).toBeDefined();
    }
    await settle();
    const mark = t.fake.calls.length;
    at('2026-11-24T09:01:00Z');
    await t.app.scheduler.tick(t.now.value);
    const posts = apiCallsSince(mark).filter((c) => c.method === 'chat.postMessage');
    for (const w of [ALPHA, BRAVO]) {
      const mine = posts.filter((c) => c.params.channel === w.channel);
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((c) => c.token))).toEqual(new Set([w.token]));
    }
    // Nothing went out without a token, or with a token no workspace installed.
    for (const call of apiCallsSince(mark)) expect([ALPHA.token, BRAVO.token]).toContain(call.token);
  });
});

describe('tokens at rest', () => {
  it('the database’s raw bytes never hold a bot token (SQLite: the file and its WAL; PostgreSQL: every row as text)', async () => {
    // The tokens are real and in use: Slack saw them.
    expect(t.fake.tokensUsed()).toEqual(expect.arrayContaining([ALPHA.token, BRAVO.token]));
    // The reading is real too: it finds what the installations did store in clear.
    expect(await databaseHolds(t.engine, t.dbPath, ALPHA.name)).toBe(true);
    for (const secret of [ALPHA.token, BRAVO.token, ALPHA.token.slice('xoxb-'.length), t.fake.client.secret])
      expect(await databaseHolds(t.engine, t.dbPath, secret)).toBe(false);
  });
});

describe('uninstall and revocation', () => {
  it('app_uninstalled ends that installation at once: token deleted, its deliveries stopped, the other workspace untouched', async () => {
    expect((await t.event({ type: 'app_uninstalled' }, { team: ALPHA.team })).status).toBe(200);
    await expect.poll(async () => (await store().installations.find(ALPHA.team))?.state).toBe('inactive');
    const ended = await store().installations.find(ALPHA.team);
    expect(ended?.tokenCiphertext).toBeNull();
    expect(ended?.inactiveSince).toEqual(t.now.value);
    expect((await store().workspaces.pauseOf(ALPHA.team))?.reason).toBe('app_uninstalled');
    expect((await store().installations.find(BRAVO.team))?.state).toBe('active');
    // Slack no longer accepts the token either.
    t.fake.revoke(ALPHA.token);

    // A retry of the event changes nothing.
    expect((await t.event({ type: 'app_uninstalled' }, { team: ALPHA.team })).status).toBe(200);
    await settle();
    expect((await store().installations.find(ALPHA.team))?.inactiveSince).toEqual(ended?.inactiveSince);

    const mark = t.fake.calls.length;
    at('2026-11-25T09:01:00Z');
    const summary = await t.app.scheduler.tick(t.now.value);
    const calls = apiCallsSince(mark);
    expect(calls.filter((c) => c.token === ALPHA.token)).toEqual([]);
    expect(calls.filter((c) => c.params.channel === ALPHA.channel)).toEqual([]);
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.params.channel === BRAVO.channel && c.token === BRAVO.token)).toBe(true);
    expect(summary.failed).toBe(0);
    // Nothing of the uninstalled workspace was recorded as sent.
    expect((await store().ledger.list({ ws: ALPHA.team })).filter((d) => d.status === 'sent' && d.dueAt >= new Date('2026-11-25T00:00:00Z'))).toEqual([]);
  });

  it('after the uninstall, a slash command from that workspace gets a polite reply and changes nothing', async () => {
    const mark = t.fake.calls.length;
    const reply = await t.commandJson('start devops', { team: ALPHA.team, user: 'U0NEWCOMER', channel: ALPHA.channel });
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('aipath is not installed in this workspace any more');
    expect(reply.text).toMatch(/add it again at <https:\/\/127\.0\.0\.1:\d+\/slack\/install>/);
    await settle();
    expect(apiCallsSince(mark)).toEqual([]);
    expect(await store().users.get(ALPHA.team, 'U0NEWCOMER')).toBeUndefined();
  });

  it('reinstalling resumes the workspace: its deliveries go out again, with the new token', async () => {
    const newToken = 'xoxb-111-alpha-second-token-abcdef0123';
    const visit = await t.install(grant(ALPHA.team, ALPHA.name, newToken));
    expect(visit.status).toBe(200);
    expect(await store().installations.find(ALPHA.team)).toMatchObject({ state: 'active', inactiveSince: null });
    expect(await store().workspaces.pauseOf(ALPHA.team)).toBeUndefined();

    const mark = t.fake.calls.length;
    at('2026-11-26T09:01:00Z');
    await t.app.scheduler.tick(t.now.value);
    const posts = apiCallsSince(mark).filter((c) => c.method === 'chat.postMessage' && c.params.channel === ALPHA.channel);
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts.map((c) => c.token))).toEqual(new Set([newToken]));
    const reply = await t.commandJson('status', { team: ALPHA.team, user: ALPHA.learner, channel: ALPHA.channel });
    expect(reply.text).not.toContain('not installed');
    ALPHA.token = newToken;
  });

  it('tokens_revoked for user tokens only changes nothing; for the bot token it ends the installation, and only that one', async () => {
    expect((await t.event({ type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE1'] } }, { team: BRAVO.team })).status).toBe(200);
    await settle();
    expect((await store().installations.find(BRAVO.team))?.state).toBe('active');

    expect((await t.event({ type: 'tokens_revoked', tokens: { bot: [`U0BOT${BRAVO.team.slice(-4)}`] } }, { team: BRAVO.team })).status).toBe(200);
    await expect.poll(async () => (await store().installations.find(BRAVO.team))?.state).toBe('inactive');
    expect((await store().installations.find(BRAVO.team))?.tokenCiphertext).toBeNull();
    expect((await store().workspaces.pauseOf(BRAVO.team))?.reason).toBe('tokens_revoked');
    t.fake.revoke(BRAVO.token);

    const mark = t.fake.calls.length;
    at('2026-11-27T09:01:00Z');
    await t.app.scheduler.tick(t.now.value);
    const calls = apiCallsSince(mark);
    expect(calls.filter((c) => c.token === BRAVO.token || c.params.channel === BRAVO.channel)).toEqual([]);
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.params.channel === ALPHA.channel && c.token === ALPHA.token)).toBe(true);
  });
});

describe('refused installs store nothing', () => {
  const refused = async (visit: { status: number; html: string }, status: number, says: string | RegExp) => {
    expect(visit.status).toBe(status);
    expect(visit.html).toContain('aipath was not installed');
    expect(visit.html).toMatch(says);
    expect(visit.html).toContain('Nothing was stored.');
  };
  const installations = async () =>
    JSON.stringify(await Promise.all(['T0FORGED1', 'T0REUSED1', 'T0EXPIRE1', 'T0DENIED1', 'T0REFUSE1'].map((ws) => store().installations.find(ws))));

  it('a forged state (not signed by us, or its signature tampered with) is refused before any exchange', async () => {
    const exchanges = t.fake.callsOf('oauth.v2.access').length;
    const before = await installations();
    const forged = 'mwt3h340.AAAAAAAAAAAAAAAAAAAAAA.Om-grb_6YV6gQmmmrOF376Ey1uoaNdmS5d0viEBFJz0';
    await refused(await t.browse(`/slack/oauth_redirect?code=stolen-code&state=${forged}`, forged), 400, 'not issued by aipath');
    const real = await t.startInstall();
    const tampered = `${real.state.slice(0, -1)}${real.state.endsWith('A') ? 'B' : 'A'}`;
    await refused(await t.browse(`/slack/oauth_redirect?code=stolen-code&state=${tampered}`, tampered), 400, 'not issued by aipath');
    await refused(await t.browse('/slack/oauth_redirect?code=stolen-code&state=not-a-state', 'not-a-state'), 400, 'not issued by aipath');
    expect(t.fake.callsOf('oauth.v2.access')).toHaveLength(exchanges);
    expect(await installations()).toBe(before);
  });

  it('a real state without its cookie (another browser) is refused', async () => {
    const real = await t.startInstall();
    await refused(await t.browse(`/slack/oauth_redirect?code=some-code&state=${real.state}`), 400, 'started in another browser');
    await refused(await t.browse(`/slack/oauth_redirect?code=some-code&state=${real.state}`, 'another-state'), 400, 'started in another browser');
  });

  it('a state used once is refused the second time: a replayed redirect installs nothing', async () => {
    const visit = await t.install(grant('T0REUSED1', 'Reused', 'xoxb-444-reused-token-0123456789'));
    expect(visit.status).toBe(200);
    const exchanges = t.fake.callsOf('oauth.v2.access').length;
    await store().installations.deactivate('T0REUSED1', t.now.value);
    const again = await t.browse(`${visit.redirect.pathname}${visit.redirect.search}`, visit.cookie);
    await refused(again, 400, 'already used');
    expect(t.fake.callsOf('oauth.v2.access')).toHaveLength(exchanges);
    expect((await store().installations.find('T0REUSED1'))?.state).toBe('inactive');
  });

  it('an expired state (the install finished more than 10 minutes after it began) is refused', async () => {
    const exchanges = t.fake.callsOf('oauth.v2.access').length;
    const began = t.now.value;
    const visit = await t.install(grant('T0EXPIRE1', 'Expired', 'xoxb-555-expired-token-0123456789'), {
      beforeRedirect: () => at(new Date(began.getTime() + 10 * 60_000 + 1000).toISOString()),
    });
    t.now.value = began;
    await refused(visit, 400, 'has expired');
    expect(t.fake.callsOf('oauth.v2.access')).toHaveLength(exchanges);
    expect(await store().installations.find('T0EXPIRE1')).toBeUndefined();
  });

  it('a denied install (error=access_denied) says it was cancelled', async () => {
    const visit = await t.install('deny');
    expect(visit.redirect.searchParams.get('error')).toBe('access_denied');
    await refused(visit, 403, 'cancelled');
  });

  it('a redirect without a code is refused', async () => {
    const real = await t.startInstall();
    await refused(await t.browse(`/slack/oauth_redirect?state=${real.state}`, real.cookie), 400, 'there was none');
  });

  it('an exchange Slack refuses (invalid_code) or cannot answer (500) stores nothing', async () => {
    t.fake.script('oauth.v2.access', { body: { ok: false, error: 'invalid_code' } });
    await refused(await t.install(grant('T0REFUSE1', 'Refused', 'xoxb-666-refused-token-0123456789')), 400, 'invalid_code');
    t.fake.script('oauth.v2.access', { status: 500, body: { ok: false } });
    await refused(await t.install(grant('T0REFUSE1', 'Refused', 'xoxb-666-refused-token-0123456789')), 502, 'could not be reached');
    expect(await store().installations.find('T0REFUSE1')).toBeUndefined();
  });
});

describe('Enterprise Grid', () => {
  it('an org-wide install is kept under the enterprise id, and a workspace of that org is served with its token', async () => {
    const visit = await t.install({
      enterprise: { id: GRID.enterprise, name: GRID.name },
      isEnterpriseInstall: true,
      botToken: GRID.token,
      botUserId: 'U0BOTGRID',
      botId: 'B0BOTGRID',
      scopes: MANIFEST_SCOPES,
      installerUserId: GRID.admin,
    });
    expect(visit.status).toBe(200);
    expect(visit.html).toContain(`the <strong>${GRID.name}</strong> organisation`);
    expect(await store().installations.find(GRID.enterprise)).toMatchObject({
      workspaceId: GRID.enterprise,
      teamId: null,
      enterpriseId: GRID.enterprise,
      isEnterpriseInstall: true,
      state: 'active',
    });

    // A request from a team of the org: the org's token; the data under the team's own key.
    const mark = t.fake.calls.length;
    const reply = await t.commandJson('start devops', gridFrom(GRID.learner));
    expect(reply.text).toMatch(/devops/i);
    await t.action('milestone_done', { ...gridFrom(GRID.learner) });
    await expect.poll(() => apiCallsSince(mark).filter((c) => c.method === 'views.publish').length).toBeGreaterThanOrEqual(2);
    expect(new Set(apiCallsSince(mark).map((c) => c.token))).toEqual(new Set([GRID.token]));
    expect(await store().enrolments.current(`${GRID.enterprise}:${GRID.team}`, GRID.learner)).toBeDefined();

    // Its scheduled posts too.
    await t.commandJson('subscribe 09:00 UTC', gridFrom(GRID.admin));
    await settle();
    const before = t.fake.calls.length;
    at('2026-11-28T09:01:00Z');
    await t.app.scheduler.tick(t.now.value);
    const posts = apiCallsSince(before).filter((c) => c.method === 'chat.postMessage' && c.params.channel === GRID.channel);
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts.map((c) => c.token))).toEqual(new Set([GRID.token]));
  });

  it('uninstalling the org-wide install ends it for every workspace of the org', async () => {
    expect((await t.event({ type: 'app_uninstalled' }, { team: GRID.team, enterprise: GRID.enterprise, isEnterpriseInstall: true })).status).toBe(200);
    await expect.poll(async () => (await store().installations.find(GRID.enterprise))?.state).toBe('inactive');
    t.fake.revoke(GRID.token);
    const mark = t.fake.calls.length;
    at('2026-11-29T09:01:00Z');
    await t.app.scheduler.tick(t.now.value);
    expect(apiCallsSince(mark).filter((c) => c.token === GRID.token || c.params.channel === GRID.channel)).toEqual([]);
    expect((await store().workspaces.pauseOf(`${GRID.enterprise}:${GRID.team}`))?.reason).toBe('not_installed');
    const reply = await t.commandJson('status', gridFrom(GRID.learner));
    expect(reply.text).toContain('not installed in this workspace');
  });
});

describe('a workspace that never installed aipath', () => {
  const NOBODY: From = { team: 'T0NOBODY1', user: 'U0NOBODY1', channel: 'C0NOBODY1' };

  it('a slash command gets a polite ephemeral reply with the install link; nothing is called or stored', async () => {
    const mark = t.fake.calls.length;
    const reply = await t.commandJson('start devops', NOBODY);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('not installed in this workspace');
    expect(reply.text).toContain('/slack/install');
    await settle();
    expect(apiCallsSince(mark)).toEqual([]);
    expect(await store().users.get(NOBODY.team, NOBODY.user!)).toBeUndefined();
  });

  it('a button gets the same answer by its response_url; an event is dropped; nothing crashes', async () => {
    const mark = t.fake.calls.length;
    expect((await t.action('milestone_done', NOBODY)).status).toBe(200);
    await expect.poll(() => since(mark).filter((c) => c.method === 'response_url').length).toBe(1);
    expect(String(since(mark).find((c) => c.method === 'response_url')?.params.text)).toContain('not installed in this workspace');
    expect((await t.event({ type: 'app_home_opened', user: NOBODY.user, tab: 'home' }, NOBODY)).status).toBe(200);
    await settle();
    expect(apiCallsSince(mark)).toEqual([]);
    const health = await t.browse('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.html)).toMatchObject({ status: 'ok', mode: 'oauth' });
  });
});
