import type { QuizQuestion } from '../content/schema.js';
import { POINTS } from '../core/scoring.js';
import { forTrack } from '../core/pools.js';
import { answerKeyText, incompleteReason, isCorrect, type QuizResponse } from '../core/question.js';
import type { QuizPostRow } from '../store/quiz.js';
import { noticeView } from '../slack/views/help.js';
import { answerFeedbackView, channelQuizView, personalQuizView } from '../slack/views/quiz.js';
import type { Message } from '../slack/views/blocks.js';
import { recordStudyAction } from './activity.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

export function personalQuiz(deps: StudyDeps, ctx: CommandContext): Reply {
  const trackId = deps.stores.enrolments.current(ctx.workspaceId, ctx.userId)?.track_id;
  const answered = deps.stores.quiz.answeredQuestions(ctx.workspaceId, ctx.userId);
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
  return ephemeral(scoreAnswer(deps, ctx, tz, q, response, null, 'personal_quiz', q.id).view);
}

export interface ChannelAnswer {
  reply: Reply;
  /** The channel message, redrawn with the new count of answers, when it is still open. */
  update?: { channel: string; ts: string; message: Message };
}

export async function answerChannel(deps: StudyDeps, ctx: CommandContext, postId: number, response: QuizResponse): Promise<ChannelAnswer> {
  const post = deps.stores.quiz.post(postId);
  const q = post && post.workspace_id === ctx.workspaceId ? deps.content.question(post.question_id) : undefined;
  if (!post || !q) return { reply: ephemeral(noticeView('That quiz is no longer available.')) };
  if (post.closed_at)
    return { reply: ephemeral(noticeView(`This quiz has closed: the answer was *${answerKeyText(q)}*. Watch for today's question!`, ':lock:')) };
  const problem = incompleteReason(q, response);
  if (problem) return { reply: notReady(problem) };
  const { tz } = await ctx.profile();
  const scored = scoreAnswer(deps, ctx, tz, q, response, post, 'channel_quiz', `post:${post.id}`);
  const reply = ephemeral(scored.view);
  if (!scored.first || !post.message_ts) return { reply };
  return { reply, update: { channel: post.channel_id, ts: post.message_ts, message: channelQuizView(q, post.id, deps.stores.quiz.tally(post.id).answered) } };
}

/**
 * Records an answer and what it earns, in one transaction: the answer (first one counts), the points
 * for a first right answer, and the study day with any streak bonus.
 */
function scoreAnswer(
  deps: StudyDeps,
  ctx: CommandContext,
  tz: string,
  q: QuizQuestion,
  response: QuizResponse,
  post: QuizPostRow | null,
  kind: 'personal_quiz' | 'channel_quiz',
  ref: string,
): { first: boolean; view: Message } {
  const { ws, user } = { ws: ctx.workspaceId, user: ctx.userId };
  return deps.stores.atomically(() => {
    deps.stores.users.ensure(ws, user, ctx.now);
    const result = deps.stores.quiz.answer(ws, user, q.id, post, response, isCorrect(q, response), ctx.now);
    let points = 0;
    let streak = 0;
    if (result.first) {
      if (result.correct && deps.stores.points.award(ws, user, kind, ref, POINTS[kind], ctx.now, post?.channel_id ?? null)) points += POINTS[kind];
      const progress = recordStudyAction(deps.stores, ws, user, tz, ctx.now);
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
  const { streak, bonus } = deps.stores.atomically(() => recordStudyAction(deps.stores, ctx.workspaceId, ctx.userId, tz, ctx.now));
  const extra = bonus ? ` Streak bonus: +${bonus} points!` : '';
  return ephemeral(noticeView(`Noted: that counts as studying today. Your streak: *${streak} day${streak === 1 ? '' : 's'}*.${extra}`, ':fire:'));
}
