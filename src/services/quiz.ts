import type { Certification, QuizQuestion } from '../content/schema.js';
import { forTrack } from '../domain/pools.js';
import { incompleteReason, isCorrect, type QuizResponse } from '../domain/question.js';
import { comesBackIn } from '../domain/review/memory.js';
import { localDate } from '../domain/plan.js';
import { POINTS, practiceScoring } from '../domain/scoring.js';
import type { QuizPost, Repositories } from '../ports/store.js';
import { recordStudyAction, type StudyProgress } from './activity.js';
import type { Caller, NotFound, StudyDeps } from './context.js';
import { findCert } from './lookup.js';
import { gradeAnswer, studyExam } from './reviews.js';

export type PracticeQuestion =
  | NotFound
  | { kind: 'question'; question: QuizQuestion }
  /** Every question of what was asked for is answered (`of`: the exam and domain, or the track's pool). */
  | { kind: 'all-answered'; of: { cert?: Certification; domain?: number } }
  | { kind: 'no-questions'; cert: Certification; domain?: number };

/** A recorded answer: the first one counts, for points and the streak. */
export interface ScoredAnswer {
  kind: 'scored';
  question: QuizQuestion;
  /** The answer that counts: this one if first, else the learner's earlier one. */
  response: QuizResponse;
  correct: boolean;
  first: boolean;
  points: number;
  streak: number;
  /** The learner's memory card after a first answer: its review count (for "I guessed") and when it comes back. */
  memory?: { reps: number; comesBack: string };
  /**
   * A right first practice answer and the daily cap (DAILY_PRACTICE_SCORED): `last` when it was today's last one
   * to score, `capped` when today's scored practice answers were used up before it (it scored nothing).
   */
  practiceCap?: 'last' | 'capped';
}

/** What came of an answer: scored, or why it could not be. */
export type AnswerOutcome = { kind: 'gone' } | { kind: 'closed'; question: QuizQuestion } | { kind: 'incomplete'; reason: string } | ScoredAnswer;

/** A channel answer's outcome, and the channel post to redraw with its new count of answers. */
export interface ChannelAnswer {
  outcome: AnswerOutcome;
  recount?: { channel: string; ts: string; question: QuizQuestion; postId: number; answered: number };
}

/**
 * A question the learner has not answered yet: from the exam (and domain) they name, else from the exam their
 * study is for (their exam date's, or their track's current phase), else from their track's whole pool.
 */
export async function practiceQuestion(deps: StudyDeps, caller: Caller, ask: { exam?: string; domain?: number } = {}): Promise<PracticeQuestion> {
  let cert: Certification | undefined;
  if (ask.exam) {
    const found = findCert(deps, ask.exam, caller.now);
    if (found.kind === 'not-found') return found;
    cert = found.cert;
  } else {
    cert = await studyExam(deps, caller);
  }
  let pool: QuizQuestion[];
  if (cert) {
    const ofCert = cert.id;
    pool = deps.content.quiz.filter((q) => q.cert === ofCert && (ask.domain === undefined || q.domain === ask.domain));
    if (pool.length === 0) return { kind: 'no-questions', cert, domain: ask.domain };
  } else {
    const trackId = (await deps.store.enrolments.current(caller.workspaceId, caller.userId))?.trackId;
    pool = forTrack(deps.content.quiz, trackId);
  }
  const answered = await deps.store.quiz.answeredQuestions(caller.workspaceId, caller.userId);
  const fresh = pool.filter((q) => !answered.has(q.id));
  const question = fresh[Math.floor(deps.random() * fresh.length)];
  return question ? { kind: 'question', question } : { kind: 'all-answered', of: { cert, domain: ask.domain } };
}

export async function answerPersonal(deps: StudyDeps, caller: Caller, questionId: string, response: QuizResponse): Promise<AnswerOutcome> {
  const q = deps.content.question(questionId);
  if (!q) return { kind: 'gone' };
  const reason = incompleteReason(q, response);
  if (reason) return { kind: 'incomplete', reason };
  return score(deps, caller, q, response, null, 'personal_quiz', q.id);
}

export async function answerChannel(deps: StudyDeps, caller: Caller, postId: number, response: QuizResponse): Promise<ChannelAnswer> {
  const post = await deps.store.quiz.post(postId);
  const q = post && post.workspaceId === caller.workspaceId ? deps.content.question(post.questionId) : undefined;
  if (!post || !q) return { outcome: { kind: 'gone' } };
  if (post.closedAt) return { outcome: { kind: 'closed', question: q } };
  const reason = incompleteReason(q, response);
  if (reason) return { outcome: { kind: 'incomplete', reason } };
  const outcome = await score(deps, caller, q, response, post, 'channel_quiz', `post:${post.id}`);
  if (outcome.kind !== 'scored' || !outcome.first || !post.messageTs) return { outcome };
  const { answered } = await deps.store.quiz.tally(post.id);
  return { outcome, recount: { channel: post.channelId, ts: post.messageTs, question: q, postId: post.id, answered } };
}

/**
 * Records an answer and what it earns, in one transaction: the answer (first one counts), the points
 * for a first right answer, and the study day with any streak bonus.
 */
async function score(
  deps: StudyDeps,
  caller: Caller,
  q: QuizQuestion,
  response: QuizResponse,
  post: QuizPost | null,
  kind: 'personal_quiz' | 'channel_quiz',
  ref: string,
): Promise<AnswerOutcome> {
  const { tz } = await caller.profile();
  const { workspaceId: ws, userId: user, now } = caller;
  return deps.store.transaction(async (tx) => {
    await tx.users.ensure(ws, user, now);
    const result = await tx.quiz.answer(ws, user, q.id, post, response, isCorrect(q, response), now);
    let points = 0;
    let streak = 0;
    let memory: ScoredAnswer['memory'];
    let practiceCap: ScoredAnswer['practiceCap'];
    if (result.first) {
      const card = await gradeAnswer(tx, caller, q.id, result.correct, kind);
      memory = { reps: card.reps, comesBack: comesBackIn(now, card.due) };
      // Practice scores at most DAILY_PRACTICE_SCORED right answers per local day; it still grades the card.
      const cap = result.correct && kind === 'personal_quiz' ? practiceScoring(await practiceScoredToday(tx, ws, user, tz, now)) : undefined;
      if (cap) practiceCap = cap.pays ? (cap.last ? 'last' : undefined) : 'capped';
      if (result.correct && cap?.pays !== false && (await tx.points.award(ws, user, kind, ref, POINTS[kind], now, post?.channelId ?? null)))
        points += POINTS[kind];
      const progress = await recordStudyAction(tx, ws, user, tz, now);
      points += progress.bonus;
      streak = progress.streak;
    }
    return { kind: 'scored', question: q, response: result.response, correct: result.correct, first: result.first, points, streak, memory, practiceCap };
  });
}

/** How many practice answers scored points on the learner's local day of `now`. */
async function practiceScoredToday(tx: Repositories, ws: string, user: string, tz: string, now: Date): Promise<number> {
  const today = localDate(now, tz);
  return (await tx.points.earnedBy(ws, user)).filter((p) => p.kind === 'personal_quiz' && localDate(p.earnedAt, tz) === today).length;
}

/** "I read today's tip": a study action for the streak. */
export async function acknowledgeTip(deps: StudyDeps, caller: Caller): Promise<StudyProgress> {
  const { tz } = await caller.profile();
  return deps.store.transaction((tx) => recordStudyAction(tx, caller.workspaceId, caller.userId, tz, caller.now));
}
