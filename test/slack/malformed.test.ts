import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionBody, commandBody, postSigned } from '../support/signed.js';
import { SECRET, TEAM, startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** What the requests below could have written, read through the store as the app reads it. */
const snapshot = async () => {
  const { store } = t.app.services;
  const of = async (user: string) => ({
    user: await store.users.get(TEAM, user),
    enrolment: await store.enrolments.current(TEAM, user),
    answers: await store.quiz.answersOf(TEAM, user),
    points: await store.points.earnedBy(TEAM, user),
  });
  return JSON.stringify({
    people: [await of('U0LEARNER1'), await of('U0CLICKER1')],
    nobody: await store.users.get('', 'U0CLICKER1'),
    subscriptions: await store.subscriptions.inWorkspace(TEAM),
    ledger: await store.ledger.list(),
  });
};

describe('signed requests with bodies Slack never sends', () => {
  const bodies: [string, string][] = [
    ['payload=null', FORM],
    ['null', JSON_TYPE],
    ['payload=%7B%7D', FORM],
    ['payload=%5B%5D', FORM],
    ['[]', JSON_TYPE],
    ['{}', JSON_TYPE],
    ['payload=not-json', FORM],
    ['"a string"', JSON_TYPE],
    ['', JSON_TYPE],
    ['<xml/>', 'text/xml'],
  ];
  it.each(bodies)('%s (%s) gets a 4xx, and the app keeps serving', async (body, type) => {
    const before = await snapshot();
    const res = await postSigned(`${t.baseUrl}/slack/events`, body, type, { secret: SECRET });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await snapshot()).toEqual(before);
    expect((await t.commandJson('help')).text).toContain('aipath');
  });

  const click = (payload: Record<string, unknown>) =>
    postSigned(
      `${t.baseUrl}/slack/events`,
      actionBody({
        type: 'block_actions',
        api_app_id: 'A0TEST',
        trigger_id: '1.2.3',
        response_url: `${t.fake.responseUrlBase}action`,
        actions: [{ type: 'button', action_id: 'milestone_done', block_id: 'b1', action_ts: '1' }],
        ...payload,
      }),
      FORM,
      { secret: SECRET },
    );

  it('refuses a click that names no workspace or no user, without 5xx and without writing', async () => {
    await t.commandJson('start devops', { user: 'U0CLICKER1' });
    const before = await snapshot();
    for (const payload of [{ team: null, user: { id: 'U0CLICKER1' } }, { team: { id: TEAM } }, { team: null }, { team: { id: TEAM }, user: null }]) {
      const res = await click(payload);
      expect(res.status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts a click from an org-wide install whose team is on the user', async () => {
    const res = await click({ team: null, user: { id: 'U0CLICKER1', team_id: TEAM } });
    expect(res.status).toBe(200);
  });

  it('refuses a command without a user or a team', async () => {
    const res = await postSigned(`${t.baseUrl}/slack/events`, commandBody({ text: 'start devops', channel_id: 'C0STUDY01' }), FORM, { secret: SECRET });
    expect(res.status).toBe(400);
  });
});

describe('request timestamps', () => {
  const body = () =>
    commandBody({ text: 'start devops', team_id: TEAM, user_id: 'U0FUTURE1', channel_id: 'C0STUDY01', response_url: `${t.fake.responseUrlBase}x` });
  it.each([
    ['six minutes ahead', 6 * 60],
    ['a day ahead', 86_400],
    ['six minutes behind', -6 * 60],
  ])('refuses a correctly signed request %s with 401', async (_, offset) => {
    const res = await postSigned(`${t.baseUrl}/slack/events`, body(), FORM, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) + offset });
    expect(res.status).toBe(401);
    expect(await t.app.services.store.users.get(TEAM, 'U0FUTURE1')).toBeUndefined();
  });

  it('accepts one four minutes ahead (clock skew)', async () => {
    const res = await postSigned(`${t.baseUrl}/slack/events`, body(), FORM, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) + 4 * 60 });
    expect(res.status).toBe(200);
  });
});
