import { describe, expect, it } from 'vitest';
import { periodBounds } from '../../src/domain/due.js';
import { pickRotating } from '../../src/domain/rotation.js';
import { longestStreak, rankByScore, streakRun } from '../../src/domain/scoring.js';

const currentStreak = (active: ReadonlySet<string>, excused: ReadonlySet<string>, today: string) => streakRun(active, excused, today, 400).days;

const days = (...d: string[]) => new Set(d);

describe('streaks', () => {
  it('count consecutive days ending today, or yesterday while today is not over', () => {
    expect(currentStreak(days('2026-11-20', '2026-11-21', '2026-11-22'), days(), '2026-11-22')).toBe(3);
    expect(currentStreak(days('2026-11-20', '2026-11-21'), days(), '2026-11-22')).toBe(2);
    expect(currentStreak(days('2026-11-19', '2026-11-20'), days(), '2026-11-22')).toBe(0);
  });

  it('are not broken by a day on which aipath missed its own delivery', () => {
    const active = days('2026-11-18', '2026-11-19', '2026-11-21', '2026-11-22');
    expect(currentStreak(active, days(), '2026-11-22')).toBe(2);
    expect(currentStreak(active, days('2026-11-20'), '2026-11-22')).toBe(4);
    expect(longestStreak(active, days('2026-11-20'))).toBe(4);
  });

  it('cross month and year boundaries', () => {
    expect(currentStreak(days('2026-12-30', '2026-12-31', '2027-01-01'), days(), '2027-01-01')).toBe(3);
  });
});

describe('ranking', () => {
  it('lets ties share a rank and skips the next (1, 1, 3)', () => {
    const ranked = rankByScore(
      [
        { u: 'a', p: 10 },
        { u: 'b', p: 30 },
        { u: 'c', p: 30 },
        { u: 'd', p: 5 },
      ],
      (x) => x.p,
    );
    expect(ranked.map((r) => [r.item.u, r.rank])).toEqual([
      ['b', 1],
      ['c', 1],
      ['a', 3],
      ['d', 4],
    ]);
  });
});

describe('periods', () => {
  it('use ISO weeks and calendar months in the given timezone', () => {
    const now = new Date('2026-11-22T23:30:00Z'); // Sunday in London, already Monday in Sydney
    expect(periodBounds('week', now, 'Europe/London')).toMatchObject({ from: new Date('2026-11-16T00:00:00.000Z'), to: new Date('2026-11-23T00:00:00.000Z') });
    expect(periodBounds('week', now, 'Australia/Sydney')).toMatchObject({
      from: new Date('2026-11-22T13:00:00.000Z'),
      to: new Date('2026-11-29T13:00:00.000Z'),
    });
    expect(periodBounds('month', now, 'America/New_York')).toMatchObject({
      from: new Date('2026-11-01T04:00:00.000Z'),
      to: new Date('2026-12-01T05:00:00.000Z'),
    });
    expect(periodBounds('week', now, 'Europe/London', 1)).toMatchObject({ from: new Date('2026-11-09T00:00:00.000Z') });
  });
});

describe('rotation', () => {
  it('shows every item once before any repeats', () => {
    const pool = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    const counts = new Map<string, number>();
    const shown: string[] = [];
    for (let day = 0; day < 10; day++) {
      const pick = pickRotating(pool, counts, `C1:${day}`)!;
      shown.push(pick.id);
      counts.set(pick.id, (counts.get(pick.id) ?? 0) + 1);
    }
    expect(new Set(shown.slice(0, 5)).size).toBe(5);
    expect(new Set(shown.slice(5)).size).toBe(5);
  });
});
