import { describe, expect, it } from 'vitest';
import { teamByDomain, teamWeakestDomain } from '../../../src/domain/review/team.js';

const domains = [
  { number: 1, name: 'One', weight: 20 },
  { number: 2, name: 'Two', weight: 30 },
  { number: 3, name: 'Three', weight: 50 },
];
const questions = [
  { id: 'a', domain: 1 },
  { id: 'b', domain: 2 },
  { id: 'c', domain: 3 },
  { id: 'x', domain: undefined },
];

describe('the team by domain', () => {
  it('adds up the answers by domain, and starts a domain nobody answered at the guessing floor', () => {
    const team = teamByDomain(
      new Map([
        ['a', { answered: 10, correct: 9 }],
        ['c', { answered: 40, correct: 36 }],
        ['x', { answered: 5, correct: 0 }],
      ]),
      questions,
      domains,
    );
    expect(team.map((d) => [d.number, d.answered, d.correct])).toEqual([
      [1, 10, 9],
      [2, 0, 0],
      [3, 40, 36],
    ]);
    expect(team[1]!.estimate).toBe(0.25);
    expect(team[2]!.estimate).toBeCloseTo((36 + 2.5) / 50);
  });

  it('focuses on the largest weight × (1 − estimate): the heaviest domain first, then one the team is weak in', () => {
    expect(teamWeakestDomain(teamByDomain(new Map(), questions, domains))).toBe(3);
    const afterPractice = teamByDomain(new Map([['c', { answered: 60, correct: 57 }]]), questions, domains);
    expect(teamWeakestDomain(afterPractice)).toBe(2);
  });
});
