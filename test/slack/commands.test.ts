import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AIPATH_ADMINS: 'U0BOSS0001', AIPATH_TIMEZONE: 'Europe/London' });
  t.fake.users.set('U0CMD00001', { id: 'U0CMD00001', tz: 'America/New_York' });
});
afterAll(async () => {
  await t.close();
});

const store = () => t.app.services.store;
const userOf = (id: string) => store().users.get(TEAM, id);
const currentOf = (id: string) => store().enrolments.current(TEAM, id);
const subscriptionOf = (channel: string) => store().subscriptions.get(TEAM, channel);
const me = { user: 'U0CMD00001' };
const blocksOf = (r: { blocks: unknown[] }) => JSON.stringify(r.blocks);

describe('every /aipath command through signed HTTP requests', () => {
  it('tracks: lists every track with its length and exams, changing nothing', async () => {
    const r = await t.commandJson('tracks', me);
    for (const id of ['devops', 'architect', 'developer', 'support', 'cloud-engineer', 'platform', 'ml', 'practitioner'])
      expect(blocksOf(r)).toContain(`\`${id}\``);
    expect(await userOf('U0CMD00001')).toBeUndefined();
  });

  it('start: a typo resolves, the start date is local, and a second start on the same track changes nothing', async () => {
    t.now.value = new Date('2026-11-23T03:00:00Z'); // still 22 Nov in New York
    const r = await t.commandJson('start devosp', me);
    expect(r.text).toContain('Week 1 starts today');
    const first = await currentOf('U0CMD00001');
    expect(first).toMatchObject({ trackId: 'devops', startedOn: '2026-11-22' });
    const again = await t.commandJson('start devops', me);
    expect(again.text).toContain('already on');
    expect(await currentOf('U0CMD00001')).toEqual(first);
  });

  it('start: switching keeps the old track, and switching back resumes it', async () => {
    await t.commandJson('done', me);
    const devops = (await currentOf('U0CMD00001'))!;
    await t.commandJson('start ml', me);
    expect(await currentOf('U0CMD00001')).toMatchObject({ trackId: 'ml' });
    const back = await t.commandJson('start devops', me);
    expect(back.text).toContain('Welcome back');
    expect(await currentOf('U0CMD00001')).toMatchObject({ id: devops.id, trackId: 'devops' });
    expect(await store().enrolments.doneWeeks(devops.id)).toEqual([1]);
  });

  it('start: an unknown track gets a helpful answer and changes nothing', async () => {
    const r = await t.commandJson('start astronaut', { user: 'U0CMD00002' });
    expect(r.text).toMatch(/couldn't find a track|Did you mean/);
    expect(await currentOf('U0CMD00002')).toBeUndefined();
  });

  it('pause, resume and stop change the enrolment and say what happens next', async () => {
    expect((await t.commandJson('pause 7', me)).text).toContain('Nudges paused until');
    // Sunday 22 Nov, 22:00 in New York: the pause ends at the start of Sunday 29 Nov there, not 7 × 24 h later.
    expect(await currentOf('U0CMD00001')).toMatchObject({ status: 'paused', pausedUntil: new Date('2026-11-29T05:00:00.000Z') });
    expect((await t.commandJson('resume', me)).text).toContain('Welcome back');
    expect(await currentOf('U0CMD00001')).toMatchObject({ status: 'active' });
    expect((await t.commandJson('pause 0', me)).text).toContain('1 to 365');
    expect((await t.commandJson('stop', me)).text).toContain('progress is kept');
    expect(await currentOf('U0CMD00001')).toMatchObject({ status: 'stopped' });
    await t.commandJson('start devops', me);
  });

  it('service and cert: cards led by the name, then the lifecycle; concepts; did-you-mean for ambiguity', async () => {
    const kendra = await t.commandJson('service kendra', me);
    expect(kendra.text).toMatch(/^Amazon Kendra: Closed to new customers \(2026-07-30\)/);
    const rag = await t.commandJson('service what is rag?', me);
    expect(rag.text).toMatch(/^Retrieval-augmented generation \(RAG\): Amazon Bedrock Knowledge Bases/);
    expect(blocksOf(rag)).toContain('lookup_service:bedrock-knowledge-bases');
    const mls = await t.commandJson('cert mls-c01', me);
    expect(mls.text).toMatch(/^Retired: the last exam date was 2026-03-31/);
    expect(blocksOf(await t.commandJson('cert aip c01', me))).toContain('AIP-C01');
    const code = await t.commandJson('service code', me);
    expect(code.text).toMatch(/^Did you mean/);
    expect(blocksOf(code)).toContain('lookup_service:');
  });

  it("tip: a tip for the caller's track", async () => {
    const r = await t.commandJson('tip', me);
    expect(r.text.length).toBeGreaterThan(20);
  });

  it('subscribe and unsubscribe are for admins; others are told who can', async () => {
    const denied = await t.commandJson('subscribe 08:00', { user: 'U0CMD00002', channel: 'C0CMDCHAN1' });
    expect(denied.text).toContain('Only workspace admins and owners and <@U0BOSS0001>');
    expect(await subscriptionOf('C0CMDCHAN1')).toBeUndefined();
    // A new subscription: the admin is told (only they see it), and the channel gets aipath's own intro post.
    const ok = await t.commandJson('subscribe 08:15 Asia/Kolkata ml', { user: 'U0BOSS0001', channel: 'C0CMDCHAN1' });
    expect(ok.response_type).toBe('ephemeral');
    expect(ok.text).toContain('Subscribed <#C0CMDCHAN1>');
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0CMDCHAN1')).toHaveLength(1);
    expect(await subscriptionOf('C0CMDCHAN1')).toMatchObject({ postTime: '08:15', tz: 'Asia/Kolkata', trackId: 'ml' });
    // With no zone, the admin's own (their Slack profile says UTC here), not AIPATH_TIMEZONE.
    const defaults = await t.commandJson('subscribe', { user: 'U0BOSS0001', channel: 'C0CMDCHAN2' });
    expect(defaults.text).toContain('09:00 UTC');
    const bad = await t.commandJson('subscribe 25:00', { user: 'U0BOSS0001', channel: 'C0CMDCHAN3' });
    expect(bad.text).toContain('24-hour HH:MM');
    expect(await subscriptionOf('C0CMDCHAN3')).toBeUndefined();
    expect((await t.commandJson('unsubscribe', { user: 'U0CMD00002', channel: 'C0CMDCHAN1' })).text).toContain('Only workspace admins');
    expect((await t.commandJson('unsubscribe', { user: 'U0BOSS0001', channel: 'C0CMDCHAN1' })).text).toContain('stopped posting');
    expect(await subscriptionOf('C0CMDCHAN1')).toBeUndefined();
  });

  it('settings: time, timezone and leaderboard, with examples for bad values', async () => {
    await t.commandJson('settings time 7:45', me);
    await t.commandJson('settings tz Asia/Tokyo', me);
    expect(await userOf('U0CMD00001')).toMatchObject({ nudgeTime: '07:45', tzOverride: 'Asia/Tokyo' });
    // The next nudge moved with them: Monday 07:45 in Tokyo is Sunday 22:45 UTC.
    expect((await currentOf('U0CMD00001'))?.nextNudgeAt).toEqual(new Date('2026-11-29T22:45:00.000Z'));
    expect((await t.commandJson('settings tz Moon/Base', me)).text).toContain('Europe/London');
    expect((await t.commandJson('settings time noon', me)).text).toContain('09:00');
    expect(await userOf('U0CMD00001')).toMatchObject({ nudgeTime: '07:45', tzOverride: 'Asia/Tokyo' });
  });

  it('settings: shown with nothing after it; timezones stored as IANA spells them; abbreviations refused', async () => {
    const shown = await t.commandJson('settings', me);
    expect(shown.text).toMatch(/Weekly nudge: Mondays at \*?07:45/);
    expect(shown.text).toContain('Asia/Tokyo, set by you');
    await t.commandJson('settings tz europe/berlin', me);
    expect(await userOf('U0CMD00001')).toMatchObject({ tzOverride: 'Europe/Berlin' });
    expect((await t.commandJson('settings tz EST', me)).text).toContain('not a timezone I know');
    expect(await userOf('U0CMD00001')).toMatchObject({ tzOverride: 'Europe/Berlin' });
  });

  it('cert: an exam code that does not exist is not read as its neighbour', async () => {
    const reply = await t.commandJson('cert aip-c02', me);
    expect(reply.text).toMatch(/^Did you mean: AIP-C01/);
    expect(JSON.stringify(reply.blocks)).toContain("couldn't find a certification matching");
  });

  it('an unknown subcommand suggests the closest one and shows the help', async () => {
    const r = await t.commandJson('stauts', me);
    expect(r.text).toContain('Did you mean /aipath status?');
    expect(blocksOf(r)).toContain('/aipath service <name or topic>');
  });

  it('forget-me asks first, and cancel deletes nothing', async () => {
    const ask = await t.commandJson('forget-me', me);
    expect(blocksOf(ask)).toContain('forget_me_confirm');
    await t.action('forget_me_cancel', me);
    await expect.poll(() => t.fake.callsOf('response_url').some((c) => String(c.params.text).includes('Nothing was deleted'))).toBe(true);
    expect(await userOf('U0CMD00001')).toBeDefined();
  });

  it('keeps workspaces apart: the same user ID in another workspace has no track', async () => {
    const r = await t.commandJson('status', { user: 'U0CMD00001', team: 'T0SOMEWHR1' });
    expect(r.text).toContain('not on a track');
  });
});
