import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';
import { answerAction, rightResponse, wrongResponse } from '../support/quiz-answers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: new Date('2026-11-23T10:00:00Z'), random: () => 0.42 });
});
afterAll(async () => {
  await t.close();
});

const content = loadContent();
const store = () => t.app.services.store;
/** The DM channel the fake Slack opens with a user. */
const dmOf = (user: string) => `D${user.slice(1)}`;

interface Shown {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
}

/** The message last posted in the channel, as the fake Slack holds it (its ts) and as it was sent (its blocks). */
function lastPosted(channel: string): Shown {
  const call = t.fake.callsOf('chat.postMessage').findLast((c) => c.params.channel === channel)!;
  const ts = t.fake.messages.get(channel)!.at(-1)!.ts;
  return { channel, ts, text: String(call.params.text), blocks: call.params.blocks as unknown[] };
}

/** The practice exam's question a message shows: its key (exam id and question id) and the question. */
function question(blocks: unknown[]) {
  const m = /"value":"(\d+)\.([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(blocks))!;
  return { key: `${m[1]}.${m[2]}`, q: content.question(m[2]!)! };
}

/**
 * Answers the question a DM message shows, as Slack sends the click (from that message), and returns the message as
 * aipath updated it in place (chat.update).
 */
async function answer(user: string, shown: Shown, right: boolean): Promise<Shown> {
  const { key, q } = question(shown.blocks);
  const a = answerAction(q, 'mquiz' as 'rquiz', key, right ? rightResponse(q) : wrongResponse(q));
  const before = t.fake.callsOf('chat.update').length;
  const res = await t.action(a.actionId.replace('rquiz', 'mquiz'), {
    user,
    value: a.value,
    state: a.state,
    channel: shown.channel,
    responseUrl: `${t.fake.responseUrlBase}${user}`,
    container: { channel_id: shown.channel, message_ts: shown.ts, is_ephemeral: false },
  });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('chat.update').length).toBe(before + 1);
  const update = t.fake.callsOf('chat.update').at(-1)!.params;
  expect(update).toMatchObject({ channel: shown.channel, ts: shown.ts });
  return { channel: shown.channel, ts: shown.ts, text: String(update.text), blocks: update.blocks as unknown[] };
}

describe('a practice exam in the DM', () => {
  it("runs in the learner's DM: the exam's length by domain weight, no feedback until the end, then a score by domain, the answers in reviews", {
    timeout: 90_000,
  }, async () => {
    const user = 'U0MOCK0001';
    const reply = await t.commandJson('mock aif-c01', { user });
    // The command's own answer came by response_url; the exam's steps never do.
    const responses = t.fake.callsOf('response_url').length;
    // The command says where the exam is, without a link; the question itself is in the DM.
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toBe(
      'Your AIF-C01 practice exam is in your direct messages with aipath (under Apps in the sidebar): 65 questions, 90 minutes, no feedback until the end.',
    );
    expect(JSON.stringify(reply.blocks)).not.toContain('mquiz');
    expect(t.fake.callsOf('conversations.open').map((c) => c.params.users)).toEqual([user]);
    expect((await store().users.get(TEAM, user))?.dmChannel).toBe(dmOf(user));
    let shown = lastPosted(dmOf(user));
    expect(shown.text).toMatch(/^AIF-C01 practice exam · question 1 of 65 · 90 min left/);

    const asked = new Set<string>();
    let right = 0;
    for (let i = 1; i <= 65; i++) {
      asked.add(question(shown.blocks).q.id);
      const next = await answer(user, shown, i % 3 !== 0);
      if (i % 3 !== 0) right++;
      if (i < 65) {
        expect(next.text).toMatch(new RegExp(`question ${i + 1} of 65`));
        expect(next.text).not.toMatch(/Right|Not quite/);
      }
      shown = next;
    }
    // Every step went through chat.update of the one DM message, none by response_url.
    expect(t.fake.callsOf('response_url').length).toBe(responses);
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === dmOf(user))).toHaveLength(1);
    expect(asked.size).toBe(65);
    expect(shown.text).toBe(`AIF-C01 practice exam: ${right} of 65 right (${Math.round((right / 65) * 100)}%).`);
    const cert = content.certification('aif-c01')!;
    for (const d of cert.domains) expect(JSON.stringify(shown.blocks)).toContain(`${d.number}. ${d.name}`);
    // Drawn by domain weight: every domain is asked in proportion.
    const byDomain = new Map<number, number>();
    for (const id of asked) byDomain.set(content.question(id)!.domain!, (byDomain.get(content.question(id)!.domain!) ?? 0) + 1);
    for (const d of cert.domains) expect(Math.abs(byDomain.get(d.number)! - (65 * d.weight) / 100)).toBeLessThanOrEqual(1);
    // Every answered question is a memory card now; the wrong ones come back first (in a minute, right ones in ten).
    expect(await store().reviews.cardsOf(TEAM, user)).toHaveLength(65);
    expect(await store().reviews.dueCount(TEAM, user, new Date(t.now.value.getTime() + 2 * 60_000))).toBe(65 - right);
    expect((await store().reviews.logOf(TEAM, user)).every((l) => l.source === 'mock')).toBe(true);
  });

  it('counts a double click once, says when the bank is shorter than the exam, goes on where it was, and ends when the time is up', async () => {
    const user = 'U0MOCK0002';
    const reply = await t.commandJson('mock clf-c02', { user });
    expect(reply.text).toMatch(
      /^Your CLF-C02 practice exam is in your direct messages with aipath .*: \d+ questions \(the real exam has 65; aipath's bank fills \d+/,
    );
    const first = lastPosted(dmOf(user));
    expect(first.text).toMatch(/question 1 of \d+ · \d+ min left/);
    expect(JSON.stringify(first.blocks)).toContain('The real exam has 65 questions');
    const a = await answer(user, first, true);
    expect(a.text).toMatch(/question 2 of/);
    // The same click again, from the same message: the first answer stands, and the exam stays at question 2.
    const again = await answer(user, first, false);
    expect(again.text).toMatch(/question 2 of/);

    // /aipath mock while it runs: the same exam goes on, its question posted in the DM again (the DM channel kept).
    const opens = t.fake.callsOf('conversations.open').length;
    const resumed = await t.commandJson('mock', { user });
    expect(resumed.text).toMatch(/^Your CLF-C02 practice exam is still running \(question 2 of \d+, \d+ min left\): it goes on in your direct messages/);
    expect(t.fake.callsOf('conversations.open')).toHaveLength(opens);
    const second = lastPosted(dmOf(user));
    expect(second.ts).not.toBe(first.ts);
    expect(second.text).toMatch(/question 2 of/);

    // An answer after the time is up is not counted: the result says so, with the unanswered counted wrong.
    t.now.value = new Date(t.now.value.getTime() + 3 * 3600_000);
    const late = await answer(user, second, true);
    expect(late.text).toMatch(/^CLF-C02 practice exam: 1 of \d+ right/);
    expect(JSON.stringify(late.blocks)).toMatch(/Time ran out with \d+ unanswered/);
    const mock = (await store().mocks.get(question(second.blocks).key.split('.').map(Number)[0]!))!;
    expect(await store().mocks.answers(mock.id)).toHaveLength(1);
    expect(mock.finishedAt).not.toBeNull();
  });

  it('finishes an exam whose time ran out while the learner was away, so its answers reach reviews, and shows its result', async () => {
    const user = 'U0MOCK0003';
    await t.commandJson('mock aif-c01', { user });
    const shown = lastPosted(dmOf(user));
    const { q } = question(shown.blocks);
    await answer(user, shown, false);
    // Nobody clicks again before the time is up; the learner comes back hours later.
    t.now.value = new Date(t.now.value.getTime() + 3 * 3600_000);
    const back = await t.commandJson('mock aif-c01', { user });
    expect(back.text).toMatch(
      /^Your last AIF-C01 practice exam ran out of time; its result is in your direct messages with aipath .*\/aipath mock starts a new one/,
    );
    const result = lastPosted(dmOf(user));
    expect(result.text).toMatch(/^AIF-C01 practice exam: 0 of 65 right/);
    expect(JSON.stringify(result.blocks)).toMatch(/Time ran out with 64 unanswered/);
    // The wrong answer is a memory card, due again within minutes; no new exam was started.
    expect(await store().reviews.card(TEAM, user, q.id)).toMatchObject({ reps: 1, lapses: 0 });
    expect(await store().mocks.unfinished(TEAM, user, t.now.value)).toBeUndefined();
    // Then /aipath mock starts a new one.
    expect((await t.commandJson('mock aif-c01', { user })).text).toMatch(/^Your AIF-C01 practice exam is in your direct messages/);
  });

  it("says in the DM when the time is up, once, with the result; the exam's message then takes no answer and says why", async () => {
    const user = 'U0MOCK0010';
    await t.commandJson('mock aif-c01', { user });
    const shown = lastPosted(dmOf(user));
    const mock = (await store().mocks.get(Number(question(shown.blocks).key.split('.')[0])))!;
    // The question says when the time ends, as Slack shows an instant to each reader (in their own timezone).
    expect(JSON.stringify(shown.blocks)).toContain(`(time ends at <!date^${Math.floor(mock.endsAt.getTime() / 1000)}^{time}|`);
    const next = await answer(user, shown, false);
    const timeUps = () => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === dmOf(user) && String(c.params.text).startsWith("Time's up"));

    t.now.value = new Date(mock.endsAt.getTime() - 1000);
    await t.app.scheduler.tick(t.now.value);
    expect(timeUps()).toHaveLength(0);
    expect((await store().mocks.get(mock.id))?.finishedAt).toBeNull();
    t.now.value = new Date(mock.endsAt.getTime() + 30_000);
    await t.app.scheduler.tick(t.now.value);
    expect(timeUps().map((c) => c.params.text)).toEqual(["Time's up on your AIF-C01 practice exam: 0 of 65 right (0%)."]);
    expect(JSON.stringify(timeUps()[0]!.params.blocks)).toContain('Time ran out with 64 unanswered; they count as wrong.');
    // The exam's question message, kept when it was posted, is closed: no answer buttons any more.
    expect(mock.message).toEqual({ channel: dmOf(user), ts: shown.ts });
    const closed = t.fake.callsOf('chat.update').findLast((c) => c.params.ts === shown.ts)!.params;
    expect(closed).toMatchObject({ channel: dmOf(user), text: "AIF-C01 practice exam: time's up." });
    expect(JSON.stringify(closed.blocks)).not.toContain('mquiz');
    expect((await store().mocks.get(mock.id))?.finishedAt).toEqual(t.now.value);
    expect(await store().reviews.logOf(TEAM, user)).toHaveLength(1);
    t.now.value = new Date(t.now.value.getTime() + 60_000);
    await t.app.scheduler.tick(t.now.value);
    expect(timeUps()).toHaveLength(1);

    // A click on the exam's question afterwards: nothing recorded, nothing finished or graded again, and the reply says why.
    const late = await answer(user, next, true);
    expect(late.text).toBe('AIF-C01 practice exam: 0 of 65 right (0%).');
    expect(JSON.stringify(late.blocks)).toContain(`Time was up at <!date^${Math.floor(mock.endsAt.getTime() / 1000)}^{time}|`);
    expect(JSON.stringify(late.blocks)).toContain('so that answer was not recorded');
    expect(await store().mocks.answers(mock.id)).toHaveLength(1);
    expect(await store().reviews.logOf(TEAM, user)).toHaveLength(1);
    expect(timeUps()).toHaveLength(1);
    // The next /aipath mock starts a new exam.
    expect((await t.commandJson('mock aif-c01', { user })).text).toMatch(/^Your AIF-C01 practice exam is in your direct messages/);
  });

  it('says so when asked in the DM itself', async () => {
    const user = 'U0MOCK0004';
    await t.commandJson('mock aif-c01', { user });
    const inDm = await t.commandJson('mock', { user, channel: dmOf(user) });
    expect(inDm.text).toMatch(/^Your AIF-C01 practice exam goes on below \(\d+ min left\)\.$/);
  });
});

describe('when Slack will not take the practice exam', () => {
  it('a DM Slack refuses: a clear reply, and no exam started', async () => {
    const user = 'U0MOCK0005';
    t.fake.script('conversations.open', { body: { ok: false, error: 'messages_tab_disabled' } });
    const posts = t.fake.callsOf('chat.postMessage').length;
    const reply = await t.commandJson('mock aif-c01', { user });
    expect(reply.text).toMatch(/^Slack would not let aipath send you a direct message \(.*\), so your practice exam did not start\./);
    expect(JSON.stringify(reply.blocks)).toContain('(`messages_tab_disabled`)');
    expect(t.fake.callsOf('chat.postMessage')).toHaveLength(posts);
    expect(await store().mocks.unfinished(TEAM, user, t.now.value)).toBeUndefined();
    // Once Slack allows it, the exam starts afresh.
    expect((await t.commandJson('mock aif-c01', { user })).text).toMatch(/^Your AIF-C01 practice exam is in your direct messages/);
    expect(lastPosted(dmOf(user)).text).toMatch(/question 1 of 65 · 90 min left/);
  });

  it('rate limited: says when to try again, and no exam started', async () => {
    const user = 'U0MOCK0006';
    t.fake.script('chat.postMessage', { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } });
    const reply = await t.commandJson('mock aif-c01', { user });
    expect(reply.text).toBe('Slack is asking aipath to slow down right now, so your practice exam did not start. Try /aipath mock again in about 30 seconds.');
    expect(await store().mocks.unfinished(TEAM, user, t.now.value)).toBeUndefined();
  });

  it('a running exam Slack will not show again: it keeps running, and the reply says so', async () => {
    const user = 'U0MOCK0007';
    await t.commandJson('mock aif-c01', { user });
    t.fake.script('chat.postMessage', { body: { ok: false, error: 'internal_error' } });
    const reply = await t.commandJson('mock', { user });
    expect(reply.text).toMatch(
      /^Slack did not take the message \(.*\), so your practice exam's question could not be shown \(it is still running, \d+ min left\)\./,
    );
    expect(JSON.stringify(reply.blocks)).toContain('(`internal_error`)');
    expect(await store().mocks.unfinished(TEAM, user, t.now.value)).toBeDefined();
  });

  it('an update Slack refuses: the next question comes by response_url instead, with a note, and the answer counts', async () => {
    const user = 'U0MOCK0008';
    await t.commandJson('mock aif-c01', { user });
    const shown = lastPosted(dmOf(user));
    const { key, q } = question(shown.blocks);
    t.fake.script('chat.update', { status: 429, headers: { 'retry-after': '5' }, body: { ok: false, error: 'ratelimited' } });
    const a = answerAction(q, 'mquiz' as 'rquiz', key, rightResponse(q));
    const before = t.fake.callsOf('response_url').length;
    await t.action(a.actionId.replace('rquiz', 'mquiz'), {
      user,
      value: a.value,
      state: a.state,
      channel: shown.channel,
      responseUrl: `${t.fake.responseUrlBase}${user}`,
      container: { channel_id: shown.channel, message_ts: shown.ts, is_ephemeral: false },
    });
    await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
    const fallback = t.fake.callsOf('response_url').at(-1)!.params;
    expect(String(fallback.text)).toMatch(/question 2 of 65/);
    expect(fallback.replace_original).toBe(false);
    expect(JSON.stringify(fallback.blocks)).toContain('Slack would not update the message above (`rate_limited`), so it goes on here.');
    expect(await store().mocks.answers(Number(key.split('.')[0]))).toHaveLength(1);
  });

  it('a click on a practice exam shown before it moved to the DM (an ephemeral message) is answered in place by response_url', async () => {
    const user = 'U0MOCK0009';
    await t.commandJson('mock aif-c01', { user });
    const { key, q } = question(lastPosted(dmOf(user)).blocks);
    const a = answerAction(q, 'mquiz' as 'rquiz', key, rightResponse(q));
    const updates = t.fake.callsOf('chat.update').length;
    const before = t.fake.callsOf('response_url').length;
    await t.action(a.actionId.replace('rquiz', 'mquiz'), {
      user,
      value: a.value,
      state: a.state,
      channel: 'C0MOCK0001',
      responseUrl: `${t.fake.responseUrlBase}${user}`,
      container: { channel_id: 'C0MOCK0001', message_ts: '1800000000.999999', is_ephemeral: true },
    });
    await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
    expect(t.fake.callsOf('response_url').at(-1)!.params).toMatchObject({ replace_original: true, text: expect.stringMatching(/question 2 of 65/) });
    expect(t.fake.callsOf('chat.update')).toHaveLength(updates);
  });
});
