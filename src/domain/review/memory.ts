/**
 * A learner's memory of one question, scheduled with FSRS. This is the only module that imports ts-fsrs:
 * everything else sees plain, serialisable cards and log entries, so a store can keep them as columns and a
 * later change of scheduler (or of ts-fsrs's major version) touches one file.
 */
import { type Card, computeDecayFactor, createEmptyCard, fsrs, type Grade, Rating, type ReviewLog, roundTo, State } from 'ts-fsrs';

export type MemoryState = 'new' | 'learning' | 'review' | 'relearning';
export type ReviewGrade = 'again' | 'hard' | 'good' | 'easy';
/** What a learner may add to a right answer: "I guessed" or "too easy". Ignoring it costs nothing. */
export type AnswerFeel = 'guessed' | 'easy';

export interface MemoryCard {
  due: Date;
  stability: number;
  difficulty: number;
  /** Kept because ts-fsrs v5 still reads it back; ts-fsrs plans to drop it in v6. */
  elapsedDays: number;
  scheduledDays: number;
  /** The (re)learning step the card is on (short-term scheduling: 1 min, 10 min before it graduates). */
  learningSteps: number;
  reps: number;
  lapses: number;
  state: MemoryState;
  lastReview: Date | null;
}

/**
 * One review as FSRS saw it, kept so parameters can be fitted to our learners later. `state`, `stability`,
 * `difficulty` and `scheduledDays` are the card's values before this review; `due` is when it was last
 * reviewed (or its due time when never reviewed); `review` is when this answer was given.
 */
export interface ReviewLogEntry {
  rating: ReviewGrade;
  state: MemoryState;
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  lastElapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  review: Date;
}

export interface Reviewed {
  card: MemoryCard;
  log: ReviewLogEntry;
}

// Default parameters until we have logs to fit ours; no fuzz, so the same answers give the same schedule
// (tests, and two replicas grading the same click); short-term steps so a miss comes back within the session.
const scheduler = fsrs({ enable_fuzz: false, enable_short_term: true });

const STATES: Record<State, MemoryState> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const STATE_OF: Record<MemoryState, State> = { new: State.New, learning: State.Learning, review: State.Review, relearning: State.Relearning };
const RATING_OF: Record<ReviewGrade, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };
const GRADES: Record<Grade, ReviewGrade> = { [Rating.Again]: 'again', [Rating.Hard]: 'hard', [Rating.Good]: 'good', [Rating.Easy]: 'easy' };

function toFsrs(card: MemoryCard): Card {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsedDays,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATE_OF[card.state],
    ...(card.lastReview ? { last_review: new Date(card.lastReview) } : {}),
  };
}

function fromFsrs(card: Card): MemoryCard {
  return {
    due: new Date(card.due),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: STATES[card.state],
    lastReview: card.last_review ? new Date(card.last_review) : null,
  };
}

function logFromFsrs(log: ReviewLog): ReviewLogEntry {
  const rating = GRADES[log.rating as Grade];
  // ts-fsrs types the log's rating as any Rating; a scheduled review is never Manual.
  if (!rating) throw new Error(`unexpected FSRS rating ${log.rating}`);
  return {
    rating,
    state: STATES[log.state],
    due: new Date(log.due),
    stability: log.stability,
    difficulty: log.difficulty,
    elapsedDays: log.elapsed_days,
    lastElapsedDays: log.last_elapsed_days,
    scheduledDays: log.scheduled_days,
    learningSteps: log.learning_steps,
    review: new Date(log.review),
  };
}

/** A card for a question the learner has never answered: due at once. */
export function newCard(now: Date): MemoryCard {
  return fromFsrs(createEmptyCard(now));
}

/**
 * The FSRS grade for an answer. A wrong answer is Again whatever the learner says about it (a confident
 * miss is still a miss); a right one is Good, Hard when they only guessed, Easy when it was too easy.
 */
export function gradeOf(correct: boolean, feel?: AnswerFeel): ReviewGrade {
  if (!correct) return 'again';
  if (feel === 'guessed') return 'hard';
  if (feel === 'easy') return 'easy';
  return 'good';
}

/** Schedules the card after an answer graded `grade` at `now`; the log entry records the card as it was. */
export function review(card: MemoryCard, grade: ReviewGrade, now: Date): Reviewed {
  const next = scheduler.next(toFsrs(card), now, RATING_OF[grade]);
  return { card: fromFsrs(next.card), log: logFromFsrs(next.log) };
}

/**
 * The same review graded differently ("I guessed", "too easy" after a right answer): the card is rolled back
 * to before `log` and reviewed again at the same instant, so the schedule is as if graded so at first.
 */
export function regrade(card: MemoryCard, log: ReviewLogEntry, grade: ReviewGrade): Reviewed {
  const before = scheduler.rollback(toFsrs(card), {
    rating: RATING_OF[log.rating],
    state: STATE_OF[log.state],
    due: log.due,
    stability: log.stability,
    difficulty: log.difficulty,
    elapsed_days: log.elapsedDays,
    last_elapsed_days: log.lastElapsedDays,
    scheduled_days: log.scheduledDays,
    learning_steps: log.learningSteps,
    review: log.review,
  });
  return review(fromFsrs(before), grade, log.review);
}

/**
 * The forgetting curve's constants, from the scheduler's parameters: ts-fsrs's `forgetting_curve` derives them again
 * (an exp, a log and a pow) at every call, and readiness evaluates the curve for every card a learner has.
 */
const CURVE = computeDecayFactor(scheduler.parameters.w);
const DAY_MS = 86_400_000;

/**
 * `+x.toFixed(8)` (the number nearest x rounded half up to 8 decimals, as ts-fsrs rounds stability), without building
 * a string for the usual case: when x·10⁸, as computed, lies clearly away from a half (by more than 10⁻³; below 40,000
 * its rounding error is under 2.5·10⁻⁴), rounding it gives the same integer n as exact decimal rounding, and n / 10⁸ is
 * the same double as the decimal n·10⁻⁸ read back. FSRS stabilities are already rounded to 8 decimals (x·10⁸ is then
 * within rounding error of an integer), so the fallback to toFixed is for odd inputs only.
 */
export function round8(x: number): number {
  if (x > 0 && x < 40_000) {
    const scaled = x * 1e8;
    if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-3) return Math.round(scaled) / 1e8;
  }
  return +x.toFixed(8);
}

/**
 * The probability (0..1) of recalling a card of this stability `elapsedMs` after its last review: FSRS's
 * forgetting curve, evaluated as ts-fsrs's `get_retrievability` evaluates it (whole days elapsed, none before
 * the review; stability rounded to 8 decimals; the same parameters; `forgetting_curve`'s expression with its
 * constants computed once), straight from the two numbers it depends on. Building ts-fsrs's card objects for it
 * cost microseconds a card, and readiness evaluates it for every card a learner has (thousands); the equivalence
 * is tested against ts-fsrs itself (test/domain/review/memory.test.ts).
 */
export function recallAfter(stability: number, elapsedMs: number): number {
  const days = Math.max(Math.floor(elapsedMs / DAY_MS), 0);
  const r = roundTo((1 + (CURVE.factor * days) / round8(stability)) ** CURVE.decay, 8);
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}

/**
 * The probability (0..1) that the learner recalls the answer at `now`, from FSRS's forgetting curve.
 * A new card is 0: there is no memory to decay yet, and FSRS has no stability for it. Callers that need a
 * guess for unseen questions (readiness) use their own prior rather than this number. A card that FSRS says
 * was reviewed but that has no last review (no review ever writes one) is 0 too, where ts-fsrs would throw.
 */
export function recall(card: RecallInputs, now: Date): number {
  if (card.state === 'new' || !card.lastReview) return 0;
  return recallAfter(card.stability, now.getTime() - card.lastReview.getTime());
}

/** What of a card its recall depends on. */
export type RecallInputs = Pick<MemoryCard, 'state' | 'stability' | 'lastReview'>;

/** True when the card should be shown again at `now`. */
export function isDue(card: MemoryCard, now: Date): boolean {
  return card.due.getTime() <= now.getTime();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `in ${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * When a card comes back, as a short phrase ("in 10 minutes", "tomorrow", "in 3 weeks"). It measures a
 * duration, not calendar days (there is no timezone here), and rounds to the nearest unit:
 * - due now or overdue → "now";
 * - under 59.5 minutes → minutes (at least 1);
 * - under 23.5 hours → hours;
 * - then whole days: 1 → "tomorrow", 2–13 → days;
 * - 14–55 days → weeks (days / 7, rounded: 2–8);
 * - 56–364 days → months (days / 30.44, rounded: 2–12);
 * - a year or more → years.
 */
export function comesBackIn(now: Date, due: Date): string {
  const ms = due.getTime() - now.getTime();
  if (ms <= 0) return 'now';
  const minutes = Math.max(1, Math.round(ms / MINUTE));
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(ms / HOUR);
  if (hours < 24) return plural(hours, 'hour');
  const days = Math.round(ms / DAY);
  if (days <= 1) return 'tomorrow';
  if (days < 14) return plural(days, 'day');
  if (days < 56) return plural(Math.round(days / 7), 'week');
  if (days < 365) return plural(Math.round(days / 30.44), 'month');
  return plural(Math.max(1, Math.round(days / 365.25)), 'year');
}
