import type { QuizQuestion } from '../content/schema.js';
import { POINTS } from '../domain/scoring.js';
import { forTrack } from '../domain/pools.js';
import { answerKeyText, incompleteReason, isCorrect, type QuizResponse } from '../domain/question.js';
import type { QuizPost } from '../ports/store.js';
import { noticeView } from '../slack/views/help.js';
import { answerFeedbackView, channelQuizView, personalQuizView } from '../slack/views/quiz.js';
import type { Message } from '../slack/views/blocks.js';
import { recordStudyAction } from '../services/activity.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

export async function personalQuiz(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const trackId = (await deps.store.enrolments.current(ctx.workspaceId, ctx.userId))?.trackId;
  const answered = await deps.store.quiz.answeredQuestions(ctx.workspaceId, ctx.userId);
  const fresh = forTrack(deps.content.quiz, trackId).filter((q) => !answered.has(q.id));
  const q = fresh[Math.floor(deps.random() * fresh.length)];
  if (!q) return ephemeral(noticeView("You've answered every practice question for your track. Impressive! New ones arrive with content updates.", ':trophy:'));
  return ephemeral(personalQuizView(q));
}

/** A reply for an answer that cannot be scored yet; nothing is recorded. */
const notReady = (reason: string) => ephemeral(noticeView(`${reason} Nothing was recorded yet.`, ':point_up:'));

export async function answerPersonal(deps: StudyDeps, ctx: CommandContext, questionId: string, response: QuizResponse): Promise<Reply> {
  const q = deps.content.question(questionId);
  if (!q) return ephemeral(noticeView('That question is no longer available. Try `/aipath quiz` for a new one.'));
  const problem = incompleteReason(q, response);
  if (problem) return notReady(problem);
  const { tz } = await ctx.profile();
  return ephemeral((await scoreAnswer(deps, ctx, tz, q, response, null, 'personal_quiz', q.id)).view);
}

export interface ChannelAnswer {
  reply: Reply;
  /** The channel message, redrawn with the new count of answers, when it is still open. */
  update?: { channel: string; ts: string; message: Message };
}

export async function answerChannel(deps: StudyDeps, ctx: CommandContext, postId: number, response: QuizResponse): Promise<ChannelAnswer> {
  const post = await deps.store.quiz.post(postId);
  const q = post && post.workspaceId === ctx.workspaceId ? deps.content.question(post.questionId) : undefined;
  if (!post || !q) return { reply: ephemeral(noticeView('That quiz is no longer available.')) };
  if (post.closedAt)
    return { reply: ephemeral(noticeView(`This quiz has closed: the answer was *${answerKeyText(q)}*. Watch for today's question!`, ':lock:')) };
  const problem = incompleteReason(q, response);
  if (problem) return { reply: notReady(problem) };
  const { tz } = await ctx.profile();
  const scored = await scoreAnswer(deps, ctx, tz, q, response, post, 'channel_quiz', `post:${post.id}`);
  const reply = ephemeral(scored.view);
  if (!scored.first || !post.messageTs) return { reply };
  return {
    reply,
    update: { channel: post.channelId, ts: post.messageTs, message: channelQuizView(q, post.id, (await deps.store.quiz.tally(post.id)).answered) },
  };
}

/**
 * Records an answer and what it earns, in one transaction: the answer (first one counts), the points
 * for a first right answer, and the study day with any streak bonus.
 */
async function scoreAnswer(
  deps: StudyDeps,
  ctx: CommandContext,
  tz: string,
  q: QuizQuestion,
  response: QuizResponse,
  post: QuizPost | null,
  kind: 'personal_quiz' | 'channel_quiz',
  ref: string,
): Promise<{ first: boolean; view: Message }> {
  const { ws, user } = { ws: ctx.workspaceId, user: ctx.userId };
  return deps.store.transaction(async (tx) => {
    await tx.users.ensure(ws, user, ctx.now);
    const result = await tx.quiz.answer(ws, user, q.id, post, response, isCorrect(q, response), ctx.now);
    let points = 0;
    let streak = 0;
    if (result.first) {
      if (result.correct && (await tx.points.award(ws, user, kind, ref, POINTS[kind], ctx.now, post?.channelId ?? null))) points += POINTS[kind];
      const progress = await recordStudyAction(tx, ws, user, tz, ctx.now);
      points += progress.bonus;
      streak = progress.streak;
    }
    return {
      first: result.first,
      view: answerFeedbackView({ question: q, response: result.response, correct: result.correct, first: result.first, points, streak }),
    };
  });
}

export async function acknowledgeTip(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const { tz } = await ctx.profile();
  const { streak, bonus } = await deps.store.transaction((tx) => recordStudyAction(tx, ctx.workspaceId, ctx.userId, tz, ctx.now));
  const extra = bonus ? ` Streak bonus: +${bonus} points!` : '';
  return ephemeral(noticeView(`Noted: that counts as studying today. Your streak: *${streak} day${streak === 1 ? '' : 's'}*.${extra}`, ':fire:'));
}
