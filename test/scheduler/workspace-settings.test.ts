import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';

const OTHER = 'T0SCHED02';
// 2026-11-27 is a Friday, 2026-11-30 a Monday. Channels post at 09:00 in Berlin (08:00 UTC).
const berlin9 = (date: string) => new Date(`${date}T08:00:00Z`);

let world: SchedulerWorld;
beforeEach(async () => {
  world = await SchedulerWorld.create();
});
afterEach(async () => {
  await world.close();
});

const store = () => world.services.store;
const tipsTo = (channel: string) => world.posts(channel).filter((c) => !String(c.params.text).startsWith("Last week's"));

describe('weekend posts (a workspace setting)', () => {
  it('off: a channel gets no daily tip or quiz on its local Saturday and Sunday, and the due time moves on; on again: it does', async () => {
    const from = new Date('2026-11-26T12:00:00Z');
    await world.subscribe('C0WEEKEND1', 'Europe/Berlin', '09:00', from);
    // Another workspace keeps its weekend posts.
    await store().subscriptions.upsert(
      {
        ws: OTHER,
        channel: 'C0WEEKEND2',
        time: '09:00',
        tz: 'Europe/Berlin',
        track: null,
        by: 'U0ADMIN001',
        nextDaily: berlin9('2026-11-27'),
        nextWeekly: berlin9('2026-11-30'),
      },
      from,
    );
    await store().workspaceSettings.setWeekendPosts(WS, false);

    for (const day of ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']) await world.pass(berlin9(day));
    const periods = async (channel: string) => (await world.ledger((d) => d.target === channel && d.kind === 'daily_tip')).map((d) => [d.period, d.status]);
    expect(await periods('C0WEEKEND1')).toEqual([
      ['2026-11-27', 'sent'],
      ['2026-11-30', 'sent'],
    ]);
    expect(tipsTo('C0WEEKEND1')).toHaveLength(4); // tip and quiz, Friday and Monday
    expect(await periods('C0WEEKEND2')).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30'].map((d) => [d, 'sent']));
    expect((await store().subscriptions.get(WS, 'C0WEEKEND1'))?.nextDailyAt).toEqual(berlin9('2026-12-01'));

    await store().workspaceSettings.setWeekendPosts(WS, true);
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']) await world.pass(berlin9(day));
    expect((await periods('C0WEEKEND1')).at(-1)).toEqual(['2026-12-05', 'sent']);
  });

  it("the weekend is the channel's own: Saturday 09:00 in Auckland is still Friday in Berlin", async () => {
    // 2026-11-28 09:00 in Auckland is 2026-11-27 20:00 UTC: a Saturday there.
    const from = new Date('2026-11-27T12:00:00Z');
    await world.subscribe('C0AUCKLAND', 'Pacific/Auckland', '09:00', from);
    await world.subscribe('C0BERLINFR', 'Europe/Berlin', '21:00', from);
    await store().workspaceSettings.setWeekendPosts(WS, false);
    await world.pass(new Date('2026-11-27T20:00:00Z'));
    expect(tipsTo('C0AUCKLAND')).toHaveLength(0);
    expect(tipsTo('C0BERLINFR')).toHaveLength(2);
  });
});

describe("the Monday recap's @-mentions (a workspace setting)", () => {
  /** U1 and U2 scored in the channel's quiz last week (the week of 2026-11-23, in Berlin). */
  async function lastWeekScores(ws: string, channel: string) {
    const at = new Date('2026-11-25T10:00:00Z');
    const claimed = await store().ledger.insert({ ws, kind: 'daily_quiz', target: channel, period: '2026-11-25' }, at, 'claimed', false, 'test', at, at);
    const post = await store().quiz.createPost(ws, channel, 'q-aif-top-p', claimed!.id, at);
    for (const [user, points] of [
      ['U0NAMED001', 10],
      ['U0NAMED002', 10],
    ] as const) {
      await store().users.ensure(ws, user, at);
      await store().quiz.answer(ws, user, 'q-aif-top-p', post, [0], true, at);
      await store().points.award(ws, user, 'channel_quiz', `post:${post.id}`, points, at, channel);
    }
  }

  it('off: learners are named in plain text from their profiles, each looked up once a pass; on (another workspace): mentioned', async () => {
    const from = new Date('2026-11-29T12:00:00Z');
    await world.subscribe('C0RECAP001', 'Europe/Berlin', '09:00', from);
    await world.subscribe('C0RECAP002', 'Europe/Berlin', '09:00', from);
    await store().subscriptions.upsert(
      {
        ws: OTHER,
        channel: 'C0RECAP003',
        time: '09:00',
        tz: 'Europe/Berlin',
        track: null,
        by: 'U0ADMIN001',
        nextDaily: berlin9('2026-11-30'),
        nextWeekly: berlin9('2026-11-30'),
      },
      from,
    );
    for (const [ws, channel] of [
      [WS, 'C0RECAP001'],
      [WS, 'C0RECAP002'],
      [OTHER, 'C0RECAP003'],
    ] as const)
      await lastWeekScores(ws, channel);
    world.fake.users.set('U0NAMED001', { id: 'U0NAMED001', profile: { display_name: 'Ada <admin>' }, real_name: 'Ada Lovelace' });
    world.fake.users.set('U0NAMED002', { id: 'U0NAMED002', real_name: 'Grace Hopper' });
    await store().workspaceSettings.setRecapMentions(WS, false);

    await world.pass(berlin9('2026-11-30'));
    const recap = (channel: string) => {
      const post = world.posts(channel).find((c) => String(c.params.text).startsWith("Last week's"));
      return post && `${String(post.params.text)}\n${JSON.stringify(post.params.blocks)}`;
    };
    for (const channel of ['C0RECAP001', 'C0RECAP002']) {
      // Points are the learner's in the workspace (both channels' quizzes): what matters is how they are named.
      expect(recap(channel)).toContain('Ada &lt;admin&gt;: 20 pts');
      expect(recap(channel)).toContain('Grace Hopper: 20 pts');
      expect(recap(channel)).not.toContain('<@');
    }
    // Two channels name the same two learners: two users.info calls in all.
    expect(world.fake.callsOf('users.info').map((c) => c.params.user)).toEqual(expect.arrayContaining(['U0NAMED001', 'U0NAMED002']));
    expect(world.fake.callsOf('users.info')).toHaveLength(2);
    expect(recap('C0RECAP003')).toContain('<@U0NAMED001>: 10 pts');
  });

  it('off, and Slack does not answer users.info: the learner is "a teammate", never mentioned, and the recap still goes out', async () => {
    const from = new Date('2026-11-29T12:00:00Z');
    await world.subscribe('C0RECAP004', 'Europe/Berlin', '09:00', from);
    await lastWeekScores(WS, 'C0RECAP004');
    await store().workspaceSettings.setRecapMentions(WS, false);
    world.fake.script('users.info', { body: { ok: false, error: 'user_not_found' } }, 2);
    await world.pass(berlin9('2026-11-30'));
    const post = world.posts('C0RECAP004').find((c) => String(c.params.text).startsWith("Last week's"));
    const text = JSON.stringify(post?.params.blocks);
    expect(text).toContain('a teammate: 10 pts');
    expect(text).not.toContain('<@');
    expect((await world.ledger((d) => d.kind === 'weekly_leaderboard'))[0]?.status).toBe('sent');
  });
});

describe("a workspace's default timezone", () => {
  it('is the week of a learner without a timezone of their own: the next nudge is Monday 09:00 there, not in AIPATH_TIMEZONE', async () => {
    const { users, enrolments } = store();
    const from = new Date('2026-11-20T00:00:00Z');
    await users.ensure(WS, 'U0NOZONE01', from);
    await users.ensure(OTHER, 'U0NOZONE01', from);
    await store().workspaceSettings.setDefaultTimezone(WS, 'Asia/Tokyo');
    // Monday 30 Nov, 09:00 in Tokyo is 00:00 UTC: due for both learners (the other workspace has AIPATH_TIMEZONE, UTC).
    const dueAt = new Date('2026-11-30T00:00:00Z');
    for (const ws of [WS, OTHER]) {
      const { enrolment } = await enrolments.switchTo(ws, 'U0NOZONE01', 'devops', '2026-11-20', from);
      await enrolments.setNextNudge(enrolment.id, dueAt);
    }
    await world.pass(dueAt);
    expect((await enrolments.current(WS, 'U0NOZONE01'))?.nextNudgeAt).toEqual(new Date('2026-12-07T00:00:00Z'));
    // In UTC, 00:00 on Monday is not the nudge's slot: it moves to 09:00 that Monday.
    expect((await enrolments.current(OTHER, 'U0NOZONE01'))?.nextNudgeAt).toEqual(new Date('2026-11-30T09:00:00Z'));
  });
});
