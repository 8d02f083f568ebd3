import type { ExamPlan } from '../../services/exam.js';
import type { StudyPicture } from '../../services/progress.js';

const dayWord = (n: number) => (n === 1 ? '1 day' : `${n} days`);
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** One line on the plan: the countdown, the pace of the track, new questions a day. */
export function planLine(p: ExamPlan): string {
  const countdown = p.daysLeft > 0 ? `${dayWord(p.daysLeft)} to ${p.cert.code} (${p.date})` : `${p.cert.code} is today (${p.date})`;
  const pace =
    p.pace?.kind === 'behind'
      ? ` · ${p.pace.weeksBehind} week${p.pace.weeksBehind === 1 ? '' : 's'} behind${p.pace.combine[0] ? `: combine weeks ${p.pace.combine[0].join(' and ')}` : ''}`
      : p.pace?.kind === 'on-track'
        ? ' · on track'
        : '';
  const fresh =
    p.unseen > 0 ? ` · ${p.newQuestions.perDay} new question${p.newQuestions.perDay === 1 ? '' : 's'} a day to see all ${p.bank} by ${p.newQuestions.by}` : '';
  return `${countdown}${pace}${fresh}`;
}

/** Status and Home fields for the exam the learner studies for: the plan or readiness, and reviews due. */
export function studyFields(s: StudyPicture): string[] {
  const exam = s.plan ? planLine(s.plan) : `${s.cert.code}, no date set (\`/aipath exam ${s.cert.id} <YYYY-MM-DD>\`)`;
  return [
    `*Exam*\n${exam}`,
    `*Readiness*\n${percent(s.readiness)} for ${s.cert.code} (\`/aipath readiness\`)`,
    `*Reviews due*\n${s.reviewsDue}${s.reviewsDue ? ' (`/aipath review`)' : ''}`,
  ];
}
