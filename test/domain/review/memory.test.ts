import { describe, expect, it } from 'vitest';
import { forgetting_curve, fsrs } from 'ts-fsrs';
import {
  comesBackIn,
  gradeOf,
  isDue,
  type MemoryCard,
  newCard,
  type ReviewGrade,
  recall,
  recallAfter,
  review,
  round8,
} from '../../../src/domain/review/memory.js';
import { fsrsRecall } from '../../support/readiness-reference.js';
import { seededRandom } from '../../support/seeded-random.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const t0 = new Date('2026-12-01T09:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

/** A card answered right twice (first sight, then the 10-minute step), now in review on its due date. */
function graduated(): { card: MemoryCard; now: Date } {
  const first = review(newCard(t0), 'good', t0).card;
  const second = review(first, 'good', first.due).card;
  expect(second.state).toBe('review');
  return { card: second, now: second.due };
}

const intervalAfter = (card: MemoryCard, grade: ReviewGrade, now: Date) => review(card, grade, now).card.due.getTime() - now.getTime();

describe('grading an answer', () => {
  it('makes a wrong answer Again whatever the learner felt', () => {
    expect(gradeOf(false)).toBe('again');
    expect(gradeOf(false, 'easy')).toBe('again');
    expect(gradeOf(false, 'guessed')).toBe('again');
  });

  it('makes a right answer Good, Hard when guessed, Easy when too easy', () => {
    expect(gradeOf(true)).toBe('good');
    expect(gradeOf(true, 'guessed')).toBe('hard');
    expect(gradeOf(true, 'easy')).toBe('easy');
  });
});

describe('FSRS scheduling', () => {
  it('starts a new card due at once, with nothing to recall', () => {
    const card = newCard(t0);
    expect(card).toMatchObject({ state: 'new', reps: 0, lapses: 0, lastReview: null });
    expect(card.due).toEqual(t0);
    expect(isDue(card, t0)).toBe(true);
    expect(recall(card, t0)).toBe(0);
  });

  it('brings a wrong answer back within the hour, a right one later', () => {
    const wrong = review(newCard(t0), 'again', t0).card;
    expect(wrong.due.getTime() - t0.getTime()).toBeLessThanOrEqual(HOUR);
    const right = review(newCard(t0), 'good', t0).card;
    expect(right.due.getTime()).toBeGreaterThan(wrong.due.getTime());
  });

  it('brings a forgotten review card back within the day, and counts the lapse', () => {
    const { card, now } = graduated();
    const lapsed = review(card, 'again', now).card;
    expect(lapsed.state).toBe('relearning');
    expect(lapsed.lapses).toBe(1);
    expect(lapsed.due.getTime() - now.getTime()).toBeLessThan(DAY);
  });

  it('schedules a remembered review card days later, Hard < Good < Easy', () => {
    const { card, now } = graduated();
    const [hard, good, easy] = (['hard', 'good', 'easy'] as const).map((g) => intervalAfter(card, g, now));
    expect(good).toBeGreaterThanOrEqual(2 * DAY);
    expect(hard).toBeLessThan(good!);
    expect(good).toBeLessThan(easy!);
  });

  it('orders first-sight intervals the same way', () => {
    const card = newCard(t0);
    const intervals = (['again', 'hard', 'good', 'easy'] as const).map((g) => intervalAfter(card, g, t0));
    expect([...intervals].sort((a, b) => a - b)).toEqual(intervals);
    expect(new Set(intervals).size).toBe(4);
  });

  it('logs the card as it was before the review', () => {
    const { card, log } = review(newCard(t0), 'good', t0);
    expect(log).toMatchObject({ rating: 'good', state: 'new', stability: 0, review: t0 });
    expect(card.state).toBe('learning');
    expect(card.lastReview).toEqual(t0);

    const later = at(20 * MINUTE);
    const second = review(card, 'again', later);
    expect(second.log).toMatchObject({ rating: 'again', state: 'learning', stability: card.stability, review: later });
  });

  it('is deterministic and leaves its input alone', () => {
    const { card, now } = graduated();
    const before = structuredClone(card);
    expect(review(card, 'good', now)).toEqual(review(structuredClone(card), 'good', now));
    expect(card).toEqual(before);
  });

  it('takes a card back from plain stored fields', () => {
    const { card, now } = graduated();
    // What a store row gives back: numbers and ISO strings turned into Dates again.
    const row = JSON.parse(JSON.stringify(card)) as Record<string, unknown>;
    const restored = { ...row, due: new Date(row.due as string), lastReview: new Date(row.lastReview as string) } as MemoryCard;
    expect(review(restored, 'good', now)).toEqual(review(card, 'good', now));
  });
});

describe('recall', () => {
  it('is near 1 just after a review and falls with time', () => {
    const { card, now } = graduated();
    const reviewed = review(card, 'good', now).card;
    const fresh = recall(reviewed, now);
    const soon = recall(reviewed, at(now.getTime() - t0.getTime() + 3 * DAY));
    const late = recall(reviewed, at(now.getTime() - t0.getTime() + 90 * DAY));
    expect(fresh).toBeGreaterThan(0.99);
    expect(soon).toBeLessThan(fresh);
    expect(late).toBeLessThan(soon);
    expect(late).toBeGreaterThan(0);
  });
});

describe('recall without building FSRS cards', () => {
  const GRADES: ReviewGrade[] = ['again', 'hard', 'good', 'easy'];

  it("is ts-fsrs's own retrievability, to the last bit, for real histories at any moment (new, learning, review and lapsed cards)", () => {
    const random = seededRandom(12);
    const states = new Set<string>();
    let compared = 0;
    for (let h = 0; h < 400; h++) {
      let now = new Date(t0.getTime() + Math.floor(random() * 30 * DAY));
      let card = newCard(now);
      const reviews = Math.floor(random() * 8);
      for (let r = 0; r <= reviews; r++) {
        states.add(card.state);
        const lastMs = card.lastReview?.getTime() ?? now.getTime();
        // Moments around the card's last review: before it (a clock behind), on whole-day boundaries and a
        // millisecond either side of them, and anywhere up to a year on.
        const whole = Math.floor(random() * 400) * DAY;
        for (const offset of [-DAY, -1, 0, 1, whole - 1, whole, whole + 1, Math.floor(random() * 365 * DAY)]) {
          const at = new Date(lastMs + offset);
          expect(recall(card, at)).toBe(fsrsRecall(card, at));
          compared++;
        }
        now = new Date(Math.max(now.getTime(), card.due.getTime()) + Math.floor(random() * 20 * DAY * random()));
        card = review(card, GRADES[Math.floor(random() * 4)]!, now).card;
      }
    }
    expect([...states].sort()).toEqual(['learning', 'new', 'relearning', 'review']);
    expect(compared).toBeGreaterThan(10_000);
  });

  it('rounds stability to 8 decimals exactly as toFixed does, halves and odd inputs included', () => {
    const random = seededRandom(41);
    const values = [0, -0, 1e-9, 5e-9, 0.5e-8, 1.5e-8, 2.5e-8, 0.123456785, 1.000000005, 36_500, 39_999.999999995, 40_000, 1e7, -1.5, Number.NaN, Infinity];
    for (let i = 0; i < 50_000; i++) {
      values.push(
        random() * 40_000,
        +(random() * 400).toFixed(8),
        (Math.floor(random() * 4e12) + 0.5) / 1e8,
        (Math.floor(random() * 1e9) + 0.5) / 1e8,
        random() * 1e-6,
      );
    }
    expect(values.filter((x) => !Object.is(round8(x), +x.toFixed(8)))).toEqual([]);
  });

  it("evaluates ts-fsrs's forgetting curve to the last bit, its constants computed once", () => {
    const w = fsrs({ enable_fuzz: false, enable_short_term: true }).parameters.w;
    const random = seededRandom(43);
    const differing: [number, number][] = [];
    for (let i = 0; i < 20_000; i++) {
      const stability = i % 2 ? +(random() * 1_000).toFixed(8) : random() * 36_500;
      const elapsed = Math.floor(random() * 800 * DAY);
      const expected = Math.min(1, Math.max(0, forgetting_curve(w, Math.floor(elapsed / DAY), +stability.toFixed(8))));
      if (!Object.is(recallAfter(stability, elapsed), expected)) differing.push([stability, elapsed]);
    }
    expect(differing).toEqual([]);
  });

  it('reads the curve from stability and elapsed time alone, and treats odd inputs as no memory', () => {
    const { card, now } = graduated();
    expect(recallAfter(card.stability, now.getTime() - card.lastReview!.getTime())).toBe(recall(card, now));
    expect(recallAfter(card.stability, -5 * DAY)).toBe(recallAfter(card.stability, 0));
    expect(recallAfter(card.stability, 0)).toBe(1);
    expect(recallAfter(0, 3 * DAY)).toBe(0);
    expect(recallAfter(Number.NaN, DAY)).toBe(0);
    // FSRS never writes a reviewed card without a last review; if one were stored, it has nothing to recall
    // (ts-fsrs would throw on it).
    expect(recall({ ...card, lastReview: null }, now)).toBe(0);
  });
});

describe('comesBackIn', () => {
  it.each([
    [-5 * MINUTE, 'now'],
    [0, 'now'],
    [20_000, 'in 1 minute'],
    [MINUTE, 'in 1 minute'],
    [10 * MINUTE, 'in 10 minutes'],
    [59 * MINUTE, 'in 59 minutes'],
    [59.5 * MINUTE, 'in 1 hour'],
    [HOUR, 'in 1 hour'],
    [5.4 * HOUR, 'in 5 hours'],
    [23 * HOUR, 'in 23 hours'],
    [23.5 * HOUR, 'tomorrow'],
    [DAY, 'tomorrow'],
    [35 * HOUR, 'tomorrow'],
    [36 * HOUR, 'in 2 days'],
    [4 * DAY, 'in 4 days'],
    [13 * DAY, 'in 13 days'],
    [14 * DAY, 'in 2 weeks'],
    [21 * DAY, 'in 3 weeks'],
    [55 * DAY, 'in 8 weeks'],
    [56 * DAY, 'in 2 months'],
    [61 * DAY, 'in 2 months'],
    [364 * DAY, 'in 12 months'],
    [365 * DAY, 'in 1 year'],
    [800 * DAY, 'in 2 years'],
  ])('%d ms ahead reads "%s"', (ms, phrase) => {
    expect(comesBackIn(t0, at(ms))).toBe(phrase);
  });

  it('reads a fresh miss and a fresh success the way the review reply shows them', () => {
    const missed = review(newCard(t0), 'again', t0).card;
    expect(comesBackIn(t0, missed.due)).toBe('in 1 minute');
    const { card, now } = graduated();
    expect(comesBackIn(now, review(card, 'again', now).card.due)).toBe('in 10 minutes');
    expect(comesBackIn(now, review(card, 'good', now).card.due)).toMatch(/^in \d+ (days|weeks)$/);
  });
});

describe('regrade', () => {
  it('schedules as if the answer had been graded so at first', async () => {
    const { newCard, review, regrade } = await import('../../../src/domain/review/memory.js');
    const t0 = new Date('2026-11-01T09:00:00Z');
    const t1 = new Date('2026-11-03T09:00:00Z');
    const learned = review(review(newCard(t0), 'good', t0).card, 'good', new Date('2026-11-01T09:10:00Z')).card;
    const good = review(learned, 'good', t1);
    const asHard = regrade(good.card, good.log, 'hard');
    expect(asHard).toEqual(review(learned, 'hard', t1));
    expect(asHard.card.due.getTime()).toBeLessThan(good.card.due.getTime());
    expect(regrade(good.card, good.log, 'easy').card.due.getTime()).toBeGreaterThan(good.card.due.getTime());
  });
});
