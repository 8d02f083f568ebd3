import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';

// Monday 23 Nov 2026, 10:00 UTC. U0BOSS0001 is an admin by AIPATH_ADMINS, U0SLACKADM by their Slack profile.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AIPATH_ADMINS: 'U0BOSS0001', AIPATH_TIMEZONE: 'Europe/London' });
  t.fake.users.set('U0BOSS0001', { id: 'U0BOSS0001', tz: 'America/Chicago' });
  t.fake.users.set('U0SLACKADM', { id: 'U0SLACKADM', tz: 'Asia/Kolkata', is_admin: true });
  t.fake.users.set('U0MEMBER01', { id: 'U0MEMBER01', tz: 'Europe/Paris' });
  // Slack gives no timezone for this one: the workspace's default applies.
  t.fake.users.set('U0NOZONE01', { id: 'U0NOZONE01', tz: undefined, is_admin: true });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.now.value = new Date('2026-11-23T10:00:00Z');
});

const store = () => t.app.services.store;
const boss = { user: 'U0BOSS0001' };
const member = { user: 'U0MEMBER01' };
const all = (r: { text: string; blocks: unknown[] }) => `${r.text}\n${JSON.stringify(r.blocks)}`;

/** RFC 4180, as a spreadsheet reads it: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('/aipath admin is for admins; everyone else is refused and nothing changes', () => {
  it.each(['admin', 'admin export', 'admin tz Asia/Tokyo', 'admin mentions off', 'admin weekends off'])('%s', async (text) => {
    t.fake.reset();
    const r = await t.commandJson(text, member);
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toContain('Only workspace admins and owners and <@U0BOSS0001> can use /aipath admin');
    expect(r.text).toContain('Nothing was changed');
    expect(await store().workspaceSettings.get(TEAM)).toEqual({ workspaceId: TEAM, defaultTz: null, recapMentions: true, weekendPosts: true });
    expect(t.fake.calls.filter((c) => c.method.startsWith('files.') || c.method === 'file_upload')).toEqual([]);
  });

  it('bad arguments get the usage and change nothing', async () => {
    expect((await t.commandJson('admin tz EST', boss)).text).toContain('not a timezone I know');
    expect((await t.commandJson('admin weekends maybe', boss)).text).toContain('Use on or off');
    expect((await t.commandJson('admin reboot', boss)).text).toContain("I don't know admin reboot");
    expect((await t.commandJson('admin export now', boss)).text).toContain('takes nothing after it');
    expect(await store().workspaceSettings.get(TEAM)).toMatchObject({ defaultTz: null, recapMentions: true, weekendPosts: true });
  });
});

describe('subscribe', () => {
  it("with no time or zone: 09:00 in the admin's own timezone, every track, and an intro post in the channel", async () => {
    t.fake.reset();
    const r = await t.commandJson('subscribe', { ...boss, channel: 'C0ADMCHAN1' });
    expect(r.response_type).toBe('ephemeral');
    expect(r.text).toContain('Subscribed <#C0ADMCHAN1>: a daily exam tip and quiz every day at 09:00 America/Chicago');
    expect(r.text).toContain('That is your timezone');
    expect(r.text).toContain('I posted a short intro there');
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN1')).toMatchObject({
      postTime: '09:00',
      tz: 'America/Chicago',
      trackId: null,
      createdBy: 'U0BOSS0001',
    });
    const intro = t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0ADMCHAN1');
    expect(intro).toHaveLength(1);
    expect(String(intro[0]!.params.text)).toMatch(
      /^aipath is here: an AWS AI exam tip and quiz every day at 09:00 America\/Chicago\. Join with \/aipath start <track>\./,
    );
    const blocks = JSON.stringify(intro[0]!.params.blocks);
    expect(blocks).toContain('`/aipath start <track>`');
    expect(blocks).toContain('First post: Mon 23 Nov, 09:00 America/Chicago');
  });

  it("an admin whose Slack profile has no timezone gets the workspace's default", async () => {
    await store().workspaceSettings.setDefaultTimezone(TEAM, 'Australia/Sydney');
    const r = await t.commandJson('subscribe 07:30', { user: 'U0NOZONE01', channel: 'C0ADMCHAN2' });
    expect(r.text).toContain('at 07:30 Australia/Sydney');
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN2')).toMatchObject({ postTime: '07:30', tz: 'Australia/Sydney' });
    await store().workspaceSettings.setDefaultTimezone(TEAM, null);
  });

  it("re-subscribing keeps the channel's track, time and zone unless given, posts no second intro, and `all` returns to every track", async () => {
    await t.commandJson('subscribe 08:15 Asia/Kolkata ml', { ...boss, channel: 'C0ADMCHAN3' });
    t.fake.reset();
    // Regression: a re-subscribe without a track used to reset the channel to every track.
    const again = await t.commandJson('subscribe 10:00', { ...boss, channel: 'C0ADMCHAN3' });
    expect(again.response_type).toBe('in_channel');
    expect(again.text).toContain('now gets a daily exam tip and quiz every day at 10:00 Asia/Kolkata (tips for the AI/ML certification path on AWS track)');
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN3')).toMatchObject({ postTime: '10:00', tz: 'Asia/Kolkata', trackId: 'ml' });
    expect(t.fake.callsOf('chat.postMessage')).toEqual([]);
    await t.commandJson('subscribe Europe/Berlin', { ...boss, channel: 'C0ADMCHAN3' });
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN3')).toMatchObject({ postTime: '10:00', tz: 'Europe/Berlin', trackId: 'ml' });
    await t.commandJson('subscribe all', { ...boss, channel: 'C0ADMCHAN3' });
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN3')).toMatchObject({ postTime: '10:00', tz: 'Europe/Berlin', trackId: null });
    await t.commandJson('subscribe devops', { ...boss, channel: 'C0ADMCHAN3' });
    expect(await store().subscriptions.get(TEAM, 'C0ADMCHAN3')).toMatchObject({ trackId: 'devops' });
  });

  it('a direct message cannot be subscribed: by its D id, or by channel_name (directmessage, a group DM)', async () => {
    t.fake.reset();
    for (const where of [
      { channel: 'D0BOSSDM01' },
      { channel: 'C0LOOKSLIKE', channelName: 'directmessage' },
      { channel: 'G0GROUPDM1', channelName: 'mpdm-boss--ann--bob-1' },
    ]) {
      const r = await t.commandJson('subscribe 09:00 Europe/London', { ...boss, ...where });
      expect(r.response_type).toBe('ephemeral');
      expect(r.text).toContain("A direct message can't be subscribed");
      expect(await store().subscriptions.get(TEAM, where.channel)).toBeUndefined();
    }
    expect(t.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('a channel aipath cannot post in is not kept subscribed, and the admin is told how to fix it', async () => {
    t.fake.reset();
    t.fake.script('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    const r = await t.commandJson('subscribe', { ...boss, channel: 'C0PRIVATE1' });
    expect(r.text).toContain('Nothing was subscribed');
    expect(r.text).toContain('/invite @aipath');
    expect(await store().subscriptions.get(TEAM, 'C0PRIVATE1')).toBeUndefined();
  });

  it('an intro Slack refuses for a passing reason leaves the channel subscribed and says so', async () => {
    t.fake.script('chat.postMessage', { body: { ok: false, error: 'internal_error' } }, 2);
    const r = await t.commandJson('subscribe', { ...boss, channel: 'C0BUSYCHAN' });
    expect(r.text).toContain('Subscribed <#C0BUSYCHAN>');
    expect(r.text).toContain('I could not post the intro there: Slack answered internal_error');
    expect(await store().subscriptions.get(TEAM, 'C0BUSYCHAN')).toBeDefined();
    t.fake.unscript('chat.postMessage');
  });
});

describe('/aipath admin: the overview', () => {
  it('every channel with its time, zone, track and state, the learners, the settings and the installation', async () => {
    // Learners: one who marked a milestone today, one paused, one whose last activity is weeks old, one stopped.
    await t.commandJson('start devops', { user: 'U0LEARNA01' });
    await t.commandJson('done', { user: 'U0LEARNA01' });
    await t.commandJson('start ml', { user: 'U0LEARNB01' });
    await t.commandJson('pause', { user: 'U0LEARNB01' });
    const old = new Date('2026-10-01T10:00:00Z');
    for (const user of ['U0LEARNC01', 'U0LEARND01']) {
      await store().users.ensure(TEAM, user, old);
      const { enrolment } = await store().enrolments.switchTo(TEAM, user, 'architect', '2026-09-28', old);
      await store().enrolments.markDone(enrolment.id, 1, old);
      if (user === 'U0LEARND01') await store().enrolments.setStatus(enrolment.id, 'stopped', old);
    }
    await store().subscriptions.pause(TEAM, 'C0ADMCHAN2', 'not_in_channel', t.now.value);

    const r = await t.commandJson('admin', { user: 'U0SLACKADM' });
    expect(r.response_type).toBe('ephemeral');
    const text = all(r);
    expect(r.text).toMatch(
      /^aipath admin: \d+ subscribed channels \(1 paused\), 3 learners enrolled, 1 active in the last 7 days\. Single-workspace install\./,
    );
    expect(text).toContain('*Installation:* single-workspace install (token from the environment)');
    expect(text).toContain('3 enrolled (2 active, 1 paused), 0 finished, 1 stopped');
    expect(text).toContain('*1* active in the last 7 days');
    expect(text).toContain('<#C0ADMCHAN1> · 09:00 America/Chicago · every track · :white_check_mark: active, next post Mon 23 Nov, 09:00 America/Chicago');
    expect(text).toContain('<#C0ADMCHAN2> · 07:30 Australia/Sydney · every track · :double_vertical_bar: *paused*: Slack answered `not_in_channel`');
    expect(text).toContain('<#C0ADMCHAN3> · 10:00 Europe/Berlin · DevOps');
    expect(text).toContain('Default timezone: *Europe/London* (from AIPATH_TIMEZONE)');
    expect(text).toContain('Monday recap @-mentions: *on*');
    expect(text).toContain('Channel posts on weekends: *on*');
  });

  it('a workspace paused for its token says so', async () => {
    await store().workspaces.pause(TEAM, 'token_revoked', t.now.value);
    const r = await t.commandJson('admin', boss);
    expect(all(r)).toContain('*Every post and nudge is paused*');
    expect(r.text).toContain('All posts paused: token_revoked.');
    await store().workspaces.resume(TEAM);
  });
});

describe('/aipath admin tz | mentions | weekends', () => {
  it("tz sets the workspace's default timezone, which a learner without one then gets", async () => {
    const r = await t.commandJson('admin tz asia/tokyo', boss);
    expect(r.text).toContain("The workspace's default timezone is now Asia/Tokyo");
    expect(await store().workspaceSettings.get(TEAM)).toMatchObject({ defaultTz: 'Asia/Tokyo' });
    expect((await t.commandJson('settings', { user: 'U0NOZONE01' })).text).toContain('Asia/Tokyo');
    expect(all(await t.commandJson('admin', boss))).toContain("Default timezone: *Asia/Tokyo* (the workspace's own)");
    // Another workspace keeps AIPATH_TIMEZONE.
    expect(await store().workspaceSettings.get('T0ELSEWHR1')).toMatchObject({ defaultTz: null });
  });

  it('mentions and weekends switch off and on again', async () => {
    expect((await t.commandJson('admin mentions off', boss)).text).toContain('without @-mentioning them');
    expect((await t.commandJson('admin weekends off', { user: 'U0SLACKADM' })).text).toContain('Monday to Friday only');
    expect(await store().workspaceSettings.get(TEAM)).toMatchObject({ recapMentions: false, weekendPosts: false });
    const overview = all(await t.commandJson('admin', boss));
    expect(overview).toContain('Monday recap @-mentions: *off* · `/aipath admin mentions on`');
    expect(overview).toContain('Channel posts on weekends: *off* (Monday to Friday)');
    await t.commandJson('admin mentions on', boss);
    await t.commandJson('admin weekends on', boss);
    expect(await store().workspaceSettings.get(TEAM)).toMatchObject({ recapMentions: true, weekendPosts: true });
  });
});

describe('/aipath admin export', () => {
  it("DMs the admin a CSV of enrolments, progress and points, uploaded with files.uploadV2's three steps", async () => {
    t.fake.reset();
    const r = await t.commandJson('admin export', boss);
    expect(r.text).toContain('I sent you aipath-learners-2026-11-23.csv in a direct message');
    expect(t.fake.callsOf('conversations.open')[0]?.params.users).toBe('U0BOSS0001');
    expect(t.fake.callsOf('files.getUploadURLExternal')).toHaveLength(1);
    expect(t.fake.callsOf('file_upload')).toHaveLength(1);
    const [file] = t.fake.sharedFiles();
    expect(file).toMatchObject({ filename: 'aipath-learners-2026-11-23.csv', completed: { channel: 'D0BOSS0001', title: 'aipath learners, 2026-11-23' } });
    expect(file!.completed!.comment).toContain('aipath export');
    const csv = file!.content!.toString('utf8');
    expect(csv.startsWith('\uFEFFuser_id,track,')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([
      'user_id',
      'track',
      'track_title',
      'current_track',
      'status',
      'started_on',
      'week',
      'weeks_in_track',
      'milestones_done',
      'milestone_weeks_done',
      'points',
      'on_leaderboards',
    ]);
    const byUser = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byUser.get('U0LEARNA01')).toEqual([
      'U0LEARNA01',
      'devops',
      expect.any(String),
      'yes',
      'active',
      '2026-11-23',
      '1',
      expect.stringMatching(/^\d+$/),
      '1',
      '1',
      '25',
      'yes',
    ]);
    expect(byUser.get('U0LEARNB01')?.slice(1, 7)).toEqual(['ml', expect.any(String), 'yes', 'paused', '2026-11-23', '1']);
    // Stopped: no week to be in.
    expect(byUser.get('U0LEARND01')?.slice(1, 10)).toEqual([
      'architect',
      expect.any(String),
      'yes',
      'stopped',
      '2026-09-28',
      '',
      expect.stringMatching(/^\d+$/),
      '1',
      '1',
    ]);
    expect(rows.every((row) => row.length === 12)).toBe(true);
  });

  it('Slack refusing the upload for want of files:write gets a clear reply, and nothing is shared', async () => {
    t.fake.reset();
    t.fake.script('files.getUploadURLExternal', { body: { ok: false, error: 'missing_scope', needed: 'files:write', provided: 'chat:write' } });
    const r = await t.commandJson('admin export', boss);
    expect(r.text).toContain('I could not send you the export');
    expect(r.text).toContain('files:write');
    expect(r.text).toContain('Nothing was shared');
    expect(t.fake.sharedFiles()).toEqual([]);
  });

  it('an upload URL that fails, or a completion Slack refuses, gets a clear reply too', async () => {
    t.fake.reset();
    t.fake.script('file_upload', { status: 500, body: 'oops' }, 2);
    const failed = await t.commandJson('admin export', boss);
    expect(failed.text).toContain('I could not send you the export');
    expect(t.fake.sharedFiles()).toEqual([]);
    t.fake.reset();
    t.fake.script('files.completeUploadExternal', { body: { ok: false, error: 'not_in_channel' } });
    const refused = await t.commandJson('admin export', boss);
    expect(refused.text).toContain('I could not send you the export');
    expect(t.fake.sharedFiles()).toEqual([]);
  });
});

describe('help', () => {
  it('lists the admin commands and switches', async () => {
    const r = all(await t.commandJson('help', member));
    expect(r).toContain('/aipath admin [export | tz <Area/City> | mentions on|off | weekends on|off]` _(admins)_');
    expect(r).toContain('`weekends`');
  });
});
