import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/seeded-random.js';
import { allocate, type MockCandidate, scoreMock, selectMockExam } from '../../../src/domain/review/mock-exam.js';

const seeded = seededRandom;

const aif = [
  { number: 1, name: 'Fundamentals of AI and ML', weight: 20 },
  { number: 2, name: 'Fundamentals of GenAI', weight: 24 },
  { number: 3, name: 'Applications of Foundation Models', weight: 28 },
  { number: 4, name: 'Guidelines for Responsible AI', weight: 14 },
  { number: 5, name: 'Security, Compliance, and Governance for AI Solutions', weight: 14 },
];

const questions = (domain: number | undefined, n: number): MockCandidate[] => Array.from({ length: n }, (_, i) => ({ id: `q-${domain ?? 'x'}-${i}`, domain }));
const fullBank = [...questions(1, 30), ...questions(2, 30), ...questions(3, 30), ...questions(4, 30), ...questions(5, 30), ...questions(undefined, 5)];
const countBy = (qs: readonly MockCandidate[]) => qs.reduce((m, q) => m.set(q.domain, (m.get(q.domain) ?? 0) + 1), new Map<number | undefined, number>());

describe('drawing a practice exam', () => {
  it('shares the questions by domain weight, largest remainders first', () => {
    // 65 × weights: 13, 15.6, 18.2, 9.1, 9.1 → floors 64, the one seat left to domain 2
    const mock = selectMockExam(fullBank, aif, 65, seeded(1));
    expect(mock.quotas.map((q) => q.count)).toEqual([13, 16, 18, 9, 9]);
    expect(mock.questions).toHaveLength(65);
    expect(mock.short).toBe(false);
    expect(Object.fromEntries(countBy(mock.questions))).toEqual({ 1: 13, 2: 16, 3: 18, 4: 9, 5: 9 });
  });

  it('gives a thin domain all it has and shares its shortfall among the others', () => {
    const bank = [...questions(1, 30), ...questions(2, 30), ...questions(3, 5), ...questions(4, 30), ...questions(5, 30)];
    const mock = selectMockExam(bank, aif, 65, seeded(2));
    expect(mock.questions).toHaveLength(65);
    expect(mock.quotas.find((q) => q.domain === 3)).toEqual({ domain: 3, count: 5, available: 5 });
    expect(mock.quotas.reduce((s, q) => s + q.count, 0)).toBe(65);
  });

  it('says when the bank is smaller than the exam', () => {
    const bank = [...questions(1, 4), ...questions(2, 3), ...questions(4, 2)];
    const mock = selectMockExam(bank, aif, 65, seeded(3));
    expect(mock.short).toBe(true);
    expect(mock.questions).toHaveLength(9);
  });

  it('leaves out questions without a domain of the exam', () => {
    const mock = selectMockExam([...questions(undefined, 10), ...questions(9, 10), ...questions(1, 3)], aif, 5, seeded(4));
    expect(mock.questions.map((q) => q.domain)).toEqual([1, 1, 1]);
    expect(mock.short).toBe(true);
  });

  it('draws the same exam from the same seed whatever order the bank was loaded in, another from another seed', () => {
    const ids = (bank: MockCandidate[], seed: number) => selectMockExam(bank, aif, 65, seeded(seed)).questions.map((q) => q.id);
    expect(ids([...fullBank].reverse(), 7)).toEqual(ids(fullBank, 7));
    expect(ids(fullBank, 8)).not.toEqual(ids(fullBank, 7));
  });

  it('mixes the domains rather than asking them in blocks', () => {
    const domains = selectMockExam(fullBank, aif, 65, seeded(5)).questions.map((q) => q.domain);
    expect(domains).not.toEqual([...domains].sort());
  });

  it('survives a random source that returns 1', () => {
    expect(selectMockExam(fullBank, aif, 10, () => 1).questions).toHaveLength(10);
  });

  it('always returns exactly N distinct questions of the bank when it has at least N (property)', () => {
    const bankArb = fc.uniqueArray(
      fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), domain: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }) }),
      {
        selector: (q) => q.id,
        maxLength: 120,
      },
    );
    fc.assert(
      fc.property(bankArb, fc.integer({ min: 0, max: 100 }), fc.integer(), (bank, n, seed) => {
        const mock = selectMockExam(bank, aif, n, seeded(seed));
        const eligible = bank.filter((q) => q.domain !== undefined && q.domain <= 5);
        const expected = Math.min(n, eligible.length);
        expect(mock.questions).toHaveLength(expected);
        expect(new Set(mock.questions.map((q) => q.id)).size).toBe(expected);
        expect(mock.questions.every((q) => eligible.includes(q))).toBe(true);
        expect(mock.short).toBe(eligible.length < n);
        for (const quota of mock.quotas) expect(quota.count).toBeLessThanOrEqual(quota.available);
      }),
    );
  });
});

describe('largest remainder allocation', () => {
  it('never exceeds a capacity and fills every seat the capacities allow (property)', () => {
    const slots = fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(slots, fc.integer({ min: 0, max: 200 }), (pairs, wanted) => {
        const weights = pairs.map(([w]) => w);
        const capacity = pairs.map(([, c]) => c);
        const seats = Math.min(
          wanted,
          capacity.reduce((a, b) => a + b, 0),
        );
        const counts = allocate(seats, weights, capacity);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(seats);
        counts.forEach((c, i) => {
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(capacity[i]!);
        });
      }),
    );
  });

  it('is exactly proportional when the quotas are whole', () => {
    expect(allocate(10, [50, 30, 20], [99, 99, 99])).toEqual([5, 3, 2]);
  });
});

describe('scoring a practice exam', () => {
  const answers = (rightByDomain: Record<number, [number, number]>) =>
    Object.entries(rightByDomain).flatMap(([domain, [right, total]]) =>
      Array.from({ length: total }, (_, i) => ({ questionId: `q-${domain}-${i}`, domain: Number(domain), correct: i < right })),
    );

  it('scores by domain and overall, and lists the wrong questions for reviews', () => {
    const score = scoreMock(answers({ 1: [2, 3], 2: [1, 2] }), aif.slice(0, 3), 700);
    expect(score.perDomain).toEqual([
      { domain: 1, right: 2, total: 3 },
      { domain: 2, right: 1, total: 2 },
      { domain: 3, right: 0, total: 0 },
    ]);
    expect(score).toMatchObject({ right: 3, total: 5, percent: 60, estimatedScaledScore: 640, passed: false });
    expect(score.wrong).toEqual(['q-1-2', 'q-2-1']);
  });

  it('passes when the linear estimate on the 100–1000 scale reaches the passing score', () => {
    // 700 needs (700 − 100) / 900 ≈ 66.7% right
    expect(scoreMock(answers({ 1: [2, 3] }), aif, 700)).toMatchObject({ percent: 67, estimatedScaledScore: 700, passed: true });
    expect(scoreMock(answers({ 1: [43, 65] }), aif, 700)).toMatchObject({ percent: 66, estimatedScaledScore: 695, passed: false });
    expect(scoreMock(answers({ 1: [65, 65] }), aif, 750)).toMatchObject({ percent: 100, estimatedScaledScore: 1000, passed: true });
  });

  it('cannot say pass or fail without a passing score or without answers', () => {
    expect(scoreMock(answers({ 1: [3, 3] }), aif).passed).toBeUndefined();
    expect(scoreMock([], aif, 700)).toMatchObject({ total: 0, percent: 0, estimatedScaledScore: 100, passed: undefined });
  });
});
