/**
 * Planning back from an exam date. Dates are the learner's local calendar dates as 'YYYY-MM-DD' strings
 * (`localToday` turns an instant and a timezone into one), so the maths never meets a DST change or a clock.
 *
 * Weeks here are 7-day blocks counted back from the exam: the last week is the 7 days before the exam day,
 * the one before it the 7 days before that, and so on; the days that do not fill a block join the current
 * week. So "weeks remaining" is whole weeks (17 days → 2 weeks, the current one 10 days long), and the week
 * kept for reviews is always a full one.
 */
import { DateTime } from 'luxon';
import { addDays, daysBetween } from '../calendar.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const iso = (d: DateTime): string => d.toISODate()!;

/** The learner's calendar date at `now`. */
export function localToday(now: Date, timeZone: string): string {
  const d = DateTime.fromJSDate(now, { zone: timeZone });
  if (!d.isValid) throw new RangeError(`unknown timezone: ${timeZone}`);
  return iso(d);
}

/** Days from today to the exam day: 0 on the day, negative after it. */
export function daysUntil(examDate: string, today: string): number {
  return daysBetween(today, examDate);
}

/** Whole weeks before the exam (see the module comment); 0 in the last six days and after the exam. */
export function weeksUntil(examDate: string, today: string): number {
  return Math.max(0, Math.floor(daysUntil(examDate, today) / 7));
}

export interface ExamWeek {
  /** 1 is the current week. */
  index: number;
  /** First and last calendar day of the week (the current week may be longer than 7 days). */
  from: string;
  to: string;
  /** Track milestone weeks to cover in this week; several when the plan is compressed. */
  milestones: number[];
  /** The week kept for reviews and a practice exam: no new milestones. */
  review: boolean;
}

/**
 * The weeks left before the exam, with the remaining milestones laid onto them in order. The last week is
 * kept for reviews and a practice exam when at least two weeks remain. When there are more milestones than
 * study weeks, the earlier weeks take the extra ones: catching up now leaves later weeks at a normal pace,
 * and a further slip has less left to squeeze. When there are fewer, the spare weeks come last, with none.
 * With under a week to go, everything left goes into that one stretch (with no review week).
 */
export function planWeeks(remainingMilestones: readonly number[], today: string, examDate: string): ExamWeek[] {
  const days = daysUntil(examDate, today);
  if (days <= 0) return [];
  const weeks = Math.max(1, Math.floor(days / 7));
  const studyWeeks = weeks >= 2 ? weeks - 1 : weeks;
  const loads = spread(remainingMilestones.length, studyWeeks);
  const milestones = [...remainingMilestones];
  return Array.from({ length: weeks }, (_, i) => {
    const index = i + 1;
    // Counted back from the exam: week `weeks` ends the day before the exam; week 1 starts today.
    const from = i === 0 ? today : addDays(examDate, -7 * (weeks - i));
    const to = addDays(examDate, -7 * (weeks - index) - 1);
    const review = weeks >= 2 && index === weeks;
    return { index, from, to, milestones: review ? [] : milestones.splice(0, loads[i] ?? 0), review };
  });
}

/** n items over k slots as evenly as possible, heavier slots first: 5 over 3 → [2, 2, 1]; 2 over 3 → [1, 1, 0]. */
function spread(n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: k }, (_, i) => (i < n ? 1 : 0));
  const base = Math.floor(n / k);
  return Array.from({ length: k }, (_, i) => base + (i < n % k ? 1 : 0));
}

export interface PaceInput {
  /** Milestone weeks in the track (they are numbered 1..milestones). */
  milestones: number;
  /** The learner's current plan week (1-based); weeks before it that are not done are a backlog. */
  currentWeek: number;
  /** Milestone weeks marked done, in any order. */
  done: readonly number[];
  today: string;
  examDate: string;
}

interface PaceCommon {
  /** Milestones not done, in order (backlog first, as the plan has them). */
  remaining: number[];
  /** Past weeks not marked done: the nudge can offer to catch up on them. */
  backlog: number[];
  plan: ExamWeek[];
}

export type Pace =
  | (PaceCommon & { kind: 'on-track'; spareWeeks: number })
  /** `combine`: groups of milestone weeks to study together ("combine weeks 6 and 7"), soonest first. */
  | (PaceCommon & { kind: 'behind'; weeksBehind: number; combine: number[][] })
  /** The exam day has come (or gone): nothing left to plan. */
  | { kind: 'exam-reached'; remaining: number[]; backlog: number[]; plan: [] };

/**
 * Whether the remaining milestones fit the study weeks before the exam (the review week excluded).
 * Behind by N means N more weeks of milestones than study weeks; the suggestion is the compressed plan's
 * weeks that hold more than one milestone.
 */
export function pace(input: PaceInput): Pace {
  const done = new Set(input.done);
  const remaining: number[] = [];
  for (let w = 1; w <= input.milestones; w++) if (!done.has(w)) remaining.push(w);
  const backlog = remaining.filter((w) => w < input.currentWeek);
  const plan = planWeeks(remaining, input.today, input.examDate);
  if (plan.length === 0) return { kind: 'exam-reached', remaining, backlog, plan: [] };
  const studyWeeks = plan.filter((w) => !w.review).length;
  const weeksBehind = remaining.length - studyWeeks;
  if (weeksBehind <= 0) return { kind: 'on-track', spareWeeks: studyWeeks - remaining.length, remaining, backlog, plan };
  const combine = plan.filter((w) => w.milestones.length > 1).map((w) => w.milestones);
  return { kind: 'behind', weeksBehind, combine, remaining, backlog, plan };
}

export interface NewQuestionPace {
  /** New questions to see each day; at least 1 while any are unseen, 0 when none are. */
  perDay: number;
  /** The day by which all are seen at this pace: the start of the review week, or the exam day when `late`. */
  by: string;
  /** True when the last week before the exam has begun, so new questions now eat into review time. */
  late: boolean;
}

/**
 * How many new questions a day to see the whole bank a week before the exam, keeping the last week for
 * reviews and a practice exam. Inside that last week the target has passed: the unseen questions are spread
 * over the days left before the exam instead (`late`), and on or after the exam day over today alone.
 */
export function newQuestionsPerDay(unseen: number, today: string, examDate: string): NewQuestionPace {
  const days = daysUntil(examDate, today);
  const late = days - 7 < 1;
  const studyDays = late ? Math.max(1, days) : days - 7;
  const by = addDays(today, studyDays);
  return { perDay: unseen <= 0 ? 0 : Math.max(1, Math.ceil(unseen / studyDays)), by, late };
}

export interface NewQuota {
  /** New questions to introduce today: the plan's new questions a day. */
  cap: number;
  /** New questions already introduced through review sessions today. */
  today: number;
  /** The day by which the plan sees every question (see NewQuestionPace). */
  by: string;
}

/**
 * Today's cap on new questions in review sessions: the plan's new questions a day, worked out from the questions that
 * were unseen when the learner's day began (those unseen now and those first met in a review today), so the cap holds
 * still through the day instead of shrinking with each new question seen.
 */
export function dailyNewQuota(unseenNow: number, introducedToday: number, today: string, examDate: string): NewQuota {
  const pace = newQuestionsPerDay(unseenNow + introducedToday, today, examDate);
  return { cap: pace.perDay, today: introducedToday, by: pace.by };
}

export type ExamDateError = { kind: 'malformed'; example: string } | { kind: 'past'; today: string } | { kind: 'too-far'; latest: string };

export type ExamDateResult = { ok: true; date: string } | { ok: false; error: ExamDateError };

/** How far ahead an exam date may be: further out, a plan counted in weeks means little. */
export const MAX_YEARS_AHEAD = 2;

/**
 * Reads the date of `/aipath exam <exam> <YYYY-MM-DD>` strictly: exactly that shape and a real calendar day
 * (2027-02-30 is malformed), from today (an exam today is allowed) to two years ahead. The example offered
 * for a malformed date is eight weeks from today, a plausible date the learner can edit.
 */
export function parseExamDate(text: string, today: string): ExamDateResult {
  const trimmed = text.trim();
  const parsed = DateTime.fromISO(trimmed, { zone: 'UTC' });
  if (!ISO_DATE.test(trimmed) || !parsed.isValid || iso(parsed) !== trimmed) {
    return { ok: false, error: { kind: 'malformed', example: addDays(today, 56) } };
  }
  if (trimmed < today) return { ok: false, error: { kind: 'past', today } };
  const latest = iso(DateTime.fromISO(today, { zone: 'UTC' }).plus({ years: MAX_YEARS_AHEAD }));
  if (trimmed > latest) return { ok: false, error: { kind: 'too-far', latest } };
  return { ok: true, date: trimmed };
}
