/**
 * How ready a learner is for an exam, domain by domain: an estimate of the share of each domain's questions
 * they would answer right today. It is not a pass probability (the bank is not the exam, and AWS scales scores).
 */
import { type MemoryCard, recall, recallAfter } from './memory.js';

/** A domain as the exam guide lists it (structurally the content schema's certification domain). */
export interface ExamDomain {
  number: number;
  name: string;
  /** Share of scored content, in any unit (the guides use percent). */
  weight: number;
}

/** One question of the exam's bank and what the learner has done with it. */
export interface QuestionMemory {
  /** The exam-guide domain; questions without one count in no domain. */
  domain: number | undefined;
  /** Absent (or null) while the learner has never answered the question. */
  card?: MemoryCard | null;
  /** Answers the learner has given to this question, and how many were right. */
  answered?: number;
  right?: number;
}

export interface DomainReadiness {
  domain: number;
  name: string;
  weight: number;
  /** Questions of this domain in the bank, and how many the learner has answered at least once. */
  total: number;
  seen: number;
  answered: number;
  right: number;
  /** Right answers / answers; null before the first answer. */
  accuracy: number | null;
  /** Mean FSRS recall of the seen questions at `now`; null while none is seen. */
  meanRecall: number | null;
  /** The estimated share of this domain's questions answered right today, 0..1. */
  readiness: number;
}

/**
 * The chance of a right answer with no knowledge at all: one option in four. Multiple-response and ordering
 * questions are harder to guess, so this is generous for them; it only matters until the learner answers.
 */
export const GUESS_RATE = 0.25;
/**
 * How many answers the prior for unseen questions needs before it trusts the learner's accuracy more than
 * the guessing floor. Accuracy on questions one has already met flatters what one knows about unmet ones,
 * so the prior starts at guessing and moves toward accuracy only as answers accumulate.
 */
export const PRIOR_ANSWERS = 10;

/** The cautious guess for a question not yet seen: accuracy shrunk toward the guessing floor. */
export function unseenPrior(answered: number, right: number): number {
  return (right + PRIOR_ANSWERS * GUESS_RATE) / (answered + PRIOR_ANSWERS);
}

/**
 * Readiness per domain of the exam, in the guide's order.
 *
 * readiness = (Σ recall of seen questions + unseen × prior) / total questions in the domain.
 *
 * Why this and not, say, coverage × mean recall: it is what the number claims to be, the expected share of
 * the domain answered right today. Seen questions count with what FSRS says the learner still remembers
 * (so readiness rises with right answers and falls as time passes); unseen ones count with a cautious prior
 * (see `unseenPrior`), so seeing a quarter of a domain at 100% does not read as 25%, nor as 100%. Coverage
 * stays visible on its own (`seen`/`total`) because the estimate for unseen questions is weak.
 * A domain with no questions in the bank gets the prior alone.
 */
export function domainReadiness(questions: readonly QuestionMemory[], domains: readonly ExamDomain[], now: Date): DomainReadiness[] {
  const tallies = emptyTallies(domains);
  for (const q of questions) {
    const t = q.domain === undefined ? undefined : tallies.get(q.domain);
    if (!t) continue;
    t.total++;
    t.answered += q.answered ?? 0;
    t.right += q.right ?? 0;
    if (q.card && q.card.state !== 'new') {
      t.seen++;
      t.recallSum += recall(q.card, now);
    }
  }
  return finish(tallies, domains);
}

/**
 * What readiness needs of one question the learner has answered, and nothing more: the store reads it for every
 * card and every question answered before cards existed (ReviewsRepository.answerTallies), so it stays lean.
 */
export interface AnswerTally {
  questionId: string;
  /**
   * The stability of the learner's card while it holds a memory (the question is seen); null when the question
   * has no card (answered before cards existed) or a card still new.
   */
  stability: number | null;
  /** When that card was last reviewed, in milliseconds since the epoch; null with `stability`. */
  lastReviewMs: number | null;
  /** Answers the learner gave to the question, and right ones: the card's counts, else the quiz answers recorded. */
  answered: number;
  right: number;
}

/**
 * `domainReadiness` from the store's lean tallies: the same estimate, term for term and in the same order (the
 * bank's), so the figures are identical to the last bit; recall comes straight from stability and elapsed time.
 * `bank` is the exam's questions with their domains.
 */
export function readinessFromTallies(
  bank: readonly { id: string; domain?: number | undefined }[],
  answered: readonly AnswerTally[],
  domains: readonly ExamDomain[],
  now: Date,
): DomainReadiness[] {
  const byQuestion = new Map<string, AnswerTally>();
  for (const a of answered) byQuestion.set(a.questionId, a);
  const nowMs = now.getTime();
  const tallies = emptyTallies(domains);
  for (const q of bank) {
    const t = q.domain === undefined ? undefined : tallies.get(q.domain);
    if (!t) continue;
    t.total++;
    const a = byQuestion.get(q.id);
    if (!a) continue;
    t.answered += a.answered;
    t.right += a.right;
    if (a.stability !== null) {
      t.seen++;
      t.recallSum += a.lastReviewMs === null ? 0 : recallAfter(a.stability, nowMs - a.lastReviewMs);
    }
  }
  return finish(tallies, domains);
}

interface Tally {
  total: number;
  seen: number;
  answered: number;
  right: number;
  recallSum: number;
}

const emptyTallies = (domains: readonly ExamDomain[]) =>
  new Map<number, Tally>(domains.map((d) => [d.number, { total: 0, seen: 0, answered: 0, right: 0, recallSum: 0 }]));

function finish(tallies: ReadonlyMap<number, Tally>, domains: readonly ExamDomain[]): DomainReadiness[] {
  return domains.map((d) => {
    const t = tallies.get(d.number)!;
    const prior = unseenPrior(t.answered, t.right);
    const readiness = t.total === 0 ? prior : (t.recallSum + (t.total - t.seen) * prior) / t.total;
    return {
      domain: d.number,
      name: d.name,
      weight: d.weight,
      total: t.total,
      seen: t.seen,
      answered: t.answered,
      right: t.right,
      accuracy: t.answered === 0 ? null : t.right / t.answered,
      meanRecall: t.seen === 0 ? null : t.recallSum / t.seen,
      readiness: clamp01(readiness),
    };
  });
}

export interface OverallReadiness {
  /** Readiness weighted by the exam guide's domain weights, 0..1. */
  readiness: number;
  /** What it is based on: "from 46 answers, 31% of the bank". */
  answered: number;
  seen: number;
  total: number;
}

export function overallReadiness(perDomain: readonly DomainReadiness[]): OverallReadiness {
  let weighted = 0;
  let weights = 0;
  let answered = 0;
  let seen = 0;
  let total = 0;
  for (const d of perDomain) {
    weighted += d.weight * d.readiness;
    weights += d.weight;
    answered += d.answered;
    seen += d.seen;
    total += d.total;
  }
  return { readiness: weights > 0 ? clamp01(weighted / weights) : 0, answered, seen, total };
}

/**
 * Where study gains the most exam score: the domain with the largest weight × (1 − readiness), ties going to
 * the lower domain number. A domain with no readiness figure counts as 0 ready. Undefined when the exam
 * lists no domains.
 */
export function nextDomainToStudy(
  readiness: readonly Pick<DomainReadiness, 'domain' | 'readiness'>[],
  weights: readonly Pick<ExamDomain, 'number' | 'weight'>[],
): number | undefined {
  const ready = new Map(readiness.map((r) => [r.domain, r.readiness]));
  let best: { domain: number; gain: number } | undefined;
  for (const w of weights) {
    const gain = w.weight * (1 - (ready.get(w.number) ?? 0));
    // A tolerance, so weights given as fractions (0.28) and percents (28) rank ties alike despite rounding.
    const better = !best || gain > best.gain + 1e-9 || (Math.abs(gain - best.gain) <= 1e-9 && w.number < best.domain);
    if (better) best = { domain: w.number, gain };
  }
  return best?.domain;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
