import { progressBar } from '../../domain/plan.js';
import type { NotFound } from '../../services/context.js';
import type { MockAnswerOutcome, MockResult, MockStart, MockStep } from '../../services/mock.js';
import { context, header, message, section } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { didYouMeanView } from '../views/lookup.js';
import { mockQuestionView } from '../views/quiz.js';
import { ephemeral, type Reply } from './reply.js';

const stepReply = (s: MockStep): Reply => ({
  ...ephemeral(
    mockQuestionView(
      s.question,
      { mockId: s.mock.id, questionId: s.question.id },
      { code: s.cert.code, index: s.index, total: s.total, minutesLeft: s.minutesLeft, shortOf: s.short?.exam },
    ),
  ),
  replaceOriginal: true,
});

/** The result: the score by domain, the estimate said to be one, and where the wrong answers went. */
function resultReply(r: MockResult): Reply {
  const s = r.score;
  const verdict =
    s.passed === undefined ? '' : s.passed ? ' That would likely pass, by our rough estimate.' : ' That is probably short of a pass, by our rough estimate.';
  const lines = s.perDomain
    .filter((d) => d.total > 0)
    .map((d) => `${progressBar(d.right, d.total, 8)} *${d.domain}. ${r.domainNames.get(d.domain) ?? ''}*: ${d.right} of ${d.total}`);
  const why = r.timedOut ? ` Time ran out with ${r.unanswered} unanswered; they count as wrong.` : '';
  return {
    ...ephemeral(
      message(`${r.cert.code} practice exam: ${s.right} of ${s.total} right (${s.percent}%).`, [
        header(`${r.cert.code} practice exam: ${s.percent}%`),
        section(`*${s.right} of ${s.total}* right, about *${s.estimatedScaledScore}* on AWS's 100–1000 scale.${verdict}${why}`),
        section(lines.join('\n')),
        context(
          'The scaled score is an estimate: AWS does not publish how answers map onto its scale. Every question you answered is now in your reviews, the wrong ones first: `/aipath review`.',
        ),
      ]),
    ),
    replaceOriginal: true,
  };
}

export function presentMock(r: MockStart | MockAnswerOutcome | NotFound): Reply {
  switch (r.kind) {
    case 'not-found':
      return ephemeral(didYouMeanView('cert', r.query, r.candidates, r.ambiguous));
    case 'no-exam':
      return ephemeral(noticeView('Which exam? For example `/aipath mock aif-c01`, or set yours with `/aipath exam`.', ':memo:'));
    case 'no-questions':
      return ephemeral(noticeView(`aipath has no practice questions for ${r.cert.code} yet.`, ':memo:'));
    case 'gone':
      return ephemeral(noticeView('That practice exam is no longer available. Start a new one with `/aipath mock`.', ':memo:'));
    case 'incomplete':
      return ephemeral(noticeView(`${r.reason} Nothing was recorded yet.`, ':point_up:'));
    case 'question':
      return stepReply(r);
    case 'finished':
      return resultReply(r);
  }
}
