import type { Certification } from '../../content/schema.js';
import { progressBar } from '../../domain/plan.js';
import type { SetExamResult, ShowExamResult } from '../../services/exam.js';
import type { NewQuota } from '../../domain/review/exam-plan.js';
import type { Readiness, Regraded, ReviewAnswer, ReviewStep } from '../../services/reviews.js';
import { ACTIONS } from '../action-ids.js';
import { actions, context, header, message, section } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { didYouMeanView } from '../views/lookup.js';
import { reviewCardView, reviewFeedbackView } from '../views/quiz.js';
import { planLine } from '../views/exam.js';
import { ephemeral, type Reply } from './reply.js';

const NO_EXAM = 'Reviews follow the exam you study for: set one with `/aipath exam aif-c01 2027-02-15`, or join a track with `/aipath start <track>`.';

const percent = (share: number) => `${Math.round(share * 100)}%`;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "3 of 10 new today": the day's new questions against the exam plan's pace. */
const newTodayText = (q: NewQuota) => `${q.today} of ${q.cap} new today`;

/** A review session's next step, replacing the message it was asked from. */
export function presentReviewStep(step: ReviewStep): Reply {
  if (step.kind === 'no-exam') return ephemeral(noticeView(NO_EXAM, ':brain:'));
  if (step.kind === 'card') {
    // A new question past today's quota carries it, so the session goes on past the quota after it.
    const pastQuota = step.newToday !== undefined && step.newToday.today >= step.newToday.cap;
    const key = { questionId: step.question.id, reps: step.reps, ...(pastQuota ? { pastQuota } : {}) };
    return { ...ephemeral(reviewCardView(step.question, key, step)), replaceOriginal: true };
  }
  const when = step.nextDue ? `Your next review is due ${step.nextDue.toISOString().slice(0, 16).replace('T', ' ')} UTC.` : 'No reviews are scheduled yet.';
  if (step.kind === 'quota-met') {
    const q = step.newToday;
    const text = `That's your ${plural(q.cap, 'new question')} for today (${newTodayText(q)}).`;
    return {
      ...ephemeral(
        message(`${text} ${when}`, [
          section(
            `:white_check_mark: *${text}* That is your exam plan's pace: it sees every ${step.cert.code} question by ${q.by}, keeping the last week before the exam for reviews. Nothing is due right now. ${when}`,
          ),
          section(`You can still choose more new questions now (${step.unseen} left):`),
          actions([{ text: 'More new questions', ...ACTIONS.reviewMore.ref() }]),
        ]),
      ),
      replaceOriginal: true,
    };
  }
  const more = step.unseen > 0 ? `${step.unseen} ${step.cert.code} questions are still new to you.` : `You have seen every ${step.cert.code} question.`;
  const q = step.newToday;
  const quotaMet = q !== undefined && q.today >= q.cap;
  const pace = q ? ` ${newTodayText(q)}${quotaMet ? ", your plan's pace; you can still choose more." : '.'}` : '';
  const button =
    step.unseen === 0
      ? []
      : [
          actions([
            quotaMet
              ? { text: 'More new questions', ...ACTIONS.reviewMore.ref() }
              : { text: 'New questions', ...ACTIONS.reviewNew.ref(), style: 'primary' as const },
          ]),
        ];
  return {
    ...ephemeral(
      message(`Nothing to review right now. ${when}`, [section(`:white_check_mark: *Nothing to review right now.* ${when}\n${more}${pace}`), ...button]),
    ),
    replaceOriginal: true,
  };
}

export function presentReviewAnswer(r: ReviewAnswer): Reply {
  switch (r.kind) {
    case 'gone':
      return ephemeral(noticeView('That question is no longer available. `/aipath review` picks up with the next one.'));
    case 'incomplete':
      return ephemeral(noticeView(`${r.reason} Nothing was recorded yet.`, ':point_up:'));
    case 'already-graded':
      return ephemeral(noticeView(`You already answered this card; it comes back ${r.comesBack}.`, ':brain:'));
    case 'graded':
      return { ...ephemeral(reviewFeedbackView(r)), replaceOriginal: true };
  }
}

export function presentRegraded(r: Regraded): Reply {
  if (r.kind === 'stale') return ephemeral(noticeView('That answer was already graded again or reviewed since; nothing changed.', ':brain:'));
  const said = r.feel === 'guessed' ? 'a guess' : 'too easy';
  return ephemeral(noticeView(`Noted as ${said}: the card now comes back ${r.comesBack}.`, ':brain:'));
}

/** Readiness by domain: an estimate, said to be one, with what it rests on. */
export function presentReadiness(r: Readiness): Reply {
  const lines = r.domains.map(
    (d) =>
      `${progressBar(d.readiness, 1, 8)} *${d.domain}. ${d.name}* (${d.weight}% of the exam) · seen ${d.seen} of ${d.total}${d.accuracy === null ? '' : `, ${percent(d.accuracy)} right`}`,
  );
  const basis = `from ${r.overall.answered} answer${r.overall.answered === 1 ? '' : 's'}, ${r.overall.total ? percent(r.overall.seen / r.overall.total) : '0%'} of the question bank`;
  return ephemeral(
    message(`${r.cert.code} readiness: ${percent(r.overall.readiness)} (${basis})`, [
      header(`${r.cert.code} readiness: ${percent(r.overall.readiness)}`),
      section(lines.join('\n')),
      context(
        `An estimate of the share of each domain's questions you would answer right today (${basis}), weighted by the exam guide. It is not a pass probability: the bank is not the exam, and AWS scales scores.`,
      ),
      actions([{ text: 'Review now', ...ACTIONS.reviewNew.ref(), style: 'primary' }]),
    ]),
  );
}

const retiredText = (cert: Certification, successor: Certification | undefined, note: string | undefined) =>
  `${cert.code} is retired.${successor ? ` AWS names ${successor.code} (${successor.name}) as its successor: \`/aipath exam ${successor.id} <YYYY-MM-DD>\`.` : note ? ` ${note}` : ''}`;

export function presentSetExam(r: SetExamResult): Reply {
  switch (r.kind) {
    case 'not-found':
      return ephemeral(didYouMeanView('cert', r.query, r.candidates, r.ambiguous));
    case 'retired':
      return ephemeral(noticeView(retiredText(r.cert, r.successor, r.note), ':no_entry:'));
    case 'after-last-date':
      return ephemeral(noticeView(`${r.cert.code} can be taken until ${r.lastExamDate} only; pick a date on or before it.`, ':no_entry:'));
    case 'not-yet-open':
      return ephemeral(noticeView(`${r.cert.code} opens on ${r.available}; pick a date from then on.`, ':no_entry:'));
    case 'no-bank':
      return ephemeral(noticeView(`aipath has no practice questions for ${r.cert.code} yet, so it cannot plan reviews for it.`, ':no_entry:'));
    case 'bad-date': {
      const e = r.error;
      const why =
        e.kind === 'malformed'
          ? `Write the date as YYYY-MM-DD, for example \`/aipath exam ${r.cert.id} ${e.example}\`.`
          : e.kind === 'past'
            ? `That date has passed (today is ${e.today}).`
            : `That is more than two years away; pick a date up to ${e.latest}.`;
      return ephemeral(noticeView(why, ':calendar:'));
    }
    case 'set':
      return ephemeral(noticeView(`Exam set: ${planLine(r.plan)}. \`/aipath review\` works toward it.`, ':calendar:'));
  }
}

export function presentShowExam(r: ShowExamResult): Reply {
  if (r.kind === 'none') return ephemeral(noticeView('No exam date set. Set one with `/aipath exam aif-c01 2027-02-15` to plan back from it.', ':calendar:'));
  return ephemeral(noticeView(`${planLine(r.plan)}. Change it with \`/aipath exam <exam> <YYYY-MM-DD>\` or \`/aipath exam clear\`.`, ':calendar:'));
}

export function presentClearExam(r: { kind: 'cleared' | 'none' }): Reply {
  return ephemeral(noticeView(r.kind === 'cleared' ? 'Exam date cleared.' : 'There was no exam date to clear.', ':calendar:'));
}
