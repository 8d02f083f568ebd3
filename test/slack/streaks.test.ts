import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: new Date('2026-11-23T10:00:00Z') });
});
afterAll(async () => {
  await t.close();
});

describe('a long streak', () => {
  it('reads the same 60 days after a tip acknowledgement, after done, and in status', async () => {
    const user = 'U0STREAK60';
    await t.commandJson('start devops', { user });
    const { points } = t.app.services.store;
    // 59 earlier study days, then today's action makes 60.
    for (let d = 1; d < 60; d++) await points.markStudyDay(TEAM, user, DateTime.fromISO('2026-11-23').minus({ days: d }).toISODate()!);
    await t.action('tip_ack', { user });
    await expect.poll(() => t.fake.callsOf('response_url').some((c) => String(c.params.text).includes('60 days'))).toBe(true);
    const done = await t.commandJson('done', { user });
    expect(done.text).toContain('60-day streak');
    const status = await t.commandJson('status', { user });
    expect(JSON.stringify(status.blocks)).toMatch(/60 days/);
  });
});
