import { progressBar } from '../../domain/plan.js';
import type { MockResult } from '../../services/mock.js';
import { context, header, type Message, message, section, slackTime } from './blocks.js';

/**
 * A practice exam's result: the score by domain, the estimate said to be one, and where the wrong answers went.
 * `note` leads the message (a click that came too late says it was not recorded).
 */
export function mockResultView(r: MockResult, note?: string): Message {
  const s = r.score;
  return message(`${r.cert.code} practice exam: ${s.right} of ${s.total} right (${s.percent}%).`, [
    ...(note ? [section(note)] : []),
    header(`${r.cert.code} practice exam: ${s.percent}%`),
    ...resultBlocks(r),
  ]);
}

/**
 * The DM the scheduler sends when an exam's time runs out before the learner finished it: that time is up, when, and
 * the result (the exam is finished and its answers are in reviews by then).
 */
export function mockTimeUpView(r: MockResult): Message {
  const s = r.score;
  return message(`Time's up on your ${r.cert.code} practice exam: ${s.right} of ${s.total} right (${s.percent}%).`, [
    header(`Time's up: ${r.cert.code} practice exam, ${s.percent}%`),
    section(`:alarm_clock: Your ${r.cert.code} practice exam ended at ${slackTime(r.endsAt)}, when its time ran out.`),
    ...resultBlocks(r),
  ]);
}

/** Why a click on a finished exam's question was not recorded. */
export function refusedNote(r: MockResult): string | undefined {
  if (r.refused === 'time-up') return `:alarm_clock: Time was up at ${slackTime(r.endsAt)}, so that answer was not recorded. Here is your result.`;
  if (r.refused === 'finished') return ':memo: This practice exam is already finished, so that answer was not recorded. Here is your result.';
  return undefined;
}

function resultBlocks(r: MockResult) {
  const s = r.score;
  const verdict =
    s.passed === undefined ? '' : s.passed ? ' That would likely pass, by our rough estimate.' : ' That is probably short of a pass, by our rough estimate.';
  const lines = s.perDomain
    .filter((d) => d.total > 0)
    .map((d) => `${progressBar(d.right, d.total, 8)} *${d.domain}. ${r.domainNames.get(d.domain) ?? ''}*: ${d.right} of ${d.total}`);
  const why = r.timedOut ? ` Time ran out with ${r.unanswered} unanswered; they count as wrong.` : '';
  return [
    section(`*${s.right} of ${s.total}* right, about *${s.estimatedScaledScore}* on AWS's 100–1000 scale.${verdict}${why}`),
    section(lines.join('\n')),
    context(
      'The scaled score is an estimate: AWS does not publish how answers map onto its scale. Every question you answered is now in your reviews, the wrong ones first: `/aipath review`.',
    ),
  ];
}

/**
 * The exam's question message once its time is up, in place of the question: no answer buttons any more, and where the
 * result is (the time's-up message posted just after it).
 */
export function mockClosedView(r: Pick<MockResult, 'cert' | 'endsAt'>): Message {
  return message(`${r.cert.code} practice exam: time's up.`, [
    section(`*${r.cert.code} practice exam* · :alarm_clock: time was up at ${slackTime(r.endsAt)}, so it takes no more answers.`),
    context('Your result is in the message below, and every question you answered is in your reviews: `/aipath review`.'),
  ]);
}
