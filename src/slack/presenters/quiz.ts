import { answerKeyText } from '../../domain/question.js';
import type { StudyProgress } from '../../services/activity.js';
import type { AnswerOutcome, ChannelAnswer, PracticeQuestion } from '../../services/quiz.js';
import type { Message } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { answerFeedbackView, channelQuizView, personalQuizView } from '../views/quiz.js';
import { ephemeral, type Reply } from './reply.js';

export function presentPracticeQuestion(r: PracticeQuestion): Reply {
  if (r.kind === 'question') return ephemeral(personalQuizView(r.question));
  return ephemeral(noticeView("You've answered every practice question for your track. New ones arrive with content updates.", ':trophy:'));
}

export function presentAnswer(r: AnswerOutcome, where: 'personal' | 'channel'): Reply {
  switch (r.kind) {
    case 'gone':
      return ephemeral(
        noticeView(where === 'personal' ? 'That question is no longer available. Try `/aipath quiz` for a new one.' : 'That quiz is no longer available.'),
      );
    case 'closed':
      return ephemeral(noticeView(`This quiz has closed: the answer was *${answerKeyText(r.question)}*. Watch for today's question!`, ':lock:'));
    case 'incomplete':
      // Nothing is recorded until the answer is whole.
      return ephemeral(noticeView(`${r.reason} Nothing was recorded yet.`, ':point_up:'));
    case 'scored':
      return ephemeral(answerFeedbackView(r));
  }
}

/** The channel's quiz message redrawn with its new count of answers, when it is still open. */
export function presentRecount(r: ChannelAnswer): { channel: string; ts: string; message: Message } | undefined {
  const c = r.recount;
  return c && { channel: c.channel, ts: c.ts, message: channelQuizView(c.question, c.postId, c.answered) };
}

export function presentTipAcknowledged(r: StudyProgress): Reply {
  const extra = r.bonus ? ` Streak bonus: +${r.bonus} points!` : '';
  return ephemeral(noticeView(`Noted: that counts as studying today. Your streak: *${r.streak} day${r.streak === 1 ? '' : 's'}*.${extra}`, ':fire:'));
}
