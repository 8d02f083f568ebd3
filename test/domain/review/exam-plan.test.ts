import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/calendar.js';
import { dailyNewQuota, daysUntil, localToday, newQuestionsPerDay, pace, parseExamDate, planWeeks, weeksUntil } from '../../../src/domain/review/exam-plan.js';

const today = '2026-12-01';
const inDays = (n: number) => addDays(today, n);

describe('countdown', () => {
  it('counts calendar days, 0 on the day, negative after', () => {
    expect(daysUntil('2026-12-25', today)).toBe(24);
    expect(daysUntil(today, today)).toBe(0);
    expect(daysUntil('2026-11-30', today)).toBe(-1);
    expect(daysUntil('2027-03-31', '2027-03-27')).toBe(4); // across Europe's DST change: dates, not hours
  });

  it('counts whole weeks, the odd days joining the current week', () => {
    expect(weeksUntil(inDays(6), today)).toBe(0);
    expect(weeksUntil(inDays(7), today)).toBe(1);
    expect(weeksUntil(inDays(13), today)).toBe(1);
    expect(weeksUntil(inDays(17), today)).toBe(2);
    expect(weeksUntil(inDays(-3), today)).toBe(0);
  });

  it("takes today from the learner's timezone", () => {
    const now = new Date('2026-12-01T23:30:00Z');
    expect(localToday(now, 'Europe/London')).toBe('2026-12-01');
    expect(localToday(now, 'Australia/Sydney')).toBe('2026-12-02');
    expect(localToday(now, 'America/Los_Angeles')).toBe('2026-12-01');
    expect(() => localToday(now, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('the weeks before the exam', () => {
  it('count back from the exam, keeping the last full week for reviews', () => {
    const plan = planWeeks([6, 7, 8], today, inDays(17));
    expect(plan).toEqual([
      { index: 1, from: today, to: inDays(9), milestones: [6, 7, 8], review: false },
      { index: 2, from: inDays(10), to: inDays(16), milestones: [], review: true },
    ]);
  });

  it('map more milestones than weeks onto the weeks left, earlier weeks taking the extra ones', () => {
    const plan = planWeeks([4, 5, 6, 7, 8], today, inDays(28));
    expect(plan.map((w) => [w.milestones, w.review])).toEqual([
      [[4, 5], false],
      [[6, 7], false],
      [[8], false],
      [[], true],
    ]);
    // every remaining milestone lands exactly once, in order
    expect(plan.flatMap((w) => w.milestones)).toEqual([4, 5, 6, 7, 8]);
  });

  it('leave spare weeks empty when there is time to spare', () => {
    const plan = planWeeks([7, 8], today, inDays(35));
    expect(plan.map((w) => w.milestones)).toEqual([[7], [8], [], [], []]);
    expect(plan.at(-1)!.review).toBe(true);
  });

  it('keep no review week with a single week left, and put everything in it', () => {
    expect(planWeeks([7, 8], today, inDays(10))).toEqual([{ index: 1, from: today, to: inDays(9), milestones: [7, 8], review: false }]);
    expect(planWeeks([8], today, inDays(3))).toEqual([{ index: 1, from: today, to: inDays(2), milestones: [8], review: false }]);
  });

  it('are none once the exam day has come', () => {
    expect(planWeeks([8], today, today)).toEqual([]);
  });
});

describe('pace', () => {
  it('is on track when the remaining milestones fit before the review week', () => {
    const p = pace({ milestones: 8, currentWeek: 3, done: [1, 2], today, examDate: inDays(70) });
    expect(p).toMatchObject({ kind: 'on-track', spareWeeks: 3, remaining: [3, 4, 5, 6, 7, 8], backlog: [] });
  });

  it('is on track with no week to spare', () => {
    expect(pace({ milestones: 8, currentWeek: 6, done: [1, 2, 3, 4, 5], today, examDate: inDays(28) })).toMatchObject({ kind: 'on-track', spareWeeks: 0 });
  });

  it('is behind by the weeks that do not fit, and says which weeks to combine', () => {
    const p = pace({ milestones: 8, currentWeek: 5, done: [1, 2, 3, 4], today, examDate: inDays(21) });
    expect(p).toMatchObject({
      kind: 'behind',
      weeksBehind: 2,
      combine: [
        [5, 6],
        [7, 8],
      ],
    });
    const one = pace({ milestones: 8, currentWeek: 6, done: [1, 2, 3, 4, 5], today, examDate: inDays(21) });
    expect(one).toMatchObject({ kind: 'behind', weeksBehind: 1, combine: [[6, 7]] });
  });

  it('counts past weeks not marked done as a backlog to catch up, first', () => {
    const p = pace({ milestones: 8, currentWeek: 6, done: [1, 2, 4, 5], today, examDate: inDays(28) });
    expect(p).toMatchObject({ kind: 'behind', weeksBehind: 1, backlog: [3], remaining: [3, 6, 7, 8], combine: [[3, 6]] });
  });

  it('is on track when everything is done', () => {
    expect(pace({ milestones: 4, currentWeek: 4, done: [4, 3, 2, 1], today, examDate: inDays(14) })).toMatchObject({
      kind: 'on-track',
      spareWeeks: 1,
      remaining: [],
    });
  });

  it('stops planning once the exam day has come', () => {
    expect(pace({ milestones: 8, currentWeek: 8, done: [], today, examDate: today })).toMatchObject({ kind: 'exam-reached', plan: [] });
  });
});

describe('new questions a day', () => {
  it('sees the whole bank a week before the exam', () => {
    // 37 days to the exam: 30 days of new questions, then the review week
    expect(newQuestionsPerDay(100, today, inDays(37))).toEqual({ perDay: 4, by: inDays(30), late: false });
    expect(newQuestionsPerDay(90, today, inDays(37))).toEqual({ perDay: 3, by: inDays(30), late: false });
  });

  it('is at least 1 while anything is unseen, and 0 when nothing is', () => {
    expect(newQuestionsPerDay(1, today, inDays(300)).perDay).toBe(1);
    expect(newQuestionsPerDay(0, today, inDays(30)).perDay).toBe(0);
  });

  it('spreads what is left over the days before the exam once the review week has begun', () => {
    expect(newQuestionsPerDay(100, today, inDays(8))).toEqual({ perDay: 100, by: inDays(1), late: false });
    expect(newQuestionsPerDay(100, today, inDays(7))).toEqual({ perDay: 15, by: inDays(7), late: true });
    expect(newQuestionsPerDay(100, today, inDays(5))).toEqual({ perDay: 20, by: inDays(5), late: true });
    expect(newQuestionsPerDay(100, today, today)).toEqual({ perDay: 100, by: inDays(1), late: true });
  });
});

describe("today's new-question quota", () => {
  it("is the plan's pace for what was unseen when the day began, so it holds still as the day goes on", () => {
    // 100 unseen at the start of the day, 30 study days: 4 a day, whether 0 or 4 were met in reviews since.
    expect(dailyNewQuota(100, 0, today, inDays(37))).toEqual({ cap: 4, today: 0, by: inDays(30) });
    expect(dailyNewQuota(98, 2, today, inDays(37))).toEqual({ cap: 4, today: 2, by: inDays(30) });
    expect(dailyNewQuota(96, 4, today, inDays(37))).toEqual({ cap: 4, today: 4, by: inDays(30) });
    // Past the cap (the learner asked for more), the pace from what is unseen now alone would have dropped to 3
    // (90 over 30 days) and read "10 of 3".
    expect(newQuestionsPerDay(90, today, inDays(37)).perDay).toBe(3);
    expect(dailyNewQuota(90, 10, today, inDays(37))).toMatchObject({ cap: 4, today: 10 });
  });

  it('is 0 once every question is seen, and everything left in the last week', () => {
    expect(dailyNewQuota(0, 0, today, inDays(37))).toMatchObject({ cap: 0 });
    expect(dailyNewQuota(10, 2, today, inDays(3))).toMatchObject({ cap: 4, today: 2 });
  });
});

describe('exam date validation', () => {
  it('accepts a real date from today to two years ahead', () => {
    expect(parseExamDate('2027-01-26', today)).toEqual({ ok: true, date: '2027-01-26' });
    expect(parseExamDate(' 2027-01-26 ', today)).toEqual({ ok: true, date: '2027-01-26' });
    expect(parseExamDate(today, today)).toEqual({ ok: true, date: today });
    expect(parseExamDate('2028-12-01', today)).toEqual({ ok: true, date: '2028-12-01' });
    expect(parseExamDate('2028-02-29', today)).toEqual({ ok: true, date: '2028-02-29' });
  });

  it.each(['2027-1-26', '26/01/2027', '2027-01-26T09:00', '20270126', '2027-02-29', '2027-13-01', '2027-04-31', 'next friday', ''])(
    'refuses "%s" as malformed, with an example',
    (text) => {
      expect(parseExamDate(text, today)).toEqual({ ok: false, error: { kind: 'malformed', example: '2027-01-26' } });
    },
  );

  it('refuses a date in the past', () => {
    expect(parseExamDate('2026-11-30', today)).toEqual({ ok: false, error: { kind: 'past', today } });
  });

  it('refuses a date more than two years ahead, naming the latest', () => {
    expect(parseExamDate('2028-12-02', today)).toEqual({ ok: false, error: { kind: 'too-far', latest: '2028-12-01' } });
    expect(parseExamDate('2030-03-01', '2028-02-29')).toEqual({ ok: false, error: { kind: 'too-far', latest: '2030-02-28' } });
  });
});
