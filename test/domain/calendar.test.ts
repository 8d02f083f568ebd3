import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, daysBetween, fromDayNumber, weekday } from '../../src/domain/calendar.js';

describe('calendar dates', () => {
  it('counts days across month ends, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-01', '2027-03-01')).toBe(90);
    expect(daysBetween('2027-03-01', '2026-12-01')).toBe(-90);
    expect(weekday('2026-11-23')).toBe(1); // a Monday
    expect(weekday('2026-11-29')).toBe(7);
    expect(weekday('1969-12-31')).toBe(3); // before day 0 too
    expect(fromDayNumber(dayNumber('0001-01-01'))).toBe('0001-01-01'); // years below 100 are not read as 19xx
  });

  it('agrees with luxon every 13th day over two centuries', () => {
    const first = DateTime.fromISO('1950-01-01', { zone: 'UTC' });
    for (let i = 0; i < 365 * 200; i += 13) {
      const d = first.plus({ days: i });
      const date = d.toISODate()!;
      expect(dayNumber(date)).toBe(i + dayNumber('1950-01-01'));
      expect(weekday(date)).toBe(d.weekday);
      expect(addDays(date, 40)).toBe(d.plus({ days: 40 }).toISODate());
    }
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2027-02-29', '2026-13-01', '2026-00-10', '2026-1-5', '2026-01-05T00:00', '', 'tomorrow'])
      expect(() => dayNumber(bad)).toThrow(RangeError);
  });
});
