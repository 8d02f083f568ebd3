import { describe, expect, it } from 'vitest';
import { newCard, review } from '../../../src/domain/review/memory.js';
import { nextCard } from '../../../src/domain/review/next-card.js';

const T0 = new Date('2026-11-01T09:00:00Z');
const DAY = 86_400_000;
const domains = [
  { number: 1, name: 'Fundamentals', weight: 20 },
  { number: 2, name: 'Generative AI', weight: 40 },
  { number: 3, name: 'Governance', weight: 40 },
];
const bank = [
  { id: 'a1', domain: 1 },
  { id: 'a2', domain: 1 },
  { id: 'b1', domain: 2 },
  { id: 'c1', domain: 3 },
  { id: 'c2', domain: 3 },
];
const first = () => 0;

describe('the next card of a review session', () => {
  it('is the due card with the lowest recall first', () => {
    // Learned long ago (low recall now) vs learned yesterday (higher recall), both due.
    const old = review(review(newCard(T0), 'good', T0).card, 'good', new Date(T0.getTime() + DAY)).card;
    const recent = review(newCard(T0), 'again', new Date(T0.getTime() + 20 * DAY)).card;
    const now = new Date(T0.getTime() + 40 * DAY);
    const next = nextCard({
      due: [
        { questionId: 'c1', card: recent },
        { questionId: 'a1', card: old },
      ],
      bank,
      seen: new Set(['a1', 'c1']),
      readiness: [],
      domains,
      now,
      random: first,
    });
    expect(next.kind).toBe('due');
    const again = nextCard({ due: [{ questionId: 'c1', card: recent }], bank, seen: new Set(['c1']), readiness: [], domains, now, random: first });
    expect(next.kind === 'due' && again.kind === 'due' && next.recall <= again.recall).toBe(true);
  });

  it('skips the card just answered, and offers new questions only when allowed', () => {
    const due = [{ questionId: 'a1', card: review(newCard(T0), 'again', T0).card }];
    const now = new Date(T0.getTime() + DAY);
    expect(nextCard({ due, bank, seen: new Set(['a1']), readiness: [], domains, now, random: first, skip: new Set(['a1']), allowNew: false })).toEqual({
      kind: 'none',
    });
    expect(nextCard({ due, bank, seen: new Set(['a1']), readiness: [], domains, now, random: first, skip: new Set(['a1']) }).kind).toBe('new');
  });

  it('takes a new question from the domain with the largest weight × (1 − readiness) that still has unseen ones', () => {
    const now = T0;
    // Domains 2 and 3 weigh alike; 3 is less ready, so it gains more.
    const readiness = [
      { domain: 1, readiness: 0.1 },
      { domain: 2, readiness: 0.8 },
      { domain: 3, readiness: 0.3 },
    ];
    expect(nextCard({ due: [], bank, seen: new Set(), readiness, domains, now, random: first })).toEqual({ kind: 'new', questionId: 'c1', domain: 3 });
    // Once domain 3 is all seen, the next best domain with unseen questions: 1 (20 × 0.9 = 18) over 2 (40 × 0.2 = 8).
    expect(nextCard({ due: [], bank, seen: new Set(['c1', 'c2']), readiness, domains, now, random: first })).toMatchObject({ kind: 'new', domain: 1 });
    expect(nextCard({ due: [], bank, seen: new Set(bank.map((q) => q.id)), readiness, domains, now, random: first })).toEqual({ kind: 'none' });
  });
});
