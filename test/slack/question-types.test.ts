import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { StoreBusyError } from '../../src/ports/store.js';
import type { QuizQuestion } from '../../src/content/schema.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { answerAction, pickerState, rightResponse, wrongResponse } from '../support/quiz-answers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const content = loadContent();
const firstOf = (type: QuizQuestion['type']) => content.quiz.find((q) => q.type === type)!;
const answers = async (user: string) =>
  (await t.app.services.store.quiz.answersOf('T0TEST001', user)).map((a) => ({ questionId: a.questionId, response: a.response, correct: a.correct }));

/** Presses an answer control as Slack sends it, and returns the reply that comes by response_url. */
async function press(user: string, actionId: string, value: string, state?: unknown): Promise<string> {
  const before = t.fake.callsOf('response_url').length;
  const res = await t.action(actionId, { user, value, state, channel: 'C0TYPES001', responseUrl: `${t.fake.responseUrlBase}${user}` });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
  const reply = t.fake.callsOf('response_url').at(-1)!.params;
  // The text a notification shows, then the blocks: long answers (steps, pairs) are only in the blocks.
  return `${String(reply.text)}\n${JSON.stringify(reply.blocks)}`;
}

describe.each(['multiple', 'ordering', 'matching'] as const)('%s questions through Slack', (type) => {
  const q = firstOf(type);

  it('show pickers and a submit button, and score a right answer once', async () => {
    const user = `U0RIGHT${type.slice(0, 3).toUpperCase()}`;
    const a = answerAction(q, 'pquiz', q.id, rightResponse(q));
    expect(a.actionId).toBe('pquiz_submit');
    expect(await press(user, a.actionId, a.value, a.state)).toMatch(/^Right!/);
    expect(await press(user, a.actionId, a.value, a.state)).toMatch(/already answered/);
    expect(await answers(user)).toEqual([{ questionId: q.id, response: rightResponse(q), correct: true }]);
  });

  it('mark a wrong answer wrong and show the whole answer', async () => {
    const user = `U0WRONG${type.slice(0, 3).toUpperCase()}`;
    const a = answerAction(q, 'pquiz', q.id, wrongResponse(q));
    const reply = await press(user, a.actionId, a.value, a.state);
    expect(reply).toMatch(/^Not quite/);
    expect(reply).toContain('The answer:');
    expect(await answers(user)).toMatchObject([{ correct: false }]);
  });

  it('record nothing for an incomplete answer, and say what is missing', async () => {
    const user = `U0HALF${type.slice(0, 3).toUpperCase()}`;
    const partial = type === 'multiple' ? rightResponse(q).slice(0, 1) : rightResponse(q).map((v, i) => (i === 0 ? -1 : v));
    const reply = await press(user, 'pquiz_submit', q.id, pickerState(q, partial));
    expect(reply).toMatch(/Choose exactly|Pick (a step|an answer)/);
    expect(reply).toContain('Nothing was recorded yet');
    expect(await answers(user)).toEqual([]);
  });
});

describe('pickers', () => {
  it('are acknowledged quietly while the learner ticks and chooses', async () => {
    const before = t.fake.callsOf('response_url').length;
    const res = await t.action('qpick:1', { user: 'U0PICKER01', responseUrl: `${t.fake.responseUrlBase}picker` });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(t.fake.callsOf('response_url').length).toBe(before);
  });
});

describe('a database lock in the middle of an answer', () => {
  it('leaves nothing half-written: the retried answer still scores once, as the first', async () => {
    const q = content.quiz.find((x) => x.type === 'single')!;
    const user = 'U0LOCKMID1';
    const { store } = t.app.services;
    const transaction = store.transaction;
    let thrown = false;
    // The lock strikes inside the answer's transaction, after the answer itself was written.
    store.transaction = (work) =>
      transaction((tx) =>
        work({
          ...tx,
          points: {
            ...tx.points,
            award: async (...args) => {
              if (!thrown) {
                thrown = true;
                throw new StoreBusyError('database is locked');
              }
              return tx.points.award(...args);
            },
          },
        }),
      );
    try {
      const a = answerAction(q, 'pquiz', q.id, rightResponse(q));
      expect(await press(user, a.actionId, a.value, a.state)).toMatch(/^Right!/);
    } finally {
      store.transaction = transaction;
    }
    expect(thrown).toBe(true);
    expect(await answers(user)).toHaveLength(1);
    expect((await t.app.services.store.points.earnedBy('T0TEST001', user)).map((p) => p.points)).toEqual([5]);
  });
});
