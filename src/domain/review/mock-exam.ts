/**
 * Practice exams: which questions to draw, and what the result suggests. Randomness is injected so a draw can
 * be replayed (and tested); given the same bank and the same `random`, the same exam comes out.
 */
import type { ExamDomain } from './readiness.js';

export interface MockCandidate {
  id: string;
  domain?: number | undefined;
}

export interface DomainQuota {
  domain: number;
  /** Questions drawn from this domain. */
  count: number;
  /** Questions of this domain in the bank. */
  available: number;
}

export interface MockSelection<Q> {
  /** The questions in the order to ask them (domains mixed, as on the exam). */
  questions: Q[];
  quotas: DomainQuota[];
  /** True when the bank could not fill the requested length: say so to the learner. */
  short: boolean;
}

/**
 * Draws `count` questions (the exam's length) in proportion to the domain weights. Seats are shared by the
 * largest remainder method (ties to the lower domain number); a domain with fewer questions than its share
 * gives all it has and the rest is shared again among the others, so the exam is as long as the bank allows.
 * Questions without a domain of this exam are left out: they would skew the proportions.
 */
export function selectMockExam<Q extends MockCandidate>(
  bank: readonly Q[],
  domains: readonly ExamDomain[],
  count: number,
  random: () => number,
): MockSelection<Q> {
  const pools = new Map<number, Q[]>(domains.map((d) => [d.number, []]));
  for (const q of bank) if (q.domain !== undefined) pools.get(q.domain)?.push(q);
  // Sorted by id so the draw depends on the bank's content, not on the order it was loaded in.
  for (const pool of pools.values()) pool.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const available = domains.map((d) => pools.get(d.number)!.length);
  const size = Math.max(0, Math.min(Math.floor(count), sum(available)));
  const counts = allocate(
    size,
    domains.map((d) => d.weight),
    available,
  );

  const picked = domains.flatMap((d, i) => sample(pools.get(d.number)!, counts[i]!, random));
  return {
    questions: sample(picked, picked.length, random),
    quotas: domains.map((d, i) => ({ domain: d.number, count: counts[i]!, available: available[i]! })),
    short: size < count,
  };
}

/**
 * Largest remainder apportionment of `seats` by `weights`, never giving a slot more than its capacity:
 * capped slots keep their capacity and the seats left over are shared again among the others.
 * Requires seats ≤ Σ capacity.
 */
export function allocate(seats: number, weights: readonly number[], capacity: readonly number[]): number[] {
  const counts = weights.map(() => 0);
  let open = weights.map((_, i) => i).filter((i) => capacity[i]! > 0 && weights[i]! > 0);
  // Domains with questions but no usable weight still take seats when nothing else can.
  if (open.length === 0) open = weights.map((_, i) => i).filter((i) => capacity[i]! > 0);
  let left = seats;
  while (left > 0 && open.length > 0) {
    const shares = largestRemainder(
      left,
      open.map((i) => (weights[i]! > 0 ? weights[i]! : 1)),
    );
    open.forEach((slot, k) => {
      const take = Math.min(shares[k]!, capacity[slot]! - counts[slot]!);
      counts[slot]! += take;
      left -= take;
    });
    open = open.filter((i) => counts[i]! < capacity[i]!);
  }
  return counts;
}

/** Hamilton's method: floor of each quota, then one more seat to the largest fractions (earlier first on ties). */
function largestRemainder(seats: number, weights: readonly number[]): number[] {
  const total = sum(weights);
  const quotas = weights.map((w) => (seats * w) / total);
  const counts = quotas.map(Math.floor);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0, left = seats - sum(counts); k < left; k++) counts[byRemainder[k]!.i]!++;
  return counts;
}

/** `n` items drawn without replacement (a partial Fisher–Yates shuffle), in the order drawn. */
function sample<T>(items: readonly T[], n: number, random: () => number): T[] {
  const pool = [...items];
  const take = Math.min(n, pool.length);
  for (let i = 0; i < take; i++) {
    // min(): a `random` that returns 1 (outside [0, 1)) must not index past the end.
    const j = i + Math.min(pool.length - i - 1, Math.floor(random() * (pool.length - i)));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take);
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export interface MockAnswer {
  questionId: string;
  domain?: number | undefined;
  /** Unanswered questions count as wrong, as on the exam. */
  correct: boolean;
}

export interface DomainScore {
  domain: number;
  right: number;
  total: number;
}

export interface MockScore {
  perDomain: DomainScore[];
  right: number;
  total: number;
  /** Right answers as a whole percent of the questions asked. */
  percent: number;
  /** The raw share mapped onto AWS's 100–1000 scale: an estimate, see `scoreMock`. */
  estimatedScaledScore: number;
  /** Against the exam's passing score; undefined when the exam publishes none. */
  passed: boolean | undefined;
  /** Questions to add to reviews. */
  wrong: string[];
}

const SCALE_MIN = 100;
const SCALE_MAX = 1000;

/**
 * Scores a finished practice exam. AWS reports a scaled score from 100 to 1000 and does not publish how raw
 * answers map onto it (it equates exam forms, and some questions on the real exam are unscored). We assume
 * the simplest mapping, linear over the range: scaled ≈ 100 + 900 × share right, so a passing score of 700
 * needs about 67% right. That is an estimate to show as one, not a prediction of the real result.
 */
export function scoreMock(answers: readonly MockAnswer[], domains: readonly ExamDomain[], passingScore?: number): MockScore {
  const perDomain = domains.map((d) => ({ domain: d.number, right: 0, total: 0 }));
  const byNumber = new Map(perDomain.map((s) => [s.domain, s]));
  const wrong: string[] = [];
  let right = 0;
  for (const a of answers) {
    const s = a.domain === undefined ? undefined : byNumber.get(a.domain);
    if (s) s.total++;
    if (a.correct) {
      right++;
      if (s) s.right++;
    } else wrong.push(a.questionId);
  }
  const total = answers.length;
  const share = total === 0 ? 0 : right / total;
  const scaled = SCALE_MIN + (SCALE_MAX - SCALE_MIN) * share;
  return {
    perDomain,
    right,
    total,
    percent: Math.round(share * 100),
    estimatedScaledScore: Math.round(scaled),
    passed: passingScore === undefined || total === 0 ? undefined : scaled >= passingScore,
    wrong,
  };
}
