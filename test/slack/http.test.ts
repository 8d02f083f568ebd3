import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '../../src/slack/signature.js';
import { commandBody, postSigned } from '../support/signed.js';
import { SECRET, TEAM, startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const userOf = (id: string) => t.app.services.store.users.get(TEAM, id);
const currentOf = (id: string) => t.app.services.store.enrolments.current(TEAM, id);

describe('HTTP mode', () => {
  it('answers GET /healthz with the database and scheduler state', async () => {
    const res = await fetch(`${t.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', mode: 'http', database: { path: t.dbPath, state: 'ok' }, scheduler: { state: 'stopped' } });
  });

  it('answers a signed /aipath help with Block Kit and a text fallback', async () => {
    const reply = await t.commandJson('help');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('aipath');
    expect(JSON.stringify(reply.blocks)).toContain('/aipath start <track>');
  });

  it('answers a command computed without waiting in its acknowledgement (SQLite), else acknowledges at once and answers by response_url', async () => {
    // The first command fetched the learner's profile from Slack; this one finds it stored.
    await t.commandJson('status', { user: 'U0INACK01' });
    const before = t.fake.callsOf('response_url').length;
    const res = await t.command('status', { user: 'U0INACK01' });
    expect(res.status).toBe(200);
    const body = await res.text();
    await t.app.idle();
    if (t.engine === 'sqlite') {
      // Every read on SQLite is done on the spot: the answer is ready before the loop turns.
      const answer = JSON.parse(body) as { response_type?: string; text?: string };
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toContain('not on a track');
      expect(t.fake.callsOf('response_url').length).toBe(before);
    } else {
      // Each read waits for the server: the acknowledgement does not wait for them.
      expect(body).toBe('');
      await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
    }
  });

  it('acknowledges a command that waits on Slack at once, empty, and answers it by response_url', async () => {
    // A learner's first profile is asked of Slack before their answer; here Slack takes 800 ms.
    const user = 'U0FIRSTP01';
    t.fake.script('users.info', { delayMs: 800, body: { ok: true, user: { id: user, tz: 'Asia/Tokyo' } } });
    const before = t.fake.callsOf('response_url').length;
    const started = Date.now();
    const res = await t.command('start devops', { user });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(Date.now() - started).toBeLessThan(500);
    await expect.poll(() => t.fake.callsOf('response_url').length, { timeout: 5000 }).toBe(before + 1);
    expect(String(t.fake.callsOf('response_url')[before]!.params.text)).toContain('Week 1 of');
    expect(await currentOf(user)).toMatchObject({ trackId: 'devops' });
    t.fake.reset();
  });

  it('rejects a forged signature with 401 and changes nothing', async () => {
    const res = await t.command('start devops', { user: 'U0FORGED1', signature: slackSignature('not-the-secret', Math.floor(Date.now() / 1000), 'x') });
    expect(res.status).toBe(401);
    expect(await userOf('U0FORGED1')).toBeUndefined();
  });

  it('rejects a correctly signed request older than five minutes with 401 and changes nothing', async () => {
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const body = commandBody({
      text: 'start devops',
      team_id: TEAM,
      user_id: 'U0STALE01',
      channel_id: 'C0STUDY01',
      response_url: `${t.fake.responseUrlBase}x`,
    });
    const res = await postSigned(`${t.baseUrl}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: SECRET, timestamp: old });
    expect(res.status).toBe(401);
    expect(await userOf('U0STALE01')).toBeUndefined();
  });

  it('enrols a learner with start, using their Slack timezone from users.info', async () => {
    t.fake.users.set('U0LEARNER1', { id: 'U0LEARNER1', tz: 'Asia/Kolkata' });
    const reply = await t.commandJson('start devops');
    expect(reply.text).toContain('Week 1 of');
    expect(await currentOf('U0LEARNER1')).toMatchObject({ trackId: 'devops', startedOn: '2026-11-23', status: 'active', isCurrent: true });
    expect(t.fake.callsOf('users.info').some((c) => c.params.user === 'U0LEARNER1')).toBe(true);
    expect(await userOf('U0LEARNER1')).toMatchObject({ slackTz: 'Asia/Kolkata' });
  });

  it('marks the milestone done from a button, idempotently, and answers through response_url', async () => {
    const before = t.fake.callsOf('response_url').length;
    expect((await t.action('milestone_done')).status).toBe(200);
    expect((await t.action('milestone_done')).status).toBe(200);
    await expect.poll(() => t.fake.callsOf('response_url').length - before).toBe(2);
    expect(await t.app.services.store.enrolments.doneWeeks((await currentOf('U0LEARNER1'))!.id)).toEqual([1]);
    const answers = t.fake.callsOf('response_url').slice(before);
    // Both clicks are acknowledged at once and answered afterwards, in either order.
    const texts = answers.map((a) => String(a.params.text)).sort();
    expect(texts[0]).toContain('Week 1 (');
    expect(texts[0]).toContain('already marked done');
    expect(texts[1]).toContain('Week 1 done');
  });

  it('still answers within the acknowledgement when users.info fails with 5xx or 429', async () => {
    t.fake.script('users.info', { status: 500, body: 'oops' }, 5);
    const reply = await t.commandJson('start ml', { user: 'U0FLAKY01' });
    expect(reply.text).toContain('Week 1');
    t.fake.reset();
    t.fake.script('users.info', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }, 5);
    const started = Date.now();
    const again = await t.commandJson('status', { user: 'U0FLAKY02' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(again.text).toContain('not on a track');
    t.fake.reset();
  });

  it('answers from a day-old profile at once and asks users.info again afterwards, once while it times out', async () => {
    const user = 'U0SLOWTZ01';
    t.fake.users.set(user, { id: user, tz: 'Asia/Tokyo' });
    await t.commandJson('start devops', { user });
    t.now.value = new Date(t.now.value.getTime() + 25 * 3600_000); // the cached profile is a day old
    t.fake.script('users.info', { delayMs: 2500, body: { ok: true, user: { id: user, tz: 'Asia/Tokyo' } } }, 3);
    const infoCalls = () => t.fake.callsOf('users.info').filter((c) => c.params.user === user).length;
    const before = infoCalls();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const reply = await t.commandJson('status', { user });
      expect(reply.text).toContain('Asia/Tokyo');
      expect(Date.now() - started).toBeLessThan(1000);
    }
    await t.app.profileRefreshes.idle();
    expect(infoCalls() - before).toBe(1);
    expect(await userOf(user)).toMatchObject({ slackTz: 'Asia/Tokyo' });
    t.fake.reset();
  });

  it('stores what the refresh of a day-old profile finds, for the next answer', async () => {
    const user = 'U0MOVED001';
    t.fake.users.set(user, { id: user, tz: 'Asia/Tokyo' });
    await t.commandJson('start devops', { user });
    t.now.value = new Date(t.now.value.getTime() + 25 * 3600_000);
    t.fake.users.set(user, { id: user, tz: 'America/Chicago' });
    expect((await t.commandJson('status', { user })).text).toContain('Asia/Tokyo');
    await t.app.profileRefreshes.idle();
    expect(await userOf(user)).toMatchObject({ slackTz: 'America/Chicago' });
    expect((await t.commandJson('status', { user })).text).toContain('America/Chicago');
  });

  it('answers a Slack error body from users.info with the default profile', async () => {
    t.fake.script('users.info', { body: { ok: false, error: 'user_not_found' } });
    const reply = await t.commandJson('start practitioner', { user: 'U0GHOST01' });
    expect(reply.text).toContain('Week 1');
    expect(await userOf('U0GHOST01')).toMatchObject({ slackTz: null });
  });

  it('publishes the Home tab again after a change', async () => {
    const before = t.fake.callsOf('views.publish').filter((c) => c.params.user_id === 'U0HOMEUP1').length;
    await t.commandJson('start architect', { user: 'U0HOMEUP1' });
    await expect.poll(() => t.fake.callsOf('views.publish').filter((c) => c.params.user_id === 'U0HOMEUP1').length).toBe(before + 1);
  });

  it('handles a Slack retry of the same command without a second enrolment', async () => {
    const first = await t.command('start developer', { user: 'U0RETRY01' });
    const retry = await t.command('start developer', { user: 'U0RETRY01', retryNum: 1 });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    await t.app.idle();
    // One enrolment: a second would have replaced the first as current, with a later creation.
    const enrolment = await currentOf('U0RETRY01');
    expect(enrolment).toMatchObject({ trackId: 'developer', id: expect.any(Number) });
    expect(enrolment!.createdAt).toEqual(enrolment!.updatedAt);
  });

  it('acknowledges a click on an action it does not know (an old message), and answers or changes nothing', async () => {
    const before = t.fake.callsOf('response_url').length;
    const started = Date.now();
    const res = await t.action('retired_button_v0', { user: 'U0OLDMSG01' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await t.app.idle();
    expect(t.fake.callsOf('response_url').length).toBe(before);
    expect(await userOf('U0OLDMSG01')).toBeUndefined();
  });

  it('publishes the Home tab on app_home_opened', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      api_app_id: 'A0TEST',
      event: { type: 'app_home_opened', user: 'U0LEARNER1', channel: 'D0LEARNER1', tab: 'home', event_ts: '1' },
      event_id: 'Ev1',
      event_time: 1,
    });
    const publishesFor = () => t.fake.callsOf('views.publish').filter((c) => c.params.user_id === 'U0LEARNER1');
    const before = publishesFor().length;
    const res = await postSigned(`${t.baseUrl}/slack/events`, body, 'application/json', { secret: SECRET });
    expect(res.status).toBe(200);
    await expect.poll(() => publishesFor().length).toBe(before + 1);
    const view = publishesFor().at(-1)!.params.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view.blocks)).toContain('DevOps');
  });
});
