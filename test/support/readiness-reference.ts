/**
 * Readiness as it was computed before the lean read (until commit b8e5e2a): every card read whole (`memoryOf`),
 * every quiz answer read one by one (`answersOf`) and counted here, and each seen card's recall asked of ts-fsrs
 * itself (`get_retrievability` on a full FSRS card). Frozen here as the reference that the app's computation
 * (`readinessFor`: `answerTallies` and `recallAfter`) must match exactly (test/store/readiness-equivalence.test.ts),
 * and as the benchmark's baseline (bench/reviews.ts).
 */
import { fsrs, State } from 'ts-fsrs';
import type { Certification } from '../../src/content/schema.js';
import type { MemoryCard, MemoryState } from '../../src/domain/review/memory.js';
import { type DomainReadiness, type ExamDomain, overallReadiness, type QuestionMemory, unseenPrior } from '../../src/domain/review/readiness.js';
import type { Store } from '../../src/ports/store.js';
import type { Readiness } from '../../src/services/reviews.js';

// As src/domain/review/memory.ts builds its scheduler.
const scheduler = fsrs({ enable_fuzz: false, enable_short_term: true });
const STATE: Record<MemoryState, State> = { new: State.New, learning: State.Learning, review: State.Review, relearning: State.Relearning };

/** The old `recall`: ts-fsrs's retrievability of the card as a full FSRS card, clamped to 0..1. */
export function fsrsRecall(card: MemoryCard, now: Date): number {
  if (card.state === 'new') return 0;
  const r = scheduler.get_retrievability(
    {
      due: new Date(card.due),
      stability: card.stability,
      difficulty: card.difficulty,
      elapsed_days: card.elapsedDays,
      scheduled_days: card.scheduledDays,
      learning_steps: card.learningSteps,
      reps: card.reps,
      lapses: card.lapses,
      state: STATE[card.state],
      ...(card.lastReview ? { last_review: new Date(card.lastReview) } : {}),
    },
    now,
    false,
  );
  return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0;
}

/** The old `memoriesOf`: what the learner has done with each question of the exam's bank. */
async function memoriesOf(store: Store, ws: string, user: string, bank: readonly { id: string; domain?: number | undefined }[]): Promise<QuestionMemory[]> {
  const memory = new Map((await store.reviews.memoryOf(ws, user)).map((m) => [m.questionId, m]));
  const earlier = new Map<string, { answered: number; right: number }>();
  for (const a of await store.quiz.answersOf(ws, user)) {
    if (memory.has(a.questionId)) continue;
    const c = earlier.get(a.questionId) ?? { answered: 0, right: 0 };
    earlier.set(a.questionId, { answered: c.answered + 1, right: c.right + (a.correct ? 1 : 0) });
  }
  return bank.map((q) => {
    const m = memory.get(q.id);
    return m ? { domain: q.domain, card: m.card, answered: m.answered, right: m.right } : { domain: q.domain, ...earlier.get(q.id) };
  });
}

/** The old `domainReadiness`, with ts-fsrs's own retrievability. */
function domainReadiness(questions: readonly QuestionMemory[], domains: readonly ExamDomain[], now: Date): DomainReadiness[] {
  const tallies = new Map(domains.map((d) => [d.number, { total: 0, seen: 0, answered: 0, right: 0, recallSum: 0 }]));
  for (const q of questions) {
    const t = q.domain === undefined ? undefined : tallies.get(q.domain);
    if (!t) continue;
    t.total++;
    t.answered += q.answered ?? 0;
    t.right += q.right ?? 0;
    if (q.card && q.card.state !== 'new') {
      t.seen++;
      t.recallSum += fsrsRecall(q.card, now);
    }
  }
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
      readiness: Math.min(1, Math.max(0, readiness)),
    };
  });
}

/** The old `readinessFor`. `bank` is the exam's questions in the content's order. */
export async function referenceReadiness(
  store: Store,
  ws: string,
  user: string,
  cert: Certification,
  bank: readonly { id: string; domain?: number | undefined }[],
  now: Date,
): Promise<Readiness> {
  const domains = domainReadiness(await memoriesOf(store, ws, user, bank), cert.domains, now);
  return { cert, domains, overall: overallReadiness(domains) };
}
