import type { QuizQuestion } from '../content/schema.js';
import { forTrack } from '../domain/pools.js';
import { incompleteReason, isCorrect, type QuizResponse } from '../domain/question.js';
import { comesBackIn } from '../domain/review/memory.js';
import { POINTS } from '../domain/scoring.js';
import type { QuizPost } from '../ports/store.js';
import { recordStudyAction, type StudyProgress } from './activity.js';
import type { Caller, StudyDeps } from './context.js';
import { gradeAnswer } from './reviews.js';

export type PracticeQuestion = { kind: 'question'; question: QuizQuestion } | { kind: 'all-answered' };

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
}

/** What came of an answer: scored, or why it could not be. */
export type AnswerOutcome = { kind: 'gone' } | { kind: 'closed'; question: QuizQuestion } | { kind: 'incomplete'; reason: string } | ScoredAnswer;

/** A channel answer's outcome, and the channel post to redraw with its new count of answers. */
export interface ChannelAnswer {
  outcome: AnswerOutcome;
  recount?: { channel: string; ts: string; question: QuizQuestion; postId: number; answered: number };
}

/** A question from the learner's track they have not answered yet. */
export async function practiceQuestion(deps: StudyDeps, caller: Caller): Promise<PracticeQuestion> {
  const trackId = (await deps.store.enrolments.current(caller.workspaceId, caller.userId))?.trackId;
  const answered = await deps.store.quiz.answeredQuestions(caller.workspaceId, caller.userId);
  const fresh = forTrack(deps.content.quiz, trackId).filter((q) => !answered.has(q.id));
  const question = fresh[Math.floor(deps.random() * fresh.length)];
  return question ? { kind: 'question', question } : { kind: 'all-answered' };
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
    if (result.first) {
      const card = await gradeAnswer(tx, caller, q.id, result.correct, kind);
      memory = { reps: card.reps, comesBack: comesBackIn(now, card.due) };
      if (result.correct && (await tx.points.award(ws, user, kind, ref, POINTS[kind], now, post?.channelId ?? null))) points += POINTS[kind];
      const progress = await recordStudyAction(tx, ws, user, tz, now);
      points += progress.bonus;
      streak = progress.streak;
    }
    return { kind: 'scored', question: q, response: result.response, correct: result.correct, first: result.first, points, streak, memory };
  });
}

/** "I read today's tip": a study action for the streak. */
export async function acknowledgeTip(deps: StudyDeps, caller: Caller): Promise<StudyProgress> {
  const { tz } = await caller.profile();
  return deps.store.transaction((tx) => recordStudyAction(tx, caller.workspaceId, caller.userId, tz, caller.now));
}
