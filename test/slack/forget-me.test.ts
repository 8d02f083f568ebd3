import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

const TEAM = 'T0TEST001';

const USER = 'U0FORGET99';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AIPATH_ADMINS: USER });
});
afterAll(async () => {
  await t.close();
});

const fileBytes = (path: string) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
const mentions = (id: string) => [t.dbPath, `${t.dbPath}-wal`].map((p) => fileBytes(p).indexOf(id) >= 0);

describe('forget-me', () => {
  it('leaves the user id in no row and nowhere in the database file or its WAL', { timeout: 30_000 }, async () => {
    await t.commandJson('start devops', { user: USER });
    await t.commandJson('subscribe 09:00 UTC', { user: USER, channel: 'C0FORGET01' });
    await t.commandJson('settings tz Europe/Paris', { user: USER });
    const quiz = await t.commandJson('quiz', { user: USER });
    const value = JSON.stringify(quiz.blocks).match(/"value":"([a-z0-9-]+:0)"/)?.[1];
    expect(value).toBeTruthy();
    expect((await t.action('pquiz:0', { user: USER, value })).status).toBe(200);
    // The click is graded after its acknowledgement.
    await t.app.idle();
    // A week on, the weekly nudge DM and the channel's posts put the user in the ledger.
    await t.app.scheduler.tick(new Date('2026-11-30T09:01:00Z'));
    const { store } = t.app.services;
    // The weekly nudge and the day's review reminder (the quiz answer left a card due).
    expect((await store.ledger.list({ target: USER })).map((d) => d.kind).sort()).toEqual(['review_reminder', 'weekly_nudge']);
    expect(mentions(USER).some(Boolean)).toBe(true);

    expect((await t.action('forget_me_confirm', { user: USER })).status).toBe(200);
    await expect.poll(() => t.fake.callsOf('response_url').some((c) => String(c.params.text).includes('no longer stores anything'))).toBe(true);

    // No row anywhere holds the id: the bytes of the file and its WAL say so for every table at once.
    expect(mentions(USER)).toEqual([false, false]);
    expect(await store.users.get(TEAM, USER)).toBeUndefined();
    expect(await store.ledger.list({ target: USER })).toEqual([]);
    // The channel keeps its subscription.
    expect(await store.subscriptions.get(TEAM, 'C0FORGET01')).toMatchObject({ createdBy: 'forgotten-user' });
  });
});
