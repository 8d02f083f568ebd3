import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { COMMANDS, parseCommand } from '../../src/domain/commands.js';
import { nextNudgeAt, pauseEndsAt } from '../../src/domain/due.js';
import { planPosition, weekNumber, weekStartsOn } from '../../src/domain/plan.js';
import { DAILY_PRACTICE_SCORED, MAX_FREEZES, POINTS, practiceScoring, streakState } from '../../src/domain/scoring.js';

const days = (...d: string[]) => new Set(d);
/** Every date from `from` to `to`, inclusive. */
const range = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
};
const local = (dt: DateTime) => dt.toFormat('ccc yyyy-MM-dd HH:mm');

// 2026-11-23 and 2026-11-30 are Mondays.
describe('weeks follow the Monday nudge', () => {
  it('week 1 runs from the join date to the first Monday after it; each Monday opens the next week', () => {
    const wed = '2026-11-18';
    expect(['2026-11-18', '2026-11-22'].map((d) => weekNumber(wed, d))).toEqual([1, 1]);
    expect(['2026-11-23', '2026-11-29', '2026-11-30', '2026-12-07'].map((d) => weekNumber(wed, d))).toEqual([2, 2, 3, 4]);
  });

  it('joining on a Monday: week 1 is that whole week; joining on a Sunday: week 1 is that day', () => {
    expect(['2026-11-23', '2026-11-29', '2026-11-30'].map((d) => weekNumber('2026-11-23', d))).toEqual([1, 1, 2]);
    expect(['2026-11-22', '2026-11-23'].map((d) => weekNumber('2026-11-22', d))).toEqual([1, 2]);
  });

  it('says on which local date a week starts', () => {
    expect([1, 2, 3].map((w) => weekStartsOn('2026-11-18', w))).toEqual(['2026-11-18', '2026-11-23', '2026-11-30']);
    expect([1, 2].map((w) => weekStartsOn('2026-11-23', w))).toEqual(['2026-11-23', '2026-11-30']);
  });

  it('planPosition agrees, and finishes after the last week', () => {
    const track = loadContent().track('practitioner')!;
    const total = track.weeks.length;
    expect(planPosition(track, '2026-11-18', '2026-11-23')).toMatchObject({ week: 2, finished: false });
    const lastStart = weekStartsOn('2026-11-18', total);
    expect(planPosition(track, '2026-11-18', lastStart)).toMatchObject({ week: total, finished: false });
    const after = DateTime.fromISO(lastStart).plus({ days: 7 }).toISODate()!;
    expect(planPosition(track, '2026-11-18', after)).toMatchObject({ week: total, finished: true });
  });

  it('the first nudge is the first Monday after the join date, even when joining on a Monday before the nudge time', () => {
    const tz = 'Europe/London';
    const mondayEarly = new Date('2026-11-23T08:00:00Z');
    expect(local(nextNudgeAt(mondayEarly, tz, '09:00', '2026-11-23'))).toBe('Mon 2026-11-30 09:00');
    expect(local(nextNudgeAt(new Date('2026-11-22T20:00:00Z'), tz, '09:00', '2026-11-22'))).toBe('Mon 2026-11-23 09:00');
    expect(local(nextNudgeAt(new Date('2026-11-22T20:00:00Z'), tz, '00:00', '2026-11-22'))).toBe('Mon 2026-11-23 00:00');
    // Long after joining it is simply the next Monday.
    expect(local(nextNudgeAt(mondayEarly, tz, '09:00', '2026-10-01'))).toBe('Mon 2026-11-23 09:00');
  });
});

describe('pauses end at the start of a local day', () => {
  it('pause N ends at 00:00 in the learner’s timezone N days on, across a DST change', () => {
    const nyWed = new Date('2026-11-25T15:00:00Z'); // Wed 10:00 in New York
    expect(pauseEndsAt(nyWed, 'America/New_York', 7).toUTC().toISO()).toBe('2026-12-02T05:00:00.000Z');
    // Snoozed right after Monday's 09:00 nudge: it ends before the next Monday's nudge.
    const afterNudge = new Date('2026-11-23T09:05:00Z');
    expect(pauseEndsAt(afterNudge, 'Europe/London', 7).toUTC().toISO()).toBe('2026-11-30T00:00:00.000Z');
    // London leaves summer time on 25 Oct 2026: midnight is still local midnight.
    expect(pauseEndsAt(new Date('2026-10-20T12:00:00Z'), 'Europe/London', 7).toUTC().toISO()).toBe('2026-10-27T00:00:00.000Z');
    expect(pauseEndsAt(new Date('2026-10-20T12:00:00Z'), 'Europe/London', 3).toUTC().toISO()).toBe('2026-10-22T23:00:00.000Z');
  });
});

describe('streaks with study days and freezes', () => {
  it('weekdays: Saturday and Sunday neither break nor extend a streak', () => {
    // Mon 16 to Fri 20 Nov, then Monday 23.
    const active = days(...range('2026-11-16', '2026-11-20'), '2026-11-23');
    expect(streakState(active, days(), '2026-11-23', 'weekdays').days).toBe(6);
    expect(streakState(active, days(), '2026-11-23', 'all').days).toBe(1);
    // Studying on Saturday does not extend it.
    expect(streakState(days(...active, '2026-11-21'), days(), '2026-11-23', 'weekdays').days).toBe(6);
    // On a Sunday the streak of the week stands.
    expect(streakState(active, days(), '2026-11-22', 'weekdays').days).toBe(5);
  });

  it('a full week of study days earns a freeze; a missed study day spends it; at most two are banked', () => {
    // 7 days studied (Mon 2 to Sun 8 Nov), Monday 9 missed, then every day to Sunday 15.
    const active = days(...range('2026-11-02', '2026-11-08'), ...range('2026-11-10', '2026-11-15'));
    expect(streakState(active, days(), '2026-11-15', 'all')).toMatchObject({ days: 13, freezes: 0 });
    // Without the full week first, the miss breaks it.
    expect(streakState(days(...range('2026-11-03', '2026-11-08'), ...range('2026-11-10', '2026-11-15')), days(), '2026-11-15', 'all').days).toBe(6);
    // Three full weeks bank two freezes, not three.
    const three = days(...range('2026-10-19', '2026-11-08'));
    expect(streakState(three, days(), '2026-11-08', 'all')).toMatchObject({ days: 21, freezes: MAX_FREEZES });
    expect(MAX_FREEZES).toBe(2);
    // Two missed days use both; a third breaks the streak.
    expect(streakState(days(...three, '2026-11-11'), days(), '2026-11-11', 'all')).toMatchObject({ days: 22, freezes: 0 });
    expect(streakState(days(...three, '2026-11-12'), days(), '2026-11-12', 'all')).toMatchObject({ days: 1, freezes: 0 });
  });

  it('weekdays: five study days in a row are a full week', () => {
    const active = days(...range('2026-11-16', '2026-11-20'), '2026-11-24');
    // Monday 23 missed: the freeze from the week before covers it.
    expect(streakState(active, days(), '2026-11-24', 'weekdays')).toMatchObject({ days: 6, freezes: 0 });
  });

  it('today is not over: not studying yet today breaks nothing', () => {
    expect(streakState(days('2026-11-21', '2026-11-22'), days(), '2026-11-23', 'all').days).toBe(2);
  });

  it('days on which aipath missed its own delivery neither count nor break, and spend no freeze', () => {
    const active = days('2026-11-18', '2026-11-19', '2026-11-21', '2026-11-22');
    expect(streakState(active, days('2026-11-20'), '2026-11-22', 'all')).toMatchObject({ days: 4, freezes: 0 });
  });

  it('replayed from a window, says whether the window saw the whole run', () => {
    const long = days(...range('2026-01-01', '2026-11-23'));
    expect(streakState(long, days(), '2026-11-23', 'all', '2026-09-20').exact).toBe(false);
    expect(streakState(long, days(), '2026-11-23', 'all').days).toBe(327);
    // Three missed study days in a row end any run, whatever was banked before them.
    const gap = days(...range('2026-01-01', '2026-10-01'), ...range('2026-10-05', '2026-11-23'));
    expect(streakState(gap, days(), '2026-11-23', 'all', '2026-09-20')).toMatchObject({ exact: true, days: 50 });
  });
});

describe('practice points per local day', () => {
  it('pays the first 10 right answers of a day and says which was the last', () => {
    expect(DAILY_PRACTICE_SCORED * POINTS.personal_quiz).toBe(50);
    expect(practiceScoring(0)).toEqual({ pays: true, last: false });
    expect(practiceScoring(9)).toEqual({ pays: true, last: true });
    expect(practiceScoring(10)).toEqual({ pays: false, last: false });
  });

  it('says the cap in the help of quiz', () => {
    expect(COMMANDS.find((c) => c.name === 'quiz')!.summary).toMatch(/10 right answers a day/);
  });
});

describe('grammar', () => {
  it('done takes an optional week number', () => {
    expect(parseCommand('done')).toEqual({ ok: true, command: { name: 'done' } });
    expect(parseCommand('done 3')).toEqual({ ok: true, command: { name: 'done', week: 3 } });
    expect(parseCommand('done week 2')).toEqual({ ok: true, command: { name: 'done', week: 2 } });
    for (const bad of ['done 0', 'done x', 'done 2 3', 'done -1']) expect(parseCommand(bad).ok, bad).toBe(false);
    expect(COMMANDS.find((c) => c.name === 'done')!.usage).toBe('done [week]');
  });

  it('settings days all|weekdays', () => {
    expect(parseCommand('settings days weekdays')).toEqual({ ok: true, command: { name: 'settings', setting: 'days', value: 'weekdays' } });
    expect(parseCommand('settings days ALL')).toEqual({ ok: true, command: { name: 'settings', setting: 'days', value: 'all' } });
    expect(parseCommand('settings days sometimes').ok).toBe(false);
    expect(COMMANDS.find((c) => c.name === 'settings')!.usage).toContain('days all|weekdays');
  });
});
