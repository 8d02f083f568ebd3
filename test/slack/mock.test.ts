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

/** Presses a control as Slack sends it; the reply that comes by response_url. */
async function press(user: string, actionId: string, value: string, state?: unknown) {
  const before = t.fake.callsOf('response_url').length;
  const res = await t.action(actionId, { user, value, state, channel: 'C0MOCK0001', responseUrl: `${t.fake.responseUrlBase}${user}` });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
  const reply = t.fake.callsOf('response_url').at(-1)!.params;
  return { text: String(reply.text), blocks: reply.blocks as unknown[] };
}

/** The practice exam's question a reply shows: its key (exam id and question id) and the question. */
function shown(blocks: unknown[]) {
  const m = /"value":"(\d+)\.([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(blocks))!;
  return { key: `${m[1]}.${m[2]}`, q: content.question(m[2]!)! };
}

/** Answers the shown question right or wrong, and returns the next reply. */
async function answer(user: string, blocks: unknown[], right: boolean) {
  const { key, q } = shown(blocks);
  const a = answerAction(q, 'mquiz' as 'rquiz', key, right ? rightResponse(q) : wrongResponse(q));
  return press(user, a.actionId.replace('rquiz', 'mquiz'), a.value, a.state);
}

describe('a practice exam', () => {
  it("has the exam's length by domain weight, no feedback until the end, then a score by domain, and the answers go to reviews", {
    timeout: 60_000,
  }, async () => {
    const user = 'U0MOCK0001';
    let reply = await t.commandJson('mock aif-c01', { user });
    expect(reply.text).toMatch(/^AIF-C01 practice exam · question 1 of 65 · 90 min left/);
    const asked = new Set<string>();
    let right = 0;
    for (let i = 1; i <= 65; i++) {
      const { q } = shown(reply.blocks);
      asked.add(q.id);
      const next = await answer(user, reply.blocks, i % 3 !== 0);
      if (i % 3 !== 0) right++;
      if (i < 65) {
        expect(next.text).toMatch(new RegExp(`question ${i + 1} of 65`));
        expect(next.text).not.toMatch(/Right|Not quite/);
      }
      reply = { ...next, response_type: 'ephemeral' };
    }
    expect(asked.size).toBe(65);
    expect(reply.text).toBe(`AIF-C01 practice exam: ${right} of 65 right (${Math.round((right / 65) * 100)}%).`);
    const cert = content.certification('aif-c01')!;
    for (const d of cert.domains) expect(JSON.stringify(reply.blocks)).toContain(`${d.number}. ${d.name}`);
    // Drawn by domain weight: every domain is asked in proportion.
    const byDomain = new Map<number, number>();
    for (const id of asked) byDomain.set(content.question(id)!.domain!, (byDomain.get(content.question(id)!.domain!) ?? 0) + 1);
    for (const d of cert.domains) expect(Math.abs(byDomain.get(d.number)! - (65 * d.weight) / 100)).toBeLessThanOrEqual(1);
    // Every answered question is a memory card now; the wrong ones come back first (in a minute, right ones in ten).
    const cards = await t.app.services.store.reviews.cardsOf(TEAM, user);
    expect(cards).toHaveLength(65);
    expect(await t.app.services.store.reviews.dueCount(TEAM, user, new Date(t.now.value.getTime() + 2 * 60_000))).toBe(65 - right);
    expect((await t.app.services.store.reviews.logOf(TEAM, user)).every((l) => l.source === 'mock')).toBe(true);
  });

  it('counts a double click once, says when the bank is shorter than the exam, and ends when the time is up', async () => {
    const user = 'U0MOCK0002';
    const first = await t.commandJson('mock clf-c02', { user });
    expect(first.text).toMatch(/question 1 of \d+ · \d+ min left/);
    expect(JSON.stringify(first.blocks)).toContain('The real exam has 65 questions');
    const a = await answer(user, first.blocks, true);
    expect(a.text).toMatch(/question 2 of/);
    const again = await answer(user, first.blocks, false);
    expect(again.text).toMatch(/question 2 of/);
    // The same exam comes back with /aipath mock while it runs.
    expect((await t.commandJson('mock', { user })).text).toMatch(/question 2 of/);
    t.now.value = new Date(t.now.value.getTime() + 3 * 3600_000);
    const late = await answer(user, again.blocks, true);
    expect(late.text).toMatch(/^CLF-C02 practice exam: 1 of \d+ right/);
    expect(JSON.stringify(late.blocks)).toMatch(/Time ran out with \d+ unanswered/);
  });
});
