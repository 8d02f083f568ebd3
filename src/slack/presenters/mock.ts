import type { NotFound } from '../../services/context.js';
import type { MockAnswerOutcome, MockResult, MockStart, MockStep } from '../../services/mock.js';
import { noticeView } from '../views/help.js';
import { didYouMeanView } from '../views/lookup.js';
import { mockResultView, refusedNote } from '../views/mock.js';
import { mockQuestionView } from '../views/quiz.js';
import type { SlackFailure } from '../errors.js';
import { ephemeral, type Reply } from './reply.js';

const stepReply = (s: MockStep): Reply => ({
  ...ephemeral(
    mockQuestionView(
      s.question,
      { mockId: s.mock.id, questionId: s.question.id },
      { code: s.cert.code, index: s.index, total: s.total, minutesLeft: s.minutesLeft, endsAt: s.mock.endsAt, shortOf: s.short?.exam },
    ),
  ),
  replaceOriginal: true,
});

/** The result in place of the exam's question; a click that came too late says first that it was not recorded. */
const resultReply = (r: MockResult): Reply => ({ ...ephemeral(mockResultView(r, refusedNote(r))), replaceOriginal: true });

/** An answer's outcome: the next question or the result in place of the question answered, or why nothing changed. */
export function presentMock(r: MockAnswerOutcome): Reply {
  switch (r.kind) {
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

/** Where to find the bot's DM, without a link (a DM's link needs its channel id, which the reply does not know). */
const FIND_DM = 'your direct messages with aipath (under *Apps* in the sidebar)';

/**
 * `/aipath mock [exam]`: the practice exam runs in the learner's DM with the bot, as messages the exam's buttons
 * update in place; the command itself answers where to find it, or why it could not be put there. `undo` runs
 * when Slack refused the DM (the route takes back an exam whose first question never arrived); `posted`, with the
 * message a question went out as (the route keeps it, so that the end of the exam's time can close it).
 */
export function presentMockStart(
  r: MockStart | NotFound,
  undo?: () => Promise<unknown>,
  posted?: (at: { channel: string; ts: string }) => Promise<unknown>,
): Reply {
  switch (r.kind) {
    case 'not-found':
      return ephemeral(didYouMeanView('cert', r.query, r.candidates, r.ambiguous));
    case 'no-exam':
      return ephemeral(noticeView('Which exam? For example `/aipath mock aif-c01`, or set yours with `/aipath exam`.', ':memo:'));
    case 'no-questions':
      return ephemeral(noticeView(`aipath has no practice questions for ${r.cert.code} yet.`, ':memo:'));
    case 'started':
    case 'resumed': {
      const step = r.step;
      const code = step.cert.code;
      const dmMessage = step.kind === 'question' ? stepReply(step) : resultReply(step);
      const what =
        step.kind === 'finished'
          ? `Your last ${code} practice exam ran out of time; its result is in ${FIND_DM}, and its answers are in your reviews. \`/aipath mock\` starts a new one.`
          : r.kind === 'resumed'
            ? `Your ${code} practice exam is still running (question ${step.index} of ${step.total}, ${step.minutesLeft} min left): it goes on in ${FIND_DM}.`
            : `Your ${code} practice exam is in ${FIND_DM}: ${step.total} questions${step.short ? ` (the real exam has ${step.short.exam}; aipath's bank fills ${step.total}, by domain weight)` : ''}, ${step.minutesLeft} minutes, no feedback until the end.`;
      const here =
        step.kind === 'finished'
          ? `Your last ${code} practice exam ran out of time: its result is below, and its answers are in your reviews.`
          : r.kind === 'resumed'
            ? `Your ${code} practice exam goes on below (${step.minutesLeft} min left).`
            : `Your ${code} practice exam starts below: ${step.total} questions, ${step.minutesLeft} minutes, no feedback until the end.`;
      return {
        ...ephemeral(noticeView(what, ':memo:')),
        dm: {
          message: { text: dmMessage.text, blocks: dmMessage.blocks },
          postedHere: ephemeral(noticeView(here, ':memo:')),
          ...(posted && step.kind === 'question' ? { posted } : {}),
          async undelivered(failure) {
            await undo?.();
            const outcome =
              r.kind === 'started'
                ? 'your practice exam did not start'
                : step.kind === 'finished'
                  ? "your last practice exam's result could not be shown"
                  : `your practice exam's question could not be shown (it is still running, ${step.minutesLeft} min left)`;
            return ephemeral(undeliveredView(failure, outcome));
          },
        },
      };
    }
  }
}

/** Why the practice exam could not go to the learner's DM (`exam`: what that meant), and what to do, by kind of failure. */
function undeliveredView(f: SlackFailure, exam: string) {
  switch (f.kind) {
    case 'rate-limited':
      return noticeView(
        `Slack is asking aipath to slow down right now, so ${exam}. Try \`/aipath mock\` again in about ${Math.max(1, Math.ceil(f.retryAfter))} seconds.`,
        ':hourglass_flowing_sand:',
      );
    case 'target':
      return noticeView(
        `Slack would not let aipath send you a direct message (\`${f.reason}\`), so ${exam}. Practice exams run in your DMs with aipath: if your workspace limits messages from apps, ask an admin; meanwhile \`/aipath quiz\` practises here.`,
        ':no_entry:',
      );
    case 'installation':
      return noticeView(`Slack refused aipath's access (\`${f.reason}\`), so ${exam}. A workspace admin can reinstall or re-authorise aipath.`, ':warning:');
    case 'transient':
      return noticeView(`Slack did not take the message (\`${f.reason}\`), so ${exam}. Try \`/aipath mock\` again in a minute.`, ':warning:');
  }
}
