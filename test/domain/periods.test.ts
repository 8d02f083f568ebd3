import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { boardPeriodsAt, boardPeriodsBetween, isBoardPeriod, periodIndex } from '../../src/domain/boards.js';
import { periodBounds } from '../../src/domain/due.js';
import { calendarPeriod } from '../../src/domain/periods.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const DAY = 86_400_000;
const instant = fc.integer({ min: Date.parse('1990-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }).map((t) => new Date(t));
const unit = fc.constantFrom('week' as const, 'month' as const);

describe('calendar periods', () => {
  it('cover time without overlapping, in every timezone: each instant is in exactly one week and one month (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, unit, (zone, at, u) => {
        const p = calendarPeriod(u, at, zone);
        expect(p.from.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(p.to.getTime()).toBeGreaterThan(at.getTime());
        // The next begins where this one ends, and the period drawn from its own start is itself.
        expect(calendarPeriod(u, p.to, zone).from).toEqual(p.to);
        expect(calendarPeriod(u, new Date(p.from.getTime() - 1), zone).to).toEqual(p.from);
        expect(calendarPeriod(u, p.from, zone).to).toEqual(p.to);
        // It begins on its first local day (a Monday, or the 1st), and lasts about a week or a month.
        const local = DateTime.fromJSDate(p.from, { zone });
        expect(local.toISODate()).toBe(p.startDate.toISODate());
        expect(u === 'week' ? p.startDate.weekday : p.startDate.day).toBe(1);
        const days = (p.to.getTime() - p.from.getTime()) / DAY;
        expect(days).toBeGreaterThanOrEqual(u === 'week' ? 6 : 27);
        expect(days).toBeLessThanOrEqual(u === 'week' ? 8 : 32);
      }),
      { numRuns: 1000 },
    );
  });

  it('agree with the boards: the periods between two instants are consecutive, and each instant is in the ones boardPeriodsAt gives', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 0, max: 200 * DAY }), (zone, first, span) => {
        const last = new Date(first.getTime() + span);
        for (const u of ['week', 'month'] as const) {
          const periods = boardPeriodsBetween(u, first, last, zone);
          for (let i = 1; i < periods.length; i++) expect(periods[i]!.from).toEqual(periods[i - 1]!.to);
          const t = first.getTime() + Math.floor(span / 2);
          const found = periods[periodIndex(periods, t)]!;
          expect(boardPeriodsAt(new Date(t), zone)).toContainEqual(found);
          expect(isBoardPeriod(found, zone)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('are what periodBounds draws for the leaderboard, as before where clocks do not change at midnight', () => {
    const now = new Date('2026-11-18T15:00:00Z');
    expect(periodBounds('week', now, 'Europe/London')).toEqual({
      from: new Date('2026-11-16T00:00:00.000Z'),
      to: new Date('2026-11-23T00:00:00.000Z'),
      label: 'week 2026-W47 (from 16 Nov)',
      zone: 'Europe/London',
    });
    expect(periodBounds('month', now, 'America/New_York')).toMatchObject({
      from: new Date('2026-11-01T04:00:00.000Z'),
      to: new Date('2026-12-01T05:00:00.000Z'),
      label: 'November 2026',
    });
    expect(periodBounds('week', now, 'Australia/Sydney', 1)).toMatchObject({ from: new Date('2026-11-08T13:00:00.000Z'), label: 'week 2026-W46 (from 9 Nov)' });
  });

  // Regressions: drawn with luxon's startOf and plus, these periods overlapped or moved.
  it('do not overlap where clocks go forward at midnight (Africa/Cairo, 1 September 2014)', () => {
    const august = periodBounds('month', new Date('2014-08-15T12:00:00Z'), 'Africa/Cairo');
    const september = periodBounds('month', new Date('2014-09-15T12:00:00Z'), 'Africa/Cairo');
    expect(august.to).toEqual(september.from);
    expect(september.from).toEqual(new Date('2014-08-31T21:00:00.000Z'));
  });

  it('begin at the same instant whichever minute they are drawn where clocks go back at midnight (America/Goose_Bay, 1 November 2009)', () => {
    const early = periodBounds('month', new Date('2009-11-01T03:00:30Z'), 'America/Goose_Bay');
    const later = periodBounds('month', new Date('2009-11-15T12:00:00Z'), 'America/Goose_Bay');
    expect(early).toEqual(later);
    // The first of the two midnights of 1 November.
    expect(later.from).toEqual(new Date('2009-11-01T03:00:00.000Z'));
    expect(periodBounds('month', new Date('2009-10-15T12:00:00Z'), 'America/Goose_Bay').to).toEqual(later.from);
  });
});
