import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { addDays } from '../../src/domain/calendar.js';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';
import { answerAction, rightResponse, wrongResponse } from '../support/quiz-answers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: new Date('2026-11-23T10:00:00Z'), random: () => 0 });
});
afterAll(async () => {
  await t.close();
});

const content = loadContent();
const USER = 'U0REVIEW01';
const minutes = (n: number) => new Date(t.now.value.getTime() + n * 60_000);

/** Presses a control as Slack sends it; the reply that comes by response_url, as text and blocks. */
async function press(actionId: string, value?: string, state?: unknown, user = USER) {
  const before = t.fake.callsOf('response_url').length;
  const res = await t.action(actionId, { user, value, state, channel: 'C0REVIEW01', responseUrl: `${t.fake.responseUrlBase}${user}` });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
  const reply = t.fake.callsOf('response_url').at(-1)!.params;
  return { text: String(reply.text), all: `${String(reply.text)}\n${JSON.stringify(reply.blocks)}`, replace: reply.replace_original, blocks: reply.blocks };
}

/** The value on a button of a reply, by action id. */
const buttonValue = (blocks: unknown, actionId: string) => new RegExp(`"action_id":"${actionId}"[^}]*?"value":"([^"]+)"`).exec(JSON.stringify(blocks))?.[1];

describe('reviews', () => {
  it('grade every practice answer into a memory card: a wrong one comes back within the session', async () => {
    await t.commandJson('start practitioner', { user: USER });
    const quiz = await t.commandJson('quiz', { user: USER });
    const questionId = /"value":"([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(quiz.blocks))![1]!;
    const q = content.question(questionId)!;
    const a = answerAction(q, 'pquiz', q.id, wrongResponse(q));
    const reply = await press(a.actionId, a.value, a.state);
    expect(reply.all).toContain('Comes back for review in 1 minute');
    const card = await t.app.services.store.reviews.card(TEAM, USER, q.id);
    expect(card).toMatchObject({ reps: 1, lapses: 0 });
    expect(card!.due).toEqual(minutes(1));
  });

  it('/aipath review shows the due card first, grades it once, and says when it comes back', async () => {
    t.now.value = minutes(5);
    const step = await t.commandJson('review', { user: USER });
    expect(step.text).toMatch(/^Review: /);
    const [, questionId, reps] = /"value":"([a-z0-9-]+)\.(\d+)(:\d)?"/.exec(JSON.stringify(step.blocks))!;
    expect(reps).toBe('1');
    const q = content.question(questionId!)!;
    const a = answerAction(q, 'rquiz', `${q.id}.1`, rightResponse(q));
    const graded = await press(a.actionId, a.value, a.state);
    expect(graded.text).toMatch(/^Right!.*Comes back in \d+ (minutes|hours?|days?)/);
    expect(graded.replace).toBe(true);
    // A double click finds the card already graded: nothing changes.
    const card = await t.app.services.store.reviews.card(TEAM, USER, q.id);
    const again = await press(a.actionId, a.value, a.state);
    expect(again.text).toContain('already answered this card');
    expect(await t.app.services.store.reviews.card(TEAM, USER, q.id)).toEqual(card);
    expect((await t.app.services.store.reviews.logOf(TEAM, USER)).map((l) => [l.source, l.log.rating])).toEqual([
      ['personal_quiz', 'again'],
      ['review', 'good'],
    ]);

    // "I guessed" grades that answer Hard instead, once: the card comes back sooner.
    const guessed = buttonValue(graded.blocks, 'felt_guessed')!;
    expect((await press('felt_guessed', guessed)).text).toContain('Noted as a guess');
    const hard = await t.app.services.store.reviews.card(TEAM, USER, q.id);
    expect(hard!.due.getTime()).toBeLessThanOrEqual(card!.due.getTime());
    expect((await press('felt_easy', guessed)).text).toContain('nothing changed');
    expect((await t.app.services.store.reviews.logOf(TEAM, USER)).map((l) => l.log.rating)).toEqual(['again', 'hard']);
  });

  it('says when nothing is due and offers new questions, from the domain that gains most', async () => {
    const next = await press('review_next');
    expect(next.text).toMatch(/^Nothing to review right now/);
    expect(next.all).toContain('review_new');
    const fresh = await press('review_new');
    expect(fresh.text).toMatch(/^New question: /);
    expect(fresh.replace).toBe(true);
  });

  it('readiness names every domain with its weight and says it is an estimate', async () => {
    // Week 1 of the practitioner track prepares for CLF-C02; another exam can be named.
    expect((await t.commandJson('readiness', { user: USER })).text).toMatch(/^CLF-C02 readiness: /);
    const r = await t.commandJson('readiness aif-c01', { user: USER });
    const cert = content.certification('aif-c01')!;
    expect(r.text).toMatch(/^AIF-C01 readiness: \d+% \(from \d+ answers?, \d+% of the question bank\)/);
    for (const d of cert.domains) expect(JSON.stringify(r.blocks)).toContain(`${d.number}. ${d.name}`);
    expect(JSON.stringify(r.blocks)).toContain('not a pass probability');
  });
});

describe("the exam plan's daily quota of new questions", () => {
  const user = 'U0QUOTA001';
  /** The review card a reply shows: its question and the key its answer carries. */
  const cardOf = (blocks: unknown) => {
    const [, questionId, rest] = /"value":"([a-z0-9-]+)\.(\d+(?:\.q)?)(:\d)?"/.exec(JSON.stringify(blocks))!;
    return { q: content.question(questionId!)!, key: `${questionId}.${rest}` };
  };
  const answerRight = async (blocks: unknown) => {
    const { q, key } = cardOf(blocks);
    const a = answerAction(q, 'rquiz', key, rightResponse(q));
    return press(a.actionId, a.value, a.state, user);
  };
  const whole = (r: { text: string; blocks: unknown }) => `${r.text}\n${JSON.stringify(r.blocks)}`;
  const newCards = async () => (await t.app.services.store.reviews.logOf(TEAM, user)).filter((l) => l.source === 'review' && l.log.state === 'new').length;

  it("caps the new questions a review session introduces at the plan's pace, per local day, with more when asked for", { timeout: 60_000 }, async () => {
    // 37 days to the exam: 30 days to see AIF-C01's questions, the last week kept for reviews.
    const today = t.now.value.toISOString().slice(0, 10);
    const examDate = addDays(today, 37);
    const bank = content.quiz.filter((q) => q.cert === 'aif-c01').length;
    const cap = Math.ceil(bank / 30);
    const set = await t.commandJson(`exam aif-c01 ${examDate}`, { user });
    expect(set.text).toContain(`${cap} new questions a day to see all ${bank}`);

    // The first `cap` new questions of the day say where the day stands, and lead on to the next new one.
    let reply: { text: string; blocks: unknown } = await t.commandJson('review', { user });
    for (let n = 1; n <= cap; n++) {
      expect(reply.text).toMatch(/^New question: /);
      expect(JSON.stringify(reply.blocks)).toContain(`${n} of ${cap} new today`);
      const graded = await answerRight(reply.blocks);
      expect(graded.text).toMatch(/^Right!/);
      expect(buttonValue(graded.blocks, 'review_new')).toBeUndefined();
      expect(JSON.stringify(graded.blocks)).toContain('"action_id":"review_new"');
      reply = await press('review_new', undefined, undefined, user);
    }
    expect(await newCards()).toBe(cap);
    // Then the quota is met: no new question, but the learner may choose more.
    expect(reply.text).toMatch(new RegExp(`^That's your ${cap} new questions for today \\(${cap} of ${cap} new today\\)\\. Your next review is due `));
    expect(whole(reply)).toContain('You can still choose more new questions now');
    expect(whole(reply)).toContain('"action_id":"review_more"');
    // Asking again changes nothing; the plan shows the same pace.
    expect((await press('review_new', undefined, undefined, user)).text).toMatch(/^That's your \d+ new questions for today/);
    expect((await t.commandJson('exam', { user })).text).toContain(`${cap} new questions a day`);

    // "More new questions": past the quota, said so, and the session goes on with more after each.
    reply = await press('review_more', undefined, undefined, user);
    expect(reply.text).toMatch(/^New question: /);
    expect(JSON.stringify(reply.blocks)).toContain(`${cap + 1} new today, past your plan's ${cap} a day`);
    expect(cardOf(reply.blocks).key).toMatch(/\.0\.q$/);
    const graded = await answerRight(reply.blocks);
    expect(JSON.stringify(graded.blocks)).toContain('"action_id":"review_more"');
    reply = await press('review_more', undefined, undefined, user);
    expect(JSON.stringify(reply.blocks)).toContain(`${cap + 2} new today`);
    await answerRight(reply.blocks);
    expect(await newCards()).toBe(cap + 2);

    // The next local day starts a new count (the due cards first: each answered right once more graduates).
    t.now.value = new Date(`${addDays(today, 1)}T10:00:00Z`);
    reply = await t.commandJson('review', { user });
    for (let i = 0; i < cap + 2; i++) {
      expect(reply.text).toMatch(/^Review: /);
      await answerRight(reply.blocks);
      reply = await press('review_next', undefined, undefined, user);
    }
    expect(reply.text).toMatch(/^Nothing to review right now/);
    const unseen = bank - (cap + 2);
    const capNow = Math.ceil(unseen / 29);
    expect(whole(reply)).toContain(`0 of ${capNow} new today`);
    reply = await press('review_new', undefined, undefined, user);
    expect(JSON.stringify(reply.blocks)).toContain(`1 of ${capNow} new today`);
  });
});

describe('an exam date', () => {
  it('refuses what cannot be planned for, with the reason and an example', async () => {
    const exam = (text: string) => t.commandJson(`exam ${text}`, { user: USER }).then((r) => r.text);
    expect(await exam('aif-c01 next-month')).toContain('Write the date as YYYY-MM-DD, for example /aipath exam aif-c01 2027-');
    expect(await exam('aif-c01 2027-02-30')).toContain('YYYY-MM-DD');
    expect(await exam('aif-c01 2026-11-01')).toContain('has passed');
    expect(await exam('aif-c01 2029-01-01')).toContain('more than two years away');
    expect(await exam('mls-c01 2027-01-15')).toMatch(/MLS-C01 is retired/);
    expect(await exam('aif-c09 2027-01-15')).toMatch(/couldn't find|Did you mean/);
    expect(await t.app.services.store.users.get(TEAM, USER)).toMatchObject({ examCert: null, examDate: null });
  });

  it('sets, shows and clears the target, planning back from the date', async () => {
    const set = await t.commandJson('exam aif-c01 2027-01-18', { user: USER });
    expect(set.text).toMatch(/Exam set: \d+ days to AIF-C01 \(2027-01-18\)/);
    expect(set.text).toMatch(/new questions? a day to see all \d+ by 2027-01-11/);
    expect(await t.app.services.store.users.get(TEAM, USER)).toMatchObject({ examCert: 'aif-c01', examDate: '2027-01-18' });
    expect((await t.commandJson('exam', { user: USER })).text).toContain('to AIF-C01 (2027-01-18)');
    // Status shows the countdown, the pace of the track, readiness and the reviews due.
    const status = JSON.stringify((await t.commandJson('status', { user: USER })).blocks);
    expect(status).toMatch(/\*Exam\*\\n\d+ days to AIF-C01 \(2027-01-18\) · (on track|\d+ weeks? behind)/);
    expect(status).toMatch(/\*Readiness\*\\n\d+% for AIF-C01/);
    expect(status).toMatch(/\*Reviews due\*\\n\d+/);
    expect(JSON.stringify((await t.commandJson('settings', { user: USER })).blocks)).toContain('*AIF-C01* on *2027-01-18*');
    expect((await t.commandJson('exam clear', { user: USER })).text).toContain('Exam date cleared');
    expect((await t.commandJson('exam', { user: USER })).text).toContain('No exam date set');
  });
});

describe('the pace to an exam', () => {
  it('counts the milestones that lead to that exam, not the whole track', async () => {
    // devops prepares for AIF-C01 in weeks 1–5 of 16: eight weeks is plenty for AIF-C01, whatever follows it.
    const user = 'U0PACE0001';
    await t.commandJson('start devops', { user });
    const set = await t.commandJson('exam aif-c01 2027-01-18', { user });
    expect(set.text).toContain('· on track ·');
  });
});

describe('the weekly nudge', () => {
  it('shows the countdown and pace to the exam, readiness and the reviews due', async () => {
    await t.commandJson('exam aif-c01 2027-01-18', { user: USER });
    await t.app.scheduler.tick(new Date('2026-11-30T09:00:30Z'));
    const nudge = t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'D0REVIEW01' && String(c.params.text).startsWith('Week '));
    const blocks = JSON.stringify(nudge?.params.blocks);
    expect(blocks).toMatch(/\*Exam\*\\n\d+ days to AIF-C01 \(2027-01-18\)/);
    expect(blocks).toMatch(/\*Readiness\*\\n\d+% for AIF-C01/);
    expect(blocks).toMatch(/\*Reviews due\*\\n\d+/);
  });
});

describe('practice what you ask for', () => {
  const quizIdOf = (blocks: unknown[]) => /"value":"([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(blocks))?.[1];

  it('/aipath quiz <exam> <domain> gives a question of that exam and domain; without arguments, of the track phase', async () => {
    for (let i = 0; i < 5; i++) {
      const q = content.question(quizIdOf((await t.commandJson('quiz aip-c01 2', { user: 'U0ASKQUIZ1' })).blocks)!)!;
      expect([q.cert, q.domain]).toEqual(['aip-c01', 2]);
    }
    const byExam = content.question(quizIdOf((await t.commandJson('quiz mla-c02', { user: 'U0ASKQUIZ1' })).blocks)!)!;
    expect(byExam.cert).toBe('mla-c02');
    await t.commandJson('start practitioner', { user: 'U0ASKQUIZ2' });
    const phase = content.question(quizIdOf((await t.commandJson('quiz', { user: 'U0ASKQUIZ2' })).blocks)!)!;
    expect(phase.cert).toBe('clf-c02');
    expect((await t.commandJson('quiz aif-c01 9', { user: 'U0ASKQUIZ1' })).text).toMatch(/AIF-C01 has no domain 9 questions here\. Its domains: 1 \(/);
    expect((await t.commandJson('quiz aip-c07', { user: 'U0ASKQUIZ1' })).text).toMatch(/couldn't find|Did you mean/);
  });

  it('/aipath tip <exam|service> gives a tip about it', async () => {
    for (const [about, check] of [
      ['bedrock', (tip: { services: string[] }) => tip.services.includes('bedrock')],
      ['aip-c01', (tip: { certs: string[] }) => tip.certs.includes('aip-c01')],
    ] as const) {
      const reply = await t.commandJson(`tip ${about}`, { user: 'U0ASKTIP01' });
      const tip = content.tips.find((x) => JSON.stringify(reply.blocks).includes(x.text.slice(0, 60).replace(/["\\]/g, '')));
      expect(tip, about).toBeDefined();
      expect(check(tip as never), about).toBe(true);
    }
    expect((await t.commandJson('tip zzqqxx', { user: 'U0ASKTIP01' })).text).toMatch(/couldn't find|Did you mean/);
  });
});
