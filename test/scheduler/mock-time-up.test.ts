/**
 * A practice exam whose time runs out while the learner is away: the scheduler finishes it (scored, its answers graded
 * into reviews) and DMs the learner that time is up, with the result, exactly once: across passes, crashes, replicas,
 * a click racing it, and Slack's errors. Time is injected (each pass names its instant).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import type { MockExam } from '../../src/ports/store.js';
import { answerMock } from '../../src/services/mock.js';
import type { Services } from '../../src/services/index.js';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';

let world: SchedulerWorld;
afterEach(async () => {
  await world?.close();
});

const content = loadContent();
const STARTED = new Date('2026-12-01T10:00:00Z');
/** A 30-minute exam. */
const ENDS = new Date(STARTED.getTime() + 30 * 60_000);
const seconds = (s: number) => new Date(ENDS.getTime() + s * 1000);
const QUESTIONS = content.quiz
  .filter((q) => q.cert === 'aif-c01' && q.domain !== undefined)
  .slice(0, 5)
  .map((q) => q.id);

/** A learner whose AIF-C01 exam of five questions runs from STARTED to ENDS, with the first answered right and the second wrong. */
async function examUnderWay(user: string, services: Services = world.services): Promise<MockExam> {
  const { store } = services;
  await store.users.ensure(WS, user, STARTED);
  const mock = await store.mocks.start(WS, user, 'aif-c01', QUESTIONS, STARTED, ENDS);
  await store.mocks.answer(mock.id, QUESTIONS[0]!, [0], true, new Date(STARTED.getTime() + 60_000));
  await store.mocks.answer(mock.id, QUESTIONS[1]!, [1], false, new Date(STARTED.getTime() + 120_000));
  return mock;
}

const dmOf = (user: string) => `D${user.slice(1)}`;
/** The learner clicking in their DM with aipath at `now`. */
const inDm = (user: string, now: Date) => ({ workspaceId: WS, userId: user, channelId: dmOf(user), now, profile: async () => ({ tz: 'UTC', isAdmin: false }) });
const timeUpPosts = (user: string) => world.posts(dmOf(user)).filter((p) => String(p.params.text).startsWith("Time's up on your AIF-C01 practice exam"));
const timeUpRows = (user: string) => world.ledger((d) => d.kind === 'mock_time_up' && d.target === user);

describe("a practice exam's time running out", () => {
  it('is told once, after the deadline and not before: the exam finished, scored by domain, its answers in reviews', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKEND1');
    await world.pass(seconds(-1));
    expect(world.posts()).toHaveLength(0);
    expect((await store.mocks.get(mock.id))?.finishedAt).toBeNull();
    expect(await store.reviews.logOf(WS, 'U0MOCKEND1')).toEqual([]);

    const summary = await world.pass(seconds(20));
    expect(summary).toMatchObject({ due: 1, sent: 1 });
    const [post] = timeUpPosts('U0MOCKEND1');
    expect(post).toBeDefined();
    expect(post!.params.channel).toBe(dmOf('U0MOCKEND1'));
    expect(String(post!.params.text)).toBe("Time's up on your AIF-C01 practice exam: 1 of 5 right (20%).");
    const blocks = JSON.stringify(post!.params.blocks);
    expect(blocks).toContain(`<!date^${Math.floor(ENDS.getTime() / 1000)}^{time}|10:30 UTC>`);
    expect(blocks).toContain('Time ran out with 3 unanswered; they count as wrong.');
    for (const d of content.certification('aif-c01')!.domains.filter((d) => QUESTIONS.some((id) => content.question(id)!.domain === d.number)))
      expect(blocks).toContain(`${d.number}. ${d.name}`);
    // Finished by the pass, and both answers graded into memory cards, once each.
    expect((await store.mocks.get(mock.id))?.finishedAt).toEqual(seconds(20));
    expect((await store.reviews.logOf(WS, 'U0MOCKEND1')).map((l) => [l.questionId, l.source, l.log.rating])).toEqual([
      [QUESTIONS[0], 'mock', 'good'],
      [QUESTIONS[1], 'mock', 'again'],
    ]);
    expect(await store.users.get(WS, 'U0MOCKEND1')).toMatchObject({ dmChannel: dmOf('U0MOCKEND1') });
    expect(await timeUpRows('U0MOCKEND1')).toMatchObject([{ status: 'sent', period: `mock-${mock.id}`, dueAt: ENDS, contentId: String(mock.id), late: false }]);

    // Later passes, and a restarted process, send nothing more.
    await world.pass(seconds(80));
    const restarted = await world.open();
    await world.pass(seconds(600), restarted);
    expect(timeUpPosts('U0MOCKEND1')).toHaveLength(1);
    expect(await store.reviews.logOf(WS, 'U0MOCKEND1')).toHaveLength(2);
  });

  it('a click after the pass finished it records nothing and finishes nothing twice: it says time was up, with the result', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKLATE');
    await world.pass(seconds(5));
    const learner = inDm('U0MOCKLATE', seconds(30));
    const q = content.question(QUESTIONS[2]!)!;
    const late = await answerMock(world.services.study, learner, { mockId: mock.id, questionId: q.id }, [0]);
    expect(late).toMatchObject({ kind: 'finished', refused: 'time-up', unanswered: 3, score: { right: 1, total: 5 } });
    expect(await store.mocks.answers(mock.id)).toHaveLength(2);
    expect(await store.reviews.logOf(WS, 'U0MOCKLATE')).toHaveLength(2);
    expect((await store.mocks.get(mock.id))?.finishedAt).toEqual(seconds(5));
    await world.pass(seconds(90));
    expect(timeUpPosts('U0MOCKLATE')).toHaveLength(1);
  });

  it('an exam the learner finished by a click (late or last) gets no notice, and its answers are graded once', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKCLIK');
    // The click comes a few seconds after the deadline, before any pass: it finishes the exam and shows the result.
    const learner = inDm('U0MOCKCLIK', seconds(3));
    const shown = await answerMock(world.services.study, learner, { mockId: mock.id, questionId: QUESTIONS[2]! }, [0]);
    expect(shown).toMatchObject({ kind: 'finished', refused: 'time-up' });
    expect((await store.mocks.get(mock.id))?.finishedAt).toEqual(seconds(3));
    const summary = await world.pass(seconds(30));
    expect(summary.due).toBe(0);
    expect(world.posts()).toHaveLength(0);
    expect(await timeUpRows('U0MOCKCLIK')).toEqual([]);
    expect(await store.reviews.logOf(WS, 'U0MOCKCLIK')).toHaveLength(2);
  });

  it('a click and a pass at the same moment finish the exam once: its answers are graded once, and at most one notice goes', async () => {
    for (const round of [0, 1, 2]) {
      world = await SchedulerWorld.create();
      const { store } = world.services;
      const user = `U0MOCKRAC${round}`;
      const mock = await examUnderWay(user);
      const learner = inDm(user, seconds(10));
      const [, clicked] = await Promise.all([
        world.pass(seconds(10)),
        answerMock(world.services.study, learner, { mockId: mock.id, questionId: QUESTIONS[2]! }, [0]),
      ]);
      expect(clicked).toMatchObject({ kind: 'finished', refused: 'time-up' });
      expect(await store.reviews.logOf(WS, user)).toHaveLength(2);
      expect(await store.mocks.answers(mock.id)).toHaveLength(2);
      await world.pass(seconds(120));
      expect(timeUpPosts(user).length).toBeLessThanOrEqual(1);
      expect((await timeUpRows(user)).length).toBe(timeUpPosts(user).length);
      await world.close();
    }
    world = undefined as never;
  });

  it('two processes passing at the same moment finish each exam once and send each notice once', async () => {
    world = await SchedulerWorld.create();
    const other = await world.open();
    const users = Array.from({ length: 12 }, (_, i) => `U0MOCKTW${String(i).padStart(2, '0')}`);
    for (const u of users) await examUnderWay(u);
    await Promise.all([world.pass(seconds(10), world.services, 'a'), world.pass(seconds(10), other, 'b'), world.pass(seconds(10), other, 'c')]);
    for (const u of users) {
      expect(timeUpPosts(u), u).toHaveLength(1);
      expect(await world.services.store.reviews.logOf(WS, u), u).toHaveLength(2);
    }
    expect(await world.ledger((d) => d.kind === 'mock_time_up')).toHaveLength(12);
  });
});

describe("the exam's question message", () => {
  it('is closed once the notice is out (no more answer buttons); Slack refusing that changes nothing else', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKCLS1');
    await store.mocks.setMessage(mock.id, dmOf('U0MOCKCLS1'), '1764583200.000100');
    const other = await examUnderWay('U0MOCKCLS2');
    await store.mocks.setMessage(other.id, dmOf('U0MOCKCLS2'), '1764583200.000200');
    world.fake.script('chat.update', { body: { ok: false, error: 'message_not_found' } });
    await world.pass(seconds(10));
    const updates = world.fake.callsOf('chat.update');
    expect(updates.map((c) => [c.params.channel, c.params.ts]).sort()).toEqual([
      [dmOf('U0MOCKCLS1'), '1764583200.000100'],
      [dmOf('U0MOCKCLS2'), '1764583200.000200'],
    ]);
    for (const u of updates) {
      expect(u.params.text).toBe("AIF-C01 practice exam: time's up.");
      expect(JSON.stringify(u.params.blocks)).not.toContain('mquiz');
    }
    expect(await world.ledger((d) => d.kind === 'mock_time_up')).toMatchObject([{ status: 'sent' }, { status: 'sent' }]);
    expect(timeUpPosts('U0MOCKCLS1')).toHaveLength(1);
    expect(timeUpPosts('U0MOCKCLS2')).toHaveLength(1);
  });
});

describe('across a crash', () => {
  it('a notice Slack got before the process died is found in Slack and recorded, not sent again', async () => {
    world = await SchedulerWorld.create();
    await examUnderWay('U0MOCKCRS1');
    const { ledger } = world.services.store;
    const markSent = ledger.markSent;
    ledger.markSent = async () => false;
    await world.pass(seconds(10));
    ledger.markSent = markSent;
    expect(timeUpPosts('U0MOCKCRS1')).toHaveLength(1);
    expect(await timeUpRows('U0MOCKCRS1')).toMatchObject([{ status: 'claimed', channel: dmOf('U0MOCKCRS1') }]);
    // Another process, after the dead owner's lease: it looks in the DM's history first.
    const restarted = await world.open();
    const summary = await world.pass(seconds(300), restarted);
    expect(summary.retried).toBe(1);
    expect(world.fake.callsOf('conversations.history')).toHaveLength(1);
    expect(timeUpPosts('U0MOCKCRS1')).toHaveLength(1);
    expect(await timeUpRows('U0MOCKCRS1')).toMatchObject([{ status: 'sent', messageTs: world.fake.messages.get(dmOf('U0MOCKCRS1'))!.at(-1)!.ts }]);
    expect(await world.services.store.reviews.logOf(WS, 'U0MOCKCRS1')).toHaveLength(2);
  });

  it('a notice Slack did not take (5xx) is retried after the back-off and goes out once, saying when the exam ended', async () => {
    world = await SchedulerWorld.create();
    await examUnderWay('U0MOCKCRS2');
    world.fake.script('chat.postMessage', { status: 503, body: 'unavailable' });
    await world.pass(seconds(10));
    expect(await timeUpRows('U0MOCKCRS2')).toMatchObject([{ status: 'claimed', attempts: 1, error: 'http_503' }]);
    await world.pass(seconds(60)); // inside the back-off: not yet
    expect(world.posts(dmOf('U0MOCKCRS2'))).toHaveLength(1);
    await world.pass(seconds(280));
    expect(timeUpPosts('U0MOCKCRS2')).toHaveLength(2); // the refused one, then the one that went out
    expect(await timeUpRows('U0MOCKCRS2')).toMatchObject([{ status: 'sent', late: true }]);
    expect(await world.services.store.reviews.logOf(WS, 'U0MOCKCRS2')).toHaveLength(2);
  });

  it('a claim rolled back before it committed leaves the exam unfinished and ungraded for the next pass', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKROLL');
    // The ledger write of the claim fails: the finish and the grading in the same transaction are undone with it.
    const real = store.transaction.bind(store);
    store.transaction = (work) =>
      real((tx) => {
        const ledger = Object.assign(Object.create(tx.ledger) as typeof tx.ledger, {
          insertMany: async () => {
            throw new Error('disk full');
          },
        });
        return work({ ...tx, ledger });
      });
    await expect(world.pass(seconds(10))).rejects.toThrow('disk full');
    store.transaction = real;
    expect((await store.mocks.get(mock.id))?.finishedAt).toBeNull();
    expect(await store.reviews.logOf(WS, 'U0MOCKROLL')).toEqual([]);
    await world.pass(seconds(70));
    expect(timeUpPosts('U0MOCKROLL')).toHaveLength(1);
    expect(await store.reviews.logOf(WS, 'U0MOCKROLL')).toHaveLength(2);
  });
});

describe('Slack errors', () => {
  it('a learner Slack will not let aipath DM: recorded as failed, not retried; the exam stays finished and graded', async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    const mock = await examUnderWay('U0MOCKBLK1');
    world.fake.script('conversations.open', { body: { ok: false, error: 'messages_tab_disabled' } });
    const summary = await world.pass(seconds(10));
    expect(summary.failed).toBe(1);
    expect(await timeUpRows('U0MOCKBLK1')).toMatchObject([{ status: 'failed', error: 'messages_tab_disabled' }]);
    await world.pass(seconds(600));
    expect(world.posts()).toHaveLength(0);
    expect((await store.mocks.get(mock.id))?.finishedAt).not.toBeNull();
    expect(await store.reviews.logOf(WS, 'U0MOCKBLK1')).toHaveLength(2);
    expect(await store.workspaces.pauseOf(WS)).toBeUndefined();
  });

  it("a revoked token pauses the workspace's deliveries; the notice goes once Slack takes the token again", async () => {
    world = await SchedulerWorld.create();
    const { store } = world.services;
    await examUnderWay('U0MOCKREV1');
    world.fake.script('chat.postMessage', { body: { ok: false, error: 'token_revoked' } });
    await world.pass(seconds(10));
    expect((await store.workspaces.pauseOf(WS))?.reason).toBe('token_revoked');
    expect(await timeUpRows('U0MOCKREV1')).toMatchObject([{ status: 'claimed', attempts: 0 }]);
    // The workspace's probe, ten minutes on: Slack accepts the token again, and the notice goes out, once.
    await world.pass(seconds(11 * 60));
    await world.pass(seconds(13 * 60));
    expect(timeUpPosts('U0MOCKREV1')).toHaveLength(2); // the refused one, then the one that went out
    expect(await timeUpRows('U0MOCKREV1')).toMatchObject([{ status: 'sent' }]);
    expect(await store.workspaces.pauseOf(WS)).toBeUndefined();
  });

  it("waits out Slack's 429 and sends the notice once", async () => {
    world = await SchedulerWorld.create();
    await examUnderWay('U0MOCK4291');
    world.fake.script('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    const summary = await world.pass(seconds(10));
    expect(summary).toMatchObject({ sent: 1, rateLimited: 1 });
    expect(timeUpPosts('U0MOCK4291')).toHaveLength(2); // the refused one, then the one that went out
    expect(await timeUpRows('U0MOCK4291')).toMatchObject([{ status: 'sent', attempts: 0 }]);
  });
});
