import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FollowUps } from '../../src/slack/follow-ups.js';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';

/**
 * An overloaded process (its follow-ups more than maxWaitMs behind) refuses new commands with a reply saying so:
 * nothing of a refused command runs, so a `start` is either stored and answered, or refused and not stored.
 */
describe('/aipath while follow-ups are too far behind', () => {
  let t: TestApp;
  const clock = { value: 0 };
  const followUps = new FollowUps({ concurrency: 1, maxWaitMs: 10_000, now: () => clock.value });
  let release = () => {};
  let blocker: Promise<void>;
  beforeAll(async () => {
    t = await startTestApp({}, { followUps });
  });
  afterAll(async () => {
    release();
    await t.app.stop();
    await t.fake.stop();
  });

  it('refuses a start with a busy reply and stores nothing; once caught up, the same start is stored and answered', async () => {
    // The only slot is taken, and a follow-up has waited for it past the limit.
    blocker = followUps.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((r) => setImmediate(r));
    const queued = followUps.run(async () => 'queued');
    clock.value = 10_001;
    expect(followUps.overloaded).toBe(true);

    const res = await t.command('start devops', { user: 'U0BUSY0001' });
    expect(res.status).toBe(200);
    // Refused in the acknowledgement itself: nothing waits for a turn that is far off.
    const refused = JSON.parse(await res.text()) as { text?: unknown };
    expect(String(refused.text)).toMatch(/busy.*did not run this command.*nothing was changed/);
    expect(await t.app.services.store.enrolments.current(TEAM, 'U0BUSY0001')).toBeUndefined();

    release();
    await blocker;
    expect(await queued).toBe('queued');
    expect(followUps.overloaded).toBe(false);
    const answer = await t.commandJson('start devops', { user: 'U0BUSY0001' });
    expect(answer.text).toMatch(/Week 1/);
    expect((await t.app.services.store.enrolments.current(TEAM, 'U0BUSY0001'))?.trackId).toBe('devops');
  });
});
