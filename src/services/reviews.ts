import type { Certification, QuizQuestion } from '../content/schema.js';
import { localDayBounds } from '../domain/due.js';
import { localDate, phaseExam, planPosition } from '../domain/plan.js';
import { dailyNewQuota, type NewQuota } from '../domain/review/exam-plan.js';
import { incompleteReason, isCorrect, type QuizResponse } from '../domain/question.js';
import { type AnswerFeel, comesBackIn, gradeOf, newCard, regrade, review } from '../domain/review/memory.js';
import { nextCard } from '../domain/review/next-card.js';
import { type AnswerTally, type DomainReadiness, type OverallReadiness, overallReadiness, readinessFromTallies } from '../domain/review/readiness.js';
import type { Repositories, ReviewSource } from '../ports/store.js';
import { recordStudyAction } from './activity.js';
import type { Caller, StudyDeps } from './context.js';

/**
 * Grades a learner's answer into their memory card for the question (FSRS: wrong is Again, right is Good),
 * inside the caller's transaction. Every answer the app scores or reviews goes through here.
 */
export async function gradeAnswer(
  tx: Repositories,
  caller: Pick<Caller, 'workspaceId' | 'userId' | 'now'>,
  questionId: string,
  correct: boolean,
  source: ReviewSource,
) {
  const { workspaceId: ws, userId: user, now } = caller;
  const card = (await tx.reviews.card(ws, user, questionId)) ?? newCard(now);
  const reviewed = review(card, gradeOf(correct), now);
  await tx.reviews.saveReview(ws, user, questionId, reviewed.card, reviewed.log, source);
  return reviewed.card;
}

/** The exam a learner studies for: the one they set a date for, else the one their track's current week prepares for. */
export async function studyExam(deps: StudyDeps, caller: Caller): Promise<Certification | undefined> {
  return (await studyTarget(deps, caller))?.cert;
}

/** The exam a learner studies for, and its date when they set one. */
async function studyTarget(deps: StudyDeps, caller: Caller): Promise<{ cert: Certification; examDate: string | undefined } | undefined> {
  const user = await deps.store.users.get(caller.workspaceId, caller.userId);
  if (user?.examCert) {
    const cert = deps.content.certification(user.examCert);
    return cert && { cert, examDate: user.examDate ?? undefined };
  }
  const enrolment = await deps.store.enrolments.current(caller.workspaceId, caller.userId);
  const track = enrolment && deps.content.track(enrolment.trackId);
  if (!enrolment || !track) return undefined;
  const { tz } = await caller.profile();
  const cert = deps.content.certification(phaseExam(track, planPosition(track, enrolment.startedOn, localDate(caller.now, tz)).week));
  return cert && { cert, examDate: undefined };
}

/** How many new questions the learner met in review sessions on their local day of `now`: what the day's quota counts. */
export async function newInReviewsToday(deps: StudyDeps, caller: Caller): Promise<number> {
  const { tz } = await caller.profile();
  return deps.store.reviews.newInReviews(caller.workspaceId, caller.userId, localDayBounds(caller.now, tz));
}

const bankOf = (deps: StudyDeps, cert: string) => deps.content.quiz.filter((q) => q.cert === cert);

export interface Readiness {
  cert: Certification;
  domains: DomainReadiness[];
  overall: OverallReadiness;
}

/** Readiness for an exam, by domain: an estimate of the share of its questions the learner would get right today. */
export async function readinessFor(deps: StudyDeps, caller: Caller, cert: Certification): Promise<Readiness> {
  return readinessOf(deps, cert, await deps.store.reviews.answerTallies(caller.workspaceId, caller.userId), caller.now);
}

/** Readiness from the learner's answer tallies, read once by a caller that needs them for more (nextReview). */
function readinessOf(deps: StudyDeps, cert: Certification, tallies: readonly AnswerTally[], now: Date): Readiness {
  const domains = readinessFromTallies(bankOf(deps, cert.id), tallies, cert.domains, now);
  return { cert, domains, overall: overallReadiness(domains) };
}

export type ReviewStep =
  | { kind: 'no-exam' }
  | {
      kind: 'card';
      cert: Certification;
      question: QuizQuestion;
      reps: number;
      isNew: boolean;
      dueLeft: number;
      /** A new question while the exam plan sets a daily quota: the quota as it stood before this question. */
      newToday?: NewQuota;
    }
  /** Nothing due, and no new question asked for (or none left); `newToday` while the exam plan sets a quota. */
  | { kind: 'caught-up'; cert: Certification; nextDue: Date | undefined; unseen: number; newToday?: NewQuota }
  /** Nothing due, and today's quota of new questions met: more only when the learner asks for them. */
  | { kind: 'quota-met'; cert: Certification; nextDue: Date | undefined; unseen: number; newToday: NewQuota };

/**
 * The next question of a review session: the due card the learner is likeliest to have forgotten, then (when
 * `allowNew`) a new one from the domain where study gains the most. A card just answered wrong is due again only
 * after its learning step (a minute), so it does not come straight back.
 *
 * With an exam date, new questions follow the plan's pace: once today's quota (`dailyNewQuota`) is met, the
 * session offers more instead of showing one, and shows one only when the learner asks for more (`pastQuota`).
 */
export async function nextReview(deps: StudyDeps, caller: Caller, opts: { allowNew: boolean; pastQuota?: boolean }): Promise<ReviewStep> {
  const { workspaceId: ws, userId: user, now } = caller;
  // Due cards of any exam come back: a memory does not stop mattering when the learner's phase moves on. Not knowing
  // the exam first, they are read beside the learner's row: on PostgreSQL two round trips at once rather than in turn.
  const [target, dueCards] = await Promise.all([studyTarget(deps, caller), deps.store.reviews.dueCards(ws, user, now, 500)]);
  if (!target) return { kind: 'no-exam' };
  const { cert, examDate } = target;
  const bank = bankOf(deps, cert.id);
  const inBank = new Set(bank.map((q) => q.id));
  const due = dueCards.filter((c) => deps.content.question(c.questionId));
  // While cards are due, nothing else is needed to choose: what the learner has seen, their readiness and the
  // day's quota matter only for a new question.
  const needsNew = due.length === 0;
  // One lean read gives both: every question with a card or an answer is seen, and readiness comes from the same tallies.
  const tallies = needsNew ? await deps.store.reviews.answerTallies(ws, user) : [];
  const seen = new Set(tallies.map((t) => t.questionId));
  const unseen = needsNew ? bank.filter((q) => !seen.has(q.id)).length : 0;
  let newToday: NewQuota | undefined;
  if (needsNew && examDate && unseen > 0) {
    const { tz } = await caller.profile();
    newToday = dailyNewQuota(unseen, await newInReviewsToday(deps, caller), localDate(now, tz), examDate);
  }
  if (opts.allowNew && newToday && newToday.today >= newToday.cap && !opts.pastQuota) {
    return { kind: 'quota-met', cert, nextDue: await deps.store.reviews.nextDue(ws, user, now), unseen, newToday };
  }
  const readiness = needsNew && opts.allowNew ? readinessOf(deps, cert, tallies, now).domains : [];
  const next = nextCard({
    due,
    bank: bank.map((q) => ({ id: q.id, domain: q.domain })),
    seen,
    readiness,
    domains: cert.domains,
    now,
    random: deps.random,
    allowNew: opts.allowNew,
  });
  if (next.kind === 'none') {
    return { kind: 'caught-up', cert, nextDue: await deps.store.reviews.nextDue(ws, user, now), unseen, ...(newToday ? { newToday } : {}) };
  }
  const question = deps.content.question(next.questionId)!;
  const reps = next.kind === 'due' ? (due.find((c) => c.questionId === next.questionId)?.card.reps ?? 0) : 0;
  const dueLeft = due.filter((c) => c.questionId !== next.questionId && inBank.has(c.questionId)).length;
  return {
    kind: 'card',
    cert,
    question,
    reps,
    isNew: next.kind === 'new',
    dueLeft: next.kind === 'due' ? dueLeft + 1 : dueLeft,
    ...(next.kind === 'new' && newToday ? { newToday } : {}),
  };
}

export type ReviewAnswer =
  | { kind: 'gone' }
  | { kind: 'incomplete'; reason: string }
  /** The card was graded since this question was shown (a double click, or another device). */
  | { kind: 'already-graded'; question: QuizQuestion; comesBack: string }
  /** `comesBack`: when the card is due again, in words ("in 10 minutes", "in 4 days"). */
  /** `pastQuota`: the question was shown past today's new-question quota, at the learner's asking. */
  | {
      kind: 'graded';
      question: QuizQuestion;
      response: QuizResponse;
      correct: boolean;
      comesBack: string;
      reps: number;
      streak: number;
      pastQuota: boolean;
    };

/**
 * Grades a review answer once: the button carries the card's review count when it was shown, and an answer
 * to a card reviewed since then changes nothing. Reviews earn no points; they count as a study day.
 */
export async function answerReview(
  deps: StudyDeps,
  caller: Caller,
  key: { questionId: string; reps: number; pastQuota?: boolean },
  response: QuizResponse,
): Promise<ReviewAnswer> {
  const question = deps.content.question(key.questionId);
  if (!question) return { kind: 'gone' };
  const reason = incompleteReason(question, response);
  if (reason) return { kind: 'incomplete', reason };
  const { tz } = await caller.profile();
  const { workspaceId: ws, userId: user, now } = caller;
  return deps.store.transaction(async (tx): Promise<ReviewAnswer> => {
    await tx.users.ensure(ws, user, now);
    const card = await tx.reviews.card(ws, user, question.id);
    if ((card?.reps ?? 0) !== key.reps) return { kind: 'already-graded', question, comesBack: comesBackIn(now, card!.due) };
    const correct = isCorrect(question, response);
    const graded = await gradeAnswer(tx, caller, question.id, correct, 'review');
    const { streak } = await recordStudyAction(tx, ws, user, tz, now);
    return {
      kind: 'graded',
      question,
      response,
      correct,
      comesBack: comesBackIn(now, graded.due),
      reps: graded.reps,
      streak,
      pastQuota: key.pastQuota === true,
    };
  });
}

export type Regraded = { kind: 'stale' } | { kind: 'regraded'; feel: AnswerFeel; comesBack: string };

/**
 * "I guessed" / "too easy" after a right answer: the latest review of the card is graded Hard or Easy instead
 * of Good, once, and only while it is still the latest (`reps` is the card's count right after that answer).
 */
export async function regradeAnswer(deps: StudyDeps, caller: Caller, key: { questionId: string; reps: number }, feel: AnswerFeel): Promise<Regraded> {
  const { workspaceId: ws, userId: user } = caller;
  return deps.store.transaction(async (tx): Promise<Regraded> => {
    const card = await tx.reviews.card(ws, user, key.questionId);
    const last = await tx.reviews.lastReview(ws, user, key.questionId);
    if (!card || !last || card.reps !== key.reps || last.log.rating !== 'good') return { kind: 'stale' };
    const grade = gradeOf(true, feel);
    const again = regrade(card, last.log, grade);
    await tx.reviews.regradeLast(ws, user, key.questionId, again.card, grade);
    return { kind: 'regraded', feel, comesBack: comesBackIn(caller.now, again.card.due) };
  });
}
