import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, type ButtonRef } from '../../src/slack/action-ids.js';
import { TEAM, startTestApp, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Clicks a button as Slack sends it and returns the text of the ephemeral answer. */
async function click(user: string, b: ButtonRef): Promise<string> {
  const before = t.fake.callsOf('response_url').length;
  const res = await t.action(b.actionId, { user, value: b.value });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('response_url').length).toBeGreaterThan(before);
  return String(t.fake.callsOf('response_url')[before]!.params.text);
}

describe('buttons built from the action ids', () => {
  it('open the card of the record their value names', async () => {
    const service = t.app.services.study.content.services[0]!;
    expect(await click('U0BUTTON01', ACTIONS.lookupService.ref(service.id))).toContain(service.name);
    expect(await click('U0BUTTON01', ACTIONS.lookupService.ref('no-such-service'))).toBe('That entry no longer exists.');
    await click('U0BUTTON01', ACTIONS.lookupTrack.ref('devops'));
    expect((await t.app.services.store.enrolments.current(TEAM, 'U0BUTTON01'))?.trackId).toBe('devops');
  });

  it('answer a value that does not decode with "could not be read", and change nothing', async () => {
    const user = 'U0BUTTON02';
    await t.commandJson('start devops', { user });
    const enrolment = (await t.app.services.store.enrolments.current(TEAM, user))!;
    const forged: [ButtonRef, string][] = [
      [{ actionId: 'milestone_done', value: 'week-1' }, 'That button could not be read.'],
      [{ actionId: 'lookup_track:mlops', value: 'ML Ops' }, 'That button could not be read.'],
      [{ actionId: 'lookup_track:mlops' }, 'That button could not be read.'],
      [{ actionId: 'cquiz:0', value: 'abc:0' }, 'That answer could not be read.'],
      [{ actionId: 'pquiz_submit', value: 'Not An Id' }, 'That answer could not be read.'],
    ];
    for (const [b, reply] of forged) expect(await click(user, b), b.actionId).toBe(reply);
    expect(await t.app.services.store.enrolments.current(TEAM, user)).toEqual(enrolment);
    expect(await t.app.services.store.enrolments.doneWeeks(enrolment.id)).toEqual([]);
    // The same button with the value it is built with works.
    await click(user, ACTIONS.milestoneDone.ref());
    expect(await t.app.services.store.enrolments.doneWeeks(enrolment.id)).toEqual([1]);
  });
});
