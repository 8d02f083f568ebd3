import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from '../../src/content/schema.js';
import { loadContent } from '../../src/content/load.js';
import { answerKeyText, incompleteReason, isCorrect, responseFromPicks, responseText, shownOrder } from '../../src/domain/question.js';

const base = { explanation: 'x', cert: 'aif-c01', domain: 1, task: '1.1', tracks: [], services: [], sources: ['https://example.com'] };
const multiple: QuizQuestion = {
  ...base,
  id: 'q-multi',
  type: 'multiple',
  question: 'Which two? (Choose two.)',
  options: [
    { text: 'a', correct: true },
    { text: 'b', correct: false, why: 'no' },
    { text: 'c', correct: true },
    { text: 'd', correct: false, why: 'no' },
    { text: 'e', correct: false, why: 'no' },
  ],
};
const ordering: QuizQuestion = { ...base, id: 'q-order', type: 'ordering', question: 'Order them.', steps: ['first', 'second', 'third', 'fourth'] };
const matching: QuizQuestion = {
  ...base,
  id: 'q-match',
  type: 'matching',
  question: 'Match them.',
  pairs: [
    { item: 'x', match: '1' },
    { item: 'y', match: '2' },
    { item: 'z', match: '3' },
  ],
};

describe('scoring is all or nothing, as on the exams', () => {
  it('multiple response needs exactly the right set', () => {
    expect(isCorrect(multiple, [0, 2])).toBe(true);
    expect(isCorrect(multiple, [0, 1])).toBe(false);
    expect(incompleteReason(multiple, [0])).toBe('Choose exactly 2 options (you chose 1).');
    expect(incompleteReason(multiple, [0, 2, 3])).toMatch(/exactly 2/);
    expect(isCorrect(multiple, [0, 2, 3])).toBe(false);
  });

  it('ordering needs every step in its place, each used once', () => {
    expect(isCorrect(ordering, [0, 1, 2, 3])).toBe(true);
    expect(isCorrect(ordering, [1, 0, 2, 3])).toBe(false);
    expect(incompleteReason(ordering, [0, 1, -1, 3])).toBe('Pick a step for every position first.');
    expect(incompleteReason(ordering, [0, 0, 2, 3])).toBe('Use each step once.');
  });

  it('shows an ordering answer as the letters placed at each position, each marked right or wrong', () => {
    const text = responseText(ordering, [1, 0, 2, 3]);
    expect(text.split(' · ').map((part) => part.slice(-1))).toEqual(['✘', '✘', '✔', '✔']);
    expect(text).toMatch(/^1 [A-D] ✘ · 2 [A-D] ✘ · 3 [A-D] ✔ · 4 [A-D] ✔$/);
  });

  it('matching needs every item matched right', () => {
    expect(isCorrect(matching, [0, 1, 2])).toBe(true);
    expect(isCorrect(matching, [0, 2, 1])).toBe(false);
    expect(incompleteReason(matching, [0, 1])).toBe('Pick an answer for every item first.');
    expect(answerKeyText(matching)).toBe('x → 1; y → 2; z → 3');
  });

  it('reads pickers: ticked boxes ascending, one menu per slot', () => {
    expect(responseFromPicks(multiple, new Map([[0, [2, 0]]]))).toEqual([0, 2]);
    expect(
      responseFromPicks(
        ordering,
        new Map([
          [0, [3]],
          [2, [1]],
        ]),
      ),
    ).toEqual([3, -1, 1, -1]);
  });
});

describe('the shown order of steps and answers', () => {
  it('is a fixed shuffle that never shows the answer itself, for every ordering and matching question', () => {
    const questions = [ordering, matching, ...loadContent().quiz.filter((q) => q.type === 'ordering' || q.type === 'matching')];
    for (const q of questions) {
      const order = shownOrder(q);
      expect([...order].sort()).toEqual(order.map((_, i) => i));
      expect(
        order.every((v, i) => v === i),
        q.id,
      ).toBe(false);
      expect(shownOrder(q)).toEqual(order);
    }
  });
});
