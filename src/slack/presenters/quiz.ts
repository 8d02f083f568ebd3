import { answerKeyText } from '../../domain/question.js';
import type { StudyProgress } from '../../services/activity.js';
import { DAILY_PRACTICE_SCORED, POINTS } from '../../domain/scoring.js';
import type { AnswerOutcome, ChannelAnswer, PracticeQuestion, ScoredAnswer } from '../../services/quiz.js';
import { context, type Message } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { didYouMeanView } from '../views/lookup.js';
import { answerFeedbackView, channelQuizView, personalQuizView } from '../views/quiz.js';
import { ephemeral, type Reply } from './reply.js';

export function presentPracticeQuestion(r: PracticeQuestion): Reply {
  switch (r.kind) {
    case 'not-found':
      return ephemeral(didYouMeanView('cert', r.query, r.candidates, r.ambiguous));
    case 'question':
      return ephemeral(personalQuizView(r.question));
    case 'no-questions': {
      const domains = r.cert.domains.map((d) => `${d.number} (${d.name})`).join(', ');
      return ephemeral(
        noticeView(
          r.domain === undefined
            ? `aipath has no practice questions for ${r.cert.code} yet.`
            : `${r.cert.code} has no domain ${r.domain} questions here. Its domains: ${domains}.`,
          ':mag:',
        ),
      );
    }
    case 'all-answered': {
      const what = r.of.cert ? `${r.of.cert.code}${r.of.domain ? ` domain ${r.of.domain}` : ''}` : 'your track';
      return ephemeral(
        noticeView(`You've answered every practice question for ${what}. \`/aipath review\` brings back the ones you are about to forget.`, ':trophy:'),
      );
    }
  }
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
    case 'scored': {
      const view = answerFeedbackView(r);
      const cap = practiceCapNote(r.practiceCap);
      return ephemeral(cap ? { ...view, text: `${view.text} ${cap}`, blocks: [...view.blocks, context(cap)] } : view);
    }
  }
}

/** What the daily cap on scored practice answers means for this answer, if anything. */
function practiceCapNote(cap: ScoredAnswer['practiceCap']): string | undefined {
  const limit = `${DAILY_PRACTICE_SCORED} right practice answers (${DAILY_PRACTICE_SCORED * POINTS.personal_quiz} points)`;
  if (cap === 'last')
    return `:checkered_flag: Nice, that was today's last scored practice answer; keep practising, it still trains your reviews. (${limit} score each day.)`;
  if (cap === 'capped') return `No points: today's ${limit} are earned; they score again tomorrow. Keep practising, it still trains your reviews.`;
  return undefined;
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
