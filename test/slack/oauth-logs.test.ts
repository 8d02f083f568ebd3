/** Multi-workspace mode at LOG_LEVEL=debug: a whole install, requests and a pass log neither a token nor a secret. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { type OAuthTestApp, SECRET, STATE_SECRET, startOAuthApp } from '../support/oauth-harness.js';

const lines: string[] = [];
const TOKEN = 'xoxb-777-logged-token-0123456789abcdef';
let t: OAuthTestApp;
beforeAll(async () => {
  t = await startOAuthApp({ logger: createLogger('debug', 'aipath', (line) => lines.push(line)) });
});
afterAll(async () => {
  await t?.close();
});

it('logs no bot token, client secret, state secret or signing secret, even at debug level', async () => {
  const visit = await t.install({
    team: { id: 'T0LOGGED1', name: 'Logged' },
    botToken: TOKEN,
    botUserId: 'U0BOTLOG',
    botId: 'B0BOTLOG',
    scopes: ['commands', 'chat:write'],
    installerUserId: 'U0INSTLOG',
  });
  expect(visit.status).toBe(200);
  expect((await t.command('help', { team: 'T0LOGGED1' })).status).toBe(200);
  t.fake.script('oauth.v2.access', { body: { ok: false, error: 'invalid_code' } });
  expect(
    (await t.install({ team: { id: 'T0LOGGED2', name: 'Refused' }, botToken: TOKEN, botUserId: 'U0B', botId: 'B0B', scopes: [], installerUserId: 'U0I' }))
      .status,
  ).toBe(400);
  await t.app.scheduler.tick(t.now.value);
  // Logging did happen, at debug level, about the install and the requests.
  expect(lines.some((l) => l.includes('DEBUG'))).toBe(true);
  expect(lines.some((l) => l.includes('installed into T0LOGGED1'))).toBe(true);
  const all = lines.join('');
  for (const secret of [TOKEN, TOKEN.slice('xoxb-'.length), t.fake.client.secret, STATE_SECRET, SECRET]) expect(all).not.toContain(secret);
});
