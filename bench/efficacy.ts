/**
 * Learning efficacy (issue 12): a cohort of simulated learners studies one exam's question bank for 8 weeks,
 * 15 minutes a day, under (a) today's flow and (b) the new review policy, and we compare the expected share of
 * the bank each would answer right on exam day. Deterministic: every draw comes from seeded generators, and
 * both policies run the same learners (same learning rate, same answer stream seed, same app seed).
 *
 * The "true" learner is separate from the app's FSRS estimate: per question a latent memory (stability S,
 * difficulty D, day of last study) that follows FSRS-6's own default model (ts-fsrs's `next_state` and
 * forgetting curve R(t) = (1 + FACTOR·t/S)^-DECAY), scaled by the learner's learning rate; the app only sees
 * right and wrong answers and keeps its own cards through src/domain/review/memory.ts.
 *
 * `npm run bench -- efficacy [--exam=mla-c02] [--learners=200] [--seed=7] [--answers=6]` (flags take `=`: run.ts reads any
 * bare word as a benchmark name).
 */
import { computeDecayFactor, default_w, fsrs, type Grade, Rating } from 'ts-fsrs';
import { loadContent } from '../src/content/load.js';
import { gradeOf, type MemoryCard, newCard, type ReviewGrade, review } from '../src/domain/review/memory.js';
import { addDays } from '../src/domain/calendar.js';
import { dailyNewQuota } from '../src/domain/review/exam-plan.js';
import { selectMockExam } from '../src/domain/review/mock-exam.js';
import { type BankQuestion, nextCard } from '../src/domain/review/next-card.js';
import { domainReadiness, type ExamDomain, GUESS_RATE, overallReadiness, type QuestionMemory } from '../src/domain/review/readiness.js';
import { hash32, pickRotating } from '../src/domain/rotation.js';
import { seededRandom } from '../test/support/seeded-random.js';

export interface EfficacyOptions {
  learners: number;
  /** A certification id with a question bank: aif-c01, mla-c02, aip-c01. */
  exam: string;
  /** Study days; the exam is on day `days`, at the time the daily sessions start. */
  days: number;
  /** Answers a day: 15 minutes at about a minute an answer, reading the explanation included. */
  answersPerDay: number;
  seed: number;
  /** σ of the log-normal learning-rate multiplier (median 1). */
  sigma: number;
  /** Days before the exam kept for reviews and a practice exam (the plan's review week). */
  reviewDays: number;
}

const DEFAULTS: EfficacyOptions = { learners: 1_000, exam: 'aif-c01', days: 56, answersPerDay: 15, seed: 42, sigma: 0.3, reviewDays: 7 };

/** `--exam=aip-c01 --learners=200 --seed=7` from the command line; arguments given to the function win. */
function fromArgv(argv: readonly string[]): Partial<EfficacyOptions> {
  const out: Partial<EfficacyOptions> = {};
  for (const arg of argv) {
    const m = /^--(exam|learners|seed|days|sigma|answers)=(.+)$/.exec(arg);
    if (!m) continue;
    const [, key, value] = m;
    if (key === 'exam') out.exam = value!.toLowerCase();
    else if (key === 'answers') out.answersPerDay = Number(value);
    else out[key as 'learners' | 'seed' | 'days' | 'sigma'] = Number(value);
  }
  return out;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Day 0's session: today, 09:00 UTC, when the channel's daily quiz is posted. */
const START = Date.UTC(2026, 11, 1, 9, 0, 0);
const START_DATE = '2026-12-01';

/** The true memory: FSRS-6 with its default parameters (the ones memory.ts schedules with), no fuzz. */
const truthModel = fsrs({ enable_fuzz: false, enable_short_term: true });
const { decay: DECAY, factor: FACTOR } = computeDecayFactor(default_w);
/** R(t, S) in whole days, as ts-fsrs counts them; the same curve as `truthModel.forgetting_curve`, without its rounding. */
const curve = (days: number, stability: number) => (1 + (FACTOR * days) / stability) ** DECAY;
const RATING: Record<ReviewGrade, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good, easy: Rating.Easy };

/**
 * The chance of a right answer with no memory: one option in four, for every question type (multiple-response,
 * ordering and matching are harder to guess, so this flatters unseen questions on both policies alike).
 */
const GUESS = GUESS_RATE;

interface Bank {
  ids: string[];
  /** Index into `domains` of each question. */
  domainOf: Int32Array;
  domains: ExamDomain[];
  /** Questions per domain. */
  perDomain: number[];
  questions: BankQuestion[];
  indexOf: Map<string, number>;
  examLength: number;
}

/** One learner's latent memory of each question of the bank. */
class TrueMemory {
  readonly s: Float64Array;
  readonly d: Float64Array;
  /** Day of the last study event; -1 while never studied. */
  readonly last: Int32Array;
  answers = 0;
  constructor(
    size: number,
    /** Learning-rate multiplier: scales the stability a first study gives and every gain in stability after it. */
    private readonly rate: number,
    /** Whether each answer is right: the same seed for both policies. */
    private readonly random: () => number,
  ) {
    this.s = new Float64Array(size);
    this.d = new Float64Array(size);
    this.last = new Int32Array(size).fill(-1);
  }

  /** R at `day` for a studied question, the guessing floor included: the chance of a right answer. */
  pRight(q: number, day: number): number {
    const last = this.last[q]!;
    return last < 0 ? GUESS : Math.max(GUESS, curve(day - last, this.s[q]!));
  }

  /**
   * One answer (and the explanation after it) on `day`: right with probability max(R, guess floor); then the
   * memory moves as FSRS-6 says for the grade the app records (right → Good, wrong → Again), at the true R,
   * with same-day repeats on FSRS's short-term formula. The learner's rate scales the stability a first
   * study gives and every gain after it; a lapse falls to FSRS's post-lapse stability unscaled.
   */
  study(q: number, day: number): boolean {
    this.answers++;
    const last = this.last[q]!;
    const t = last < 0 ? 0 : day - last;
    const r = last < 0 ? 0 : curve(t, this.s[q]!);
    const correct = this.random() < Math.max(r, GUESS);
    const g = RATING[gradeOf(correct)];
    if (last < 0) {
      const next = truthModel.next_state(null, 0, g);
      this.s[q] = this.rate * next.stability;
      this.d[q] = next.difficulty;
    } else {
      const s = this.s[q]!;
      const next = truthModel.next_state({ difficulty: this.d[q]!, stability: s }, t, g, r);
      this.s[q] = next.stability > s ? s + this.rate * (next.stability - s) : next.stability;
      this.d[q] = next.difficulty;
    }
    this.last[q] = day;
    return correct;
  }

  /** Expected share right per domain on exam day: mean of max(R, guess floor) over the domain's questions. */
  examScore(bank: Bank, day: number): number[] {
    const sums = bank.domains.map(() => 0);
    for (let q = 0; q < bank.ids.length; q++) sums[bank.domainOf[q]!]! += this.pRight(q, day);
    return sums.map((s, i) => (bank.perDomain[i] ? s / bank.perDomain[i]! : GUESS));
  }

  seen(): number {
    let n = 0;
    for (const l of this.last) if (l >= 0) n++;
    return n;
  }
}

interface Learner {
  rate: number;
  /** The channel's daily quiz question for each day (rotation over the exam's pool, as daily-quiz.ts picks it). */
  channel: number[];
  answerSeed: number;
  appSeed: number;
}

interface Outcome {
  perDomain: number[];
  total: number;
  answers: number;
  seen: number;
  /** New policy only: the app's own readiness estimate on exam day. */
  estimate?: number;
}

/**
 * (a) Today: the channel's quiz, then unseen `/aipath quiz` questions at random until the budget or the bank runs
 * out. `refill` is a control, not a policy the app has: once the bank is exhausted, the rest of the budget goes to
 * answered questions drawn at random, so the new policy is also compared with "the same time, no scheduling".
 */
function todaysFlow(bank: Bank, learner: Learner, o: EfficacyOptions, refill = false): Outcome {
  const memory = new TrueMemory(bank.ids.length, learner.rate, seededRandom(learner.answerSeed));
  const random = seededRandom(learner.appSeed);
  const answered = new Uint8Array(bank.ids.length);
  for (let day = 0; day < o.days; day++) {
    const cq = learner.channel[day]!;
    memory.study(cq, day);
    answered[cq] = 1;
    for (let used = 1; used < o.answersPerDay; used++) {
      // practiceQuestion(): a question the learner has never answered (channel answers included), at random.
      const fresh: number[] = [];
      for (let q = 0; q < answered.length; q++) if (!answered[q]) fresh.push(q);
      if (fresh.length === 0 && !refill) break;
      const q = fresh.length > 0 ? fresh[Math.floor(random() * fresh.length)]! : Math.floor(random() * answered.length);
      memory.study(q, day);
      answered[q] = 1;
    }
  }
  const perDomain = memory.examScore(bank, o.days);
  return { perDomain, total: weighted(perDomain, bank.domains), answers: memory.answers, seen: memory.seen() };
}

/**
 * (b) The new policy: the channel's quiz, then `nextCard` (due cards, lowest recall first; then a new question
 * from the domain with the largest weight × (1 − readiness)) until the budget runs out or nothing is left. In
 * the review week: due cards first, then a practice exam (the exam's length, by domain weight, graded into the
 * cards as it is answered), and new questions only when nothing is due and the practice exam is done.
 */
function newPolicy(bank: Bank, learner: Learner, o: EfficacyOptions, quota = false): Outcome {
  const n = bank.ids.length;
  const memory = new TrueMemory(n, learner.rate, seededRandom(learner.answerSeed));
  const random = seededRandom(learner.appSeed);
  const cards: (MemoryCard | undefined)[] = new Array(n);
  const answered = new Int32Array(n);
  const right = new Int32Array(n);
  const seen = new Set<string>();
  const view = (): QuestionMemory[] => bank.questions.map((q, i) => ({ domain: q.domain, card: cards[i] ?? null, answered: answered[i]!, right: right[i]! }));

  const answer = (q: number, day: number, now: Date) => {
    const correct = memory.study(q, day);
    cards[q] = review(cards[q] ?? newCard(now), gradeOf(correct), now).card;
    answered[q]!++;
    if (correct) right[q]!++;
    seen.add(bank.ids[q]!);
  };

  let mock: number[] | undefined;
  let mockAt = 0;
  const examDate = addDays(START_DATE, o.days);
  for (let day = 0; day < o.days; day++) {
    const reviewWeek = day >= o.days - o.reviewDays;
    const start = START + day * DAY;
    // The review session's daily quota of new questions (services/reviews.ts): the plan's pace from what was unseen
    // when the day began; a learner who never asks for more stops there. The channel's quiz is no review.
    const today = addDays(START_DATE, day);
    let newToday = 0;
    let cap = Number.POSITIVE_INFINITY;
    let last = learner.channel[day]!;
    answer(last, day, new Date(start));
    if (quota) cap = dailyNewQuota(n - seen.size, 0, today, examDate).cap;
    if (reviewWeek && !mock) mock = selectMockExam(bank.questions, bank.domains, bank.examLength, random).questions.map((q) => bank.indexOf.get(q.id)!);
    for (let used = 1; used < o.answersPerDay; used++) {
      const now = new Date(start + used * MINUTE);
      const t = now.getTime();
      const due: { questionId: string; card: MemoryCard }[] = [];
      for (let q = 0; q < n; q++) {
        const card = cards[q];
        if (card && card.due.getTime() <= t) due.push({ questionId: bank.ids[q]!, card });
      }
      const skip = new Set([bank.ids[last]!]);
      const base = { bank: bank.questions, seen, domains: bank.domains, skip, now, random };
      let next = nextCard({ ...base, due, readiness: [], allowNew: false });
      if (next.kind === 'none' && mock && mockAt < mock.length) {
        last = mock[mockAt++]!;
        answer(last, day, now);
        continue;
      }
      // Readiness only when a new question is wanted: it is the expensive input, and nextCard reads it only then.
      if (next.kind === 'none' && seen.size < n && newToday < cap) {
        next = nextCard({ ...base, due: [], readiness: domainReadiness(view(), bank.domains, now), allowNew: true });
        if (next.kind === 'new') newToday++;
      }
      if (next.kind === 'none') break; // nothing due, nothing new (or today's quota met): the session ends ("next card in …")
      last = bank.indexOf.get(next.questionId)!;
      answer(last, day, now);
    }
  }
  const perDomain = memory.examScore(bank, o.days);
  const estimate = overallReadiness(domainReadiness(view(), bank.domains, new Date(START + o.days * DAY))).readiness;
  return { perDomain, total: weighted(perDomain, bank.domains), answers: memory.answers, seen: memory.seen(), estimate };
}

function weighted(perDomain: readonly number[], domains: readonly ExamDomain[]): number {
  let sum = 0;
  let weights = 0;
  domains.forEach((d, i) => {
    sum += d.weight * perDomain[i]!;
    weights += d.weight;
  });
  return sum / weights;
}

function loadBank(exam: string): { bank: Bank; code: string } {
  const content = loadContent();
  const cert = content.certification(exam);
  if (!cert || cert.domains.length === 0) throw new Error(`efficacy: no exam ${exam} with domains; try aif-c01, mla-c02 or aip-c01`);
  const numbers = new Map(cert.domains.map((d, i) => [d.number, i]));
  const pool = content.quiz.filter((q) => q.cert === exam && q.domain !== undefined && numbers.has(q.domain));
  if (pool.length === 0) throw new Error(`efficacy: ${exam} has no question bank; try aif-c01, mla-c02 or aip-c01`);
  const domains = cert.domains.map((d) => ({ number: d.number, name: d.name, weight: d.weight }));
  const domainOf = Int32Array.from(pool, (q) => numbers.get(q.domain!)!);
  const perDomain = domains.map((_, i) => domainOf.filter((x) => x === i).length);
  return {
    code: cert.code,
    bank: {
      ids: pool.map((q) => q.id),
      domainOf,
      domains,
      perDomain,
      questions: pool.map((q) => ({ id: q.id, domain: q.domain })),
      indexOf: new Map(pool.map((q, i) => [q.id, i])),
      examLength: cert.format?.questions ?? 65,
    },
  };
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function makeLearner(i: number, bank: Bank, o: EfficacyOptions): Learner {
  const seed = (stream: string) => hash32(`${o.seed}:${i}:${stream}`);
  const rate = Math.exp(o.sigma * normal(seededRandom(seed('rate'))));
  // Each learner's own team channel; its daily quiz rotates over the exam's pool exactly as daily-quiz.ts does.
  const channelId = `C0E${String(i).padStart(7, '0')}`;
  const counts = new Map<string, number>();
  const items = bank.ids.map((id) => ({ id }));
  const channel: number[] = [];
  for (let day = 0; day < o.days; day++) {
    const period = new Date(START + day * DAY).toISOString().slice(0, 10);
    const q = pickRotating(items, counts, `${channelId}:${period}:quiz`)!;
    counts.set(q.id, (counts.get(q.id) ?? 0) + 1);
    channel.push(bank.indexOf.get(q.id)!);
  }
  return { rate, channel, answerSeed: seed('answers'), appSeed: seed('app') };
}

interface Summary {
  perDomain: number[];
  total: number;
  above: number;
  p10: number;
  median: number;
  p90: number;
  answers: number;
  seen: number;
  estimate?: number;
  ms: number;
}

function summarise(outcomes: readonly Outcome[], ms: number): Summary {
  const k = outcomes.length;
  const mean = (f: (o: Outcome) => number) => outcomes.reduce((a, o) => a + f(o), 0) / k;
  const totals = outcomes.map((o) => o.total).sort((a, b) => a - b);
  const q = (p: number) => totals[Math.min(k - 1, Math.max(0, Math.ceil(p * k) - 1))]!;
  return {
    perDomain: outcomes[0]!.perDomain.map((_, i) => mean((o) => o.perDomain[i]!)),
    total: mean((o) => o.total),
    above: totals.filter((t) => t > 0.75).length / k,
    p10: q(0.1),
    median: q(0.5),
    p90: q(0.9),
    answers: mean((o) => o.answers),
    seen: mean((o) => o.seen),
    ...(outcomes[0]!.estimate === undefined ? {} : { estimate: mean((o) => o.estimate!) }),
    ms,
  };
}

/** The cohort in thirds by learning rate (slowest first), each policy's mean weighted score and share above 75% in each. */
function thirds(learners: readonly Learner[], policies: readonly (readonly Outcome[])[]) {
  const order = learners.map((l, i) => ({ rate: l.rate, i })).sort((x, y) => x.rate - y.rate);
  const k = order.length;
  return ['slowest third', 'middle third', 'fastest third'].map((name, part) => {
    const members = order.slice(Math.floor((part * k) / 3), Math.floor(((part + 1) * k) / 3));
    const label = `${name} (rate ${members[0]!.rate.toFixed(2)}–${members.at(-1)!.rate.toFixed(2)})`;
    const cells = policies.map((outcomes) => {
      const totals = members.map((m) => outcomes[m.i]!.total);
      return { total: totals.reduce((x, y) => x + y, 0) / totals.length, above: totals.filter((x) => x > 0.75).length / totals.length };
    });
    return { label, cells };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const int = (x: number) => x.toLocaleString('en');
/** A difference of shares in percentage points, signed: +3.2, −0.4. */
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

export async function benchEfficacy(options: Partial<EfficacyOptions> = {}): Promise<string[]> {
  const o: EfficacyOptions = { ...DEFAULTS, ...fromArgv(process.argv.slice(2)), ...options };
  const { bank, code } = loadBank(o.exam);
  // The true model's curve is ts-fsrs's own: a drift here would mean the constants changed under us.
  const check = truthModel.forgetting_curve(17, 3.2);
  if (Math.abs(check - curve(17, 3.2)) > 1e-6) throw new Error(`efficacy: forgetting curve ${curve(17, 3.2)} differs from ts-fsrs ${check}`);

  const started = performance.now();
  const learners = Array.from({ length: o.learners }, (_, i) => makeLearner(i, bank, o));
  const setupMs = performance.now() - started;
  let t = performance.now();
  const todayOutcomes = learners.map((l) => todaysFlow(bank, l, o));
  const a = summarise(todayOutcomes, performance.now() - t);
  t = performance.now();
  const newOutcomes = learners.map((l) => newPolicy(bank, l, o));
  const b = summarise(newOutcomes, performance.now() - t);
  t = performance.now();
  const quotaOutcomes = learners.map((l) => newPolicy(bank, l, o, true));
  const q = summarise(quotaOutcomes, performance.now() - t);
  t = performance.now();
  const control = summarise(
    learners.map((l) => todaysFlow(bank, l, o, true)),
    performance.now() - t,
  );
  const wallS = (performance.now() - started) / 1000;

  const budget = o.days * o.answersPerDay;
  const nameWidth = Math.max(...bank.domains.map((d) => d.name.length)) + 2;
  const row = (label: string, weight: string, x: string, y: string) =>
    `  ${label.padEnd(nameWidth + 2)} ${weight.padStart(6)} ${x.padStart(9)} ${y.padStart(12)}`;
  const weightSum = bank.domains.reduce((s, d) => s + d.weight, 0);
  const lines = [
    `efficacy (${int(o.learners)} learners, ${code}, ${o.days} days × ${o.answersPerDay} answers, seed ${o.seed})`,
    `  bank ${bank.ids.length} questions (${bank.domains.map((d, i) => `D${d.number} ${bank.perDomain[i]}`).join(', ')}); exam on day ${o.days}; ` +
      `score = Σ weight × mean over the domain of max(true R on exam day, ${GUESS}) (expected share right)`,
    `  learner: FSRS-6 default curve R = (1 + ${FACTOR.toFixed(4)}·t/S)^${DECAY}, learning rate ~ lognormal(0, σ ${o.sigma}), guess floor ${GUESS} (all types); ` +
      `1 answer a minute, the channel quiz counts in the ${o.answersPerDay}`,
    row('domain', 'weight', "today's", 'new policy'),
    ...bank.domains.map((d, i) => row(`${d.number} ${d.name}`, `${((d.weight / weightSum) * 100).toFixed(0)}%`, pct(a.perDomain[i]!), pct(b.perDomain[i]!))),
    row('weighted total', '', pct(a.total), pct(b.total)),
    row('learners above 75%', '', pct(a.above), pct(b.above)),
    row(
      'p10 / median / p90',
      '',
      `${(a.p10 * 100).toFixed(0)}/${(a.median * 100).toFixed(0)}/${(a.p90 * 100).toFixed(0)}`,
      `${(b.p10 * 100).toFixed(0)}/${(b.median * 100).toFixed(0)}/${(b.p90 * 100).toFixed(0)}`,
    ),
    row(`answers a learner (budget ${budget})`, '', a.answers.toFixed(0), b.answers.toFixed(0)),
    row('questions seen a learner', '', a.seen.toFixed(1), b.seen.toFixed(1)),
    `  new policy: the app's own readiness estimate on exam day ${pct(b.estimate ?? NaN)} (true expected ${pct(b.total)}); ` +
      `review week: due cards, then a ${Math.min(bank.examLength, bank.ids.length)}-question practice exam, new questions only when nothing is due`,
    `  control (not a policy): today's flow, the unused budget spent on answered questions at random: ${pct(control.total)} weighted, ${pct(control.above)} above 75%, ` +
      `${control.answers.toFixed(0)} answers a learner; new policy − control ${signed(b.total - control.total)} points`,
    `  wall time ${wallS.toFixed(1)} s (learners and channel rotations ${(setupMs / 1000).toFixed(1)} s, today's ${(a.ms / 1000).toFixed(1)} s, new policy ${(b.ms / 1000).toFixed(1)} s, control ${(control.ms / 1000).toFixed(1)} s)`,
    `  with the daily new-question quota (services/reviews.ts; the learner never asks for more): ${pct(q.total)} weighted, ${pct(q.above)} above 75%, ` +
      `p10/median/p90 ${(q.p10 * 100).toFixed(0)}/${(q.median * 100).toFixed(0)}/${(q.p90 * 100).toFixed(0)}, ${q.answers.toFixed(0)} answers and ${q.seen.toFixed(1)} questions seen a learner, ` +
      `app estimate ${pct(q.estimate ?? NaN)} (${(q.ms / 1000).toFixed(1)} s)`,
    `  by learning rate, thirds of the cohort (weighted score, share above 75%): today's | new policy | with the quota`,
    ...thirds(learners, [todayOutcomes, newOutcomes, quotaOutcomes]).map(
      (t) =>
        `    ${t.label.padEnd(26)} ${t.cells.map((c) => `${pct(c.total)}, ${pct(c.above)}`.padStart(14)).join(' | ')}; quota − none ${signed(t.cells[2]!.total - t.cells[1]!.total)} points`,
    ),
    `new policy − today's: ${signed(b.total - a.total)} points (weighted), ${pct(b.above)} vs ${pct(a.above)} above 75%; ` +
      `with the quota − without: ${signed(q.total - b.total)} points, ${pct(q.above)} vs ${pct(b.above)} above 75%`,
  ];
  return lines;
}
