import type { Certification, QuizQuestion } from '../content/schema.js';
import { incompleteReason, isCorrect, type QuizResponse } from '../domain/question.js';
import { type MockScore, scoreMock, selectMockExam } from '../domain/review/mock-exam.js';
import type { Content } from '../content/content.js';
import type { MockAnswer, MockExam, Repositories } from '../ports/store.js';
import type { Caller, NotFound, StudyDeps } from './context.js';
import { findCert } from './lookup.js';
import { gradeAnswer, studyExam } from './reviews.js';

/** When the exam publishes no length or time, a practice run of this size and pace. */
const DEFAULT_QUESTIONS = 50;
const MINUTES_A_QUESTION = 2;

/** A practice exam's question, with where the learner is in it. */
export interface MockStep {
  kind: 'question';
  mock: MockExam;
  cert: Certification;
  question: QuizQuestion;
  index: number;
  total: number;
  minutesLeft: number;
  /** The bank could not fill the exam's length: the learner is told so. */
  short: { asked: number; exam: number } | undefined;
}

export interface MockResult {
  kind: 'finished';
  cert: Certification;
  score: MockScore;
  /** Domain names for the score by domain. */
  domainNames: Map<number, string>;
  timedOut: boolean;
  unanswered: number;
  /** When the exam's time was (or is) up. */
  endsAt: Date;
  /**
   * A click that came after the exam ended, and was not recorded: its time was up (`time-up`), or every question was
   * answered already (`finished`). Undefined for the answer that finished it, or for a result asked for otherwise.
   */
  refused?: 'time-up' | 'finished';
}

export type MockStart =
  | NotFound
  | { kind: 'no-exam' }
  | { kind: 'no-questions'; cert: Certification }
  /** A new exam, at its first question. */
  | { kind: 'started'; step: MockStep }
  /**
   * The learner's exam already under way: its next question, or, when its time ran out before anything finished it,
   * its result (now finished and its answers graded into reviews).
   */
  | { kind: 'resumed'; step: MockStep | MockResult };
export type MockAnswerOutcome = { kind: 'gone' } | { kind: 'incomplete'; reason: string } | MockStep | MockResult;

const examLength = (cert: Certification) => cert.format?.questions ?? DEFAULT_QUESTIONS;

/**
 * `/aipath mock [exam]`: a timed practice exam with the exam's number of questions drawn by domain weight, or
 * the one already under way. No feedback until the end. An exam whose time ran out while the learner was away is
 * finished first (so its answers reach reviews) and its result given instead of a new exam.
 */
export async function startMock(deps: StudyDeps, caller: Caller, examQuery?: string): Promise<MockStart> {
  const { workspaceId: ws, userId: user, now } = caller;
  const open = await deps.store.mocks.unfinished(ws, user, now);
  if (open) return { kind: 'resumed', step: await nextStep(deps, open, now, caller) };
  let cert: Certification | undefined;
  if (examQuery) {
    const found = findCert(deps, examQuery, now);
    if (found.kind === 'not-found') return found;
    cert = found.cert;
  } else cert = await studyExam(deps, caller);
  if (!cert) return { kind: 'no-exam' };
  const bank = deps.content.quiz.filter((q) => q.cert === cert.id);
  const drawn = selectMockExam(bank, cert.domains, examLength(cert), deps.random);
  if (drawn.questions.length === 0) return { kind: 'no-questions', cert };
  const minutes = Math.round(((cert.format?.minutes ?? examLength(cert) * MINUTES_A_QUESTION) * drawn.questions.length) / examLength(cert));
  const mock = await deps.store.transaction(async (tx) => {
    await tx.users.ensure(ws, user, now);
    return tx.mocks.start(
      ws,
      user,
      cert.id,
      drawn.questions.map((q) => q.id),
      now,
      new Date(now.getTime() + Math.max(1, minutes) * 60_000),
    );
  });
  // A new exam of drawn questions, its clock just started: its first question, never a result.
  return { kind: 'started', step: (await nextStep(deps, mock, now, caller)) as MockStep };
}

/**
 * Takes back a practice exam whose first question never reached the learner (Slack refused the DM): it is deleted
 * while nothing was answered in it, so the learner can start again as if it had never begun.
 */
export async function discardMock(deps: StudyDeps, caller: Caller, mockId: number): Promise<boolean> {
  const mock = await deps.store.mocks.get(mockId);
  if (!mock || mock.workspaceId !== caller.workspaceId || mock.userId !== caller.userId) return false;
  return deps.store.mocks.discard(mockId);
}

/** Records an answer (the first for each question counts), then the next question, or the result at the end. */
export async function answerMock(
  deps: StudyDeps,
  caller: Caller,
  key: { mockId: number; questionId: string },
  response: QuizResponse,
): Promise<MockAnswerOutcome> {
  const mock = await deps.store.mocks.get(key.mockId);
  const question = deps.content.question(key.questionId);
  if (!mock || mock.workspaceId !== caller.workspaceId || mock.userId !== caller.userId || !question || !mock.questionIds.includes(question.id))
    return { kind: 'gone' };
  if (!mock.finishedAt && caller.now < mock.endsAt) {
    const reason = incompleteReason(question, response);
    if (reason) return { kind: 'incomplete', reason };
    await deps.store.mocks.answer(mock.id, question.id, response, isCorrect(question, response), caller.now);
    return nextStep(deps, mock, caller.now, caller);
  }
  // Too late (the scheduler, another click or the time itself ended it): nothing is recorded, and the reply says so.
  const step = await nextStep(deps, mock, caller.now, caller);
  return step.kind === 'finished' ? { ...step, refused: caller.now >= mock.endsAt ? 'time-up' : 'finished' } : step;
}

/** Who a practice exam's answers are graded for, and when. */
export type Grader = Pick<Caller, 'workspaceId' | 'userId' | 'now'>;

/**
 * Grades every answered question of a practice exam into the learner's memory cards (wrong is Again, so the wrong ones
 * come back first in reviews), in the transaction in which the caller has just finished it: only the caller whose
 * compare-and-set finish took (`mocks.finish`, or a pass's `mocks.finishMany`) calls this, so it happens once. The
 * answers are read after the finish, so those graded are exactly those the exam keeps (no answer lands after it).
 */
export async function gradeFinishedMock(tx: Repositories, who: Grader, mockId: number): Promise<void> {
  for (const a of await tx.mocks.answers(mockId)) await gradeAnswer(tx, who, a.questionId, a.correct, 'mock');
}

/** A finished (or timed-out) exam's result as of `now`: scored by domain, the unanswered counted wrong. */
export function mockResult(content: Content, mock: MockExam, answers: readonly MockAnswer[], now: Date): MockResult {
  const cert = content.certification(mock.cert)!;
  const answered = new Map(answers.map((a) => [a.questionId, a]));
  const score = scoreMock(
    mock.questionIds.map((id) => ({ questionId: id, domain: content.question(id)?.domain, correct: answered.get(id)?.correct ?? false })),
    cert.domains,
    cert.format?.passingScore,
  );
  return {
    kind: 'finished',
    cert,
    score,
    domainNames: new Map(cert.domains.map((d) => [d.number, d.name])),
    timedOut: now >= mock.endsAt && answered.size < mock.questionIds.length,
    unanswered: mock.questionIds.length - answered.size,
    endsAt: mock.endsAt,
  };
}

/**
 * The next unanswered question, or, when every question is answered or the time is up, the result: scored by
 * domain, and every answered question graded into the learner's memory cards so the wrong ones come back
 * in reviews. Finishing happens once (compare-and-set), whoever gets there first.
 */
async function nextStep(deps: StudyDeps, mock: MockExam, now: Date, caller: Caller): Promise<MockStep | MockResult> {
  const cert = deps.content.certification(mock.cert)!;
  const answers = await deps.store.mocks.answers(mock.id);
  const answered = new Map(answers.map((a) => [a.questionId, a]));
  const timedOut = now >= mock.endsAt;
  const nextId = mock.questionIds.find((id) => !answered.has(id) && deps.content.question(id));
  if (nextId && !timedOut && !mock.finishedAt) {
    return {
      kind: 'question',
      mock,
      cert,
      question: deps.content.question(nextId)!,
      index: answered.size + 1,
      total: mock.questionIds.length,
      minutesLeft: Math.max(1, Math.ceil((mock.endsAt.getTime() - now.getTime()) / 60_000)),
      short: mock.questionIds.length < examLength(cert) ? { asked: mock.questionIds.length, exam: examLength(cert) } : undefined,
    };
  }
  if (!mock.finishedAt) {
    await deps.store.transaction(async (tx) => {
      if (await tx.mocks.finish(mock.id, now)) await gradeFinishedMock(tx, caller, mock.id);
    });
  }
  return mockResult(deps.content, mock, answers, now);
}
