import Database from 'better-sqlite3';
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
const count = (table: string) => {
  const db = new Database(t.dbPath, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const TABLES = ['users', 'enrolments', 'quiz_answers', 'points', 'study_days', 'subscriptions'];
const snapshot = () => TABLES.map(count);

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
    const before = snapshot();
    const res = await postSigned(`${t.baseUrl}/slack/events`, body, type, { secret: SECRET });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(snapshot()).toEqual(before);
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
    const before = snapshot();
    for (const payload of [{ team: null, user: { id: 'U0CLICKER1' } }, { team: { id: TEAM } }, { team: null }, { team: { id: TEAM }, user: null }]) {
      const res = await click(payload);
      expect(res.status).toBe(400);
    }
    expect(snapshot()).toEqual(before);
    const db = new Database(t.dbPath, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM users WHERE workspace_id = ''").get()).toEqual({ n: 0 });
    db.close();
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
    expect(count('enrolments')).toBe(count('enrolments'));
  });

  it('accepts one four minutes ahead (clock skew)', async () => {
    const res = await postSigned(`${t.baseUrl}/slack/events`, body(), FORM, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) + 4 * 60 });
    expect(res.status).toBe(200);
  });
});
