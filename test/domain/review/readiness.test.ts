import { describe, expect, it } from 'vitest';
import { type MemoryCard, newCard, review } from '../../../src/domain/review/memory.js';
import {
  type DomainReadiness,
  domainReadiness,
  GUESS_RATE,
  nextDomainToStudy,
  overallReadiness,
  type QuestionMemory,
  unseenPrior,
} from '../../../src/domain/review/readiness.js';

const DAY = 86_400_000;
const t0 = new Date('2026-12-01T09:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

const domains = [
  { number: 1, name: 'Fundamentals of AI and ML', weight: 20 },
  { number: 2, name: 'Fundamentals of GenAI', weight: 24 },
  { number: 3, name: 'Applications of Foundation Models', weight: 28 },
];

/** A card answered right at t0 and again at its 10-minute step: in review, due days later. */
function learned(): MemoryCard {
  const first = review(newCard(t0), 'good', t0).card;
  return review(first, 'good', first.due).card;
}

const bank = (domain: number | undefined, n: number): QuestionMemory[] => Array.from({ length: n }, () => ({ domain }));

describe('domain readiness', () => {
  it('starts every domain at the guessing floor, with nothing seen', () => {
    const result = domainReadiness([...bank(1, 10), ...bank(2, 5)], domains, t0);
    expect(result.map((d) => [d.domain, d.total, d.seen, d.accuracy, d.meanRecall])).toEqual([
      [1, 10, 0, null, null],
      [2, 5, 0, null, null],
      [3, 0, 0, null, null],
    ]);
    for (const d of result) expect(d.readiness).toBeCloseTo(GUESS_RATE);
    expect(result[0]!.name).toBe('Fundamentals of AI and ML');
  });

  it('counts seen questions, answers and accuracy, ignoring questions outside the exam domains', () => {
    const questions: QuestionMemory[] = [
      { domain: 1, card: learned(), answered: 2, right: 2 },
      { domain: 1, card: review(newCard(t0), 'again', t0).card, answered: 1, right: 0 },
      { domain: 1, card: newCard(t0) }, // created but never answered: not seen
      { domain: 1 },
      { domain: 9, card: learned(), answered: 5, right: 5 },
      { domain: undefined, card: learned(), answered: 5, right: 5 },
    ];
    const [d1] = domainReadiness(questions, domains, at(1));
    expect(d1).toMatchObject({ total: 4, seen: 2, answered: 3, right: 2 });
    expect(d1!.accuracy).toBeCloseTo(2 / 3);
    expect(d1!.meanRecall).toBeGreaterThan(0);
  });

  it('is the expected share right: recall for seen questions, the prior for unseen ones', () => {
    const card = learned();
    const questions: QuestionMemory[] = [{ domain: 1, card, answered: 2, right: 2 }, ...bank(1, 3)];
    const [d1] = domainReadiness(questions, domains, at(2));
    const expected = (d1!.meanRecall! + 3 * unseenPrior(2, 2)) / 4;
    expect(d1!.readiness).toBeCloseTo(expected, 10);
  });

  it('keeps the prior for unseen questions cautious: toward accuracy only as answers accumulate', () => {
    expect(unseenPrior(0, 0)).toBeCloseTo(GUESS_RATE);
    expect(unseenPrior(2, 2)).toBeLessThan(0.5);
    expect(unseenPrior(100, 100)).toBeGreaterThan(0.9);
    expect(unseenPrior(100, 0)).toBeLessThan(GUESS_RATE);
  });

  it('rises with right answers', () => {
    const before = domainReadiness(bank(1, 4), domains, at(1))[0]!.readiness;
    const questions: QuestionMemory[] = [{ domain: 1, card: learned(), answered: 2, right: 2 }, ...bank(1, 3)];
    const after = domainReadiness(questions, domains, at(1))[0]!.readiness;
    expect(after).toBeGreaterThan(before);
  });

  it('falls with time', () => {
    const questions: QuestionMemory[] = [
      { domain: 1, card: learned(), answered: 2, right: 2 },
      { domain: 1, card: learned(), answered: 2, right: 2 },
    ];
    const soon = domainReadiness(questions, domains, at(1))[0]!.readiness;
    const later = domainReadiness(questions, domains, at(60))[0]!.readiness;
    expect(later).toBeLessThan(soon);
  });
});

const dr = (domain: number, weight: number, readiness: number, extra: Partial<DomainReadiness> = {}): DomainReadiness => ({
  domain,
  name: `Domain ${domain}`,
  weight,
  total: 10,
  seen: 0,
  answered: 0,
  right: 0,
  accuracy: null,
  meanRecall: null,
  readiness,
  ...extra,
});

describe('overall readiness', () => {
  it('weights each domain by the exam guide', () => {
    const overall = overallReadiness([dr(1, 20, 0.5), dr(2, 30, 1), dr(3, 50, 0)]);
    expect(overall.readiness).toBeCloseTo(0.4);
  });

  it('says what it is based on', () => {
    const overall = overallReadiness([dr(1, 20, 0.5, { answered: 30, seen: 12, total: 40 }), dr(2, 30, 1, { answered: 16, seen: 8, total: 25 })]);
    expect(overall).toMatchObject({ answered: 46, seen: 20, total: 65 });
  });

  it('is 0 when the exam lists no domains', () => {
    expect(overallReadiness([]).readiness).toBe(0);
  });
});

describe('next domain to study', () => {
  const weights = domains.map(({ number, weight }) => ({ number, weight }));

  it('is the largest weight × (1 − readiness)', () => {
    // gains: 20 × 0.5 = 10, 24 × 0.5 = 12, 28 × 0.7 ≈ 8.4
    expect(nextDomainToStudy([dr(1, 20, 0.5), dr(2, 24, 0.5), dr(3, 28, 0.7)], weights)).toBe(2);
    // the heaviest domain wins when all are equally ready
    expect(nextDomainToStudy([dr(1, 20, 0.3), dr(2, 24, 0.3), dr(3, 28, 0.3)], weights)).toBe(3);
  });

  it('breaks ties by domain number', () => {
    const even = [
      { number: 1, weight: 14 },
      { number: 2, weight: 14 },
    ];
    expect(nextDomainToStudy([dr(2, 14, 0.2), dr(1, 14, 0.2)], [...even].reverse())).toBe(1);
    // 20 × 0.7 = 14 = 28 × 0.5: equal gains despite floating point
    expect(
      nextDomainToStudy(
        [dr(3, 28, 0.5), dr(1, 20, 0.3)],
        [
          { number: 3, weight: 28 },
          { number: 1, weight: 20 },
        ],
      ),
    ).toBe(1);
  });

  it('treats a domain without a readiness figure as not ready', () => {
    expect(nextDomainToStudy([dr(3, 28, 0.9)], weights)).toBe(2);
  });

  it('is undefined when the exam lists no domains', () => {
    expect(nextDomainToStudy([], [])).toBeUndefined();
  });
});
