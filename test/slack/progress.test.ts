import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, TEAM, startTestApp, type TestApp } from '../support/harness.js';
import { postSigned } from '../support/signed.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: new Date('2026-11-23T10:00:00Z') });
});
afterAll(async () => {
  await t.close();
});

/** Opens the user's Home tab and returns what was published, as text. */
async function home(user: string): Promise<string> {
  const before = t.fake.callsOf('views.publish').filter((c) => c.params.user_id === user).length;
  await postSigned(
    `${t.baseUrl}/slack/events`,
    JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      api_app_id: 'A0TEST',
      event: { type: 'app_home_opened', user, tab: 'home' },
      event_id: `Ev${user}${before}`,
      event_time: 1,
    }),
    'application/json',
    { secret: SECRET },
  );
  await expect.poll(() => t.fake.callsOf('views.publish').filter((c) => c.params.user_id === user).length).toBeGreaterThan(before);
  return JSON.stringify(
    t.fake
      .callsOf('views.publish')
      .filter((c) => c.params.user_id === user)
      .at(-1)!.params.view,
  );
}
const field = (text: string, name: string) => new RegExp(`\\*${name}\\*\\\\n([^"]*?)"`).exec(text)?.[1];

describe('status and the Home tab read one model', () => {
  it('agree on the next nudge during a timed pause', async () => {
    const user = 'U0PAUSED01';
    await t.commandJson('start devops', { user });
    await t.commandJson('pause 10', { user });
    const status = JSON.stringify((await t.commandJson('status', { user })).blocks);
    const homeTab = await home(user);
    expect(field(status, 'Next nudge')).toMatch(/^Mon 7 Dec/);
    expect(field(homeTab, 'Next nudge')).toBe(field(status, 'Next nudge'));
  });

  it('agree that a learner who stopped past the end of the track is stopped, and offer no pause button', async () => {
    const user = 'U0STOPPED1';
    await t.commandJson('start practitioner', { user });
    await t.commandJson('stop', { user });
    t.now.value = new Date('2027-06-01T10:00:00Z');
    const status = JSON.stringify((await t.commandJson('status', { user })).blocks);
    const homeTab = await home(user);
    expect(status).toContain('Stopped');
    expect(homeTab).toContain('stopped');
    expect(homeTab).not.toContain('finished');
    for (const view of [status, homeTab]) expect(view).not.toContain('pause_nudges');
    t.now.value = new Date('2026-11-23T10:00:00Z');
  });

  it('offer no pause button on a finished track', async () => {
    const user = 'U0FINISH01';
    await t.commandJson('start practitioner', { user });
    t.now.value = new Date('2027-06-01T10:00:00Z');
    const status = JSON.stringify((await t.commandJson('status', { user })).blocks);
    expect(status).toContain('finished');
    expect(status).not.toContain('pause_nudges');
    t.now.value = new Date('2026-11-23T10:00:00Z');
  });

  it('resume on a stopped track says how to rejoin and changes nothing', async () => {
    const user = 'U0RESUMED1';
    await t.commandJson('start devops', { user });
    await t.commandJson('stop', { user });
    const reply = await t.commandJson('resume', { user });
    expect(reply.text).toContain('/aipath start devops');
    expect((await t.app.services.store.enrolments.current('T0TEST001', user))?.status).toBe('stopped');
  });
});
