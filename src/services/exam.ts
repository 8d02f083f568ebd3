import type { Certification } from '../content/schema.js';
import { certStatusOn } from '../domain/lifecycle.js';
import { localDate, planPosition } from '../domain/plan.js';
import { daysUntil, type ExamDateError, type NewQuestionPace, newQuestionsPerDay, type Pace, pace, parseExamDate } from '../domain/review/exam-plan.js';
import type { Caller, NotFound, StudyDeps } from './context.js';
import { findCert } from './lookup.js';
import { newInReviewsToday, type Readiness, readinessFor } from './reviews.js';

/** The plan worked back from an exam date: the countdown, the pace of the track, and new questions a day. */
export interface ExamPlan {
  cert: Certification;
  date: string;
  daysLeft: number;
  /** Only while the learner is on a track. */
  pace: Pace | undefined;
  newQuestions: NewQuestionPace;
  unseen: number;
  bank: number;
}

export type SetExamResult =
  | NotFound
  | { kind: 'retired'; cert: Certification; successor: Certification | undefined; note: string | undefined }
  | { kind: 'after-last-date'; cert: Certification; lastExamDate: string }
  | { kind: 'not-yet-open'; cert: Certification; available: string }
  | { kind: 'no-bank'; cert: Certification }
  | { kind: 'bad-date'; cert: Certification; error: ExamDateError }
  | { kind: 'set'; plan: ExamPlan };

export type ShowExamResult = { kind: 'none' } | { kind: 'target'; plan: ExamPlan };

const bankSize = (deps: StudyDeps, cert: string) => deps.content.quiz.filter((q) => q.cert === cert).length;

/** `/aipath exam <exam> <YYYY-MM-DD>`: the learner's target exam and date, refused with the reason when it cannot be. */
export async function setExam(deps: StudyDeps, caller: Caller, examQuery: string, dateText: string): Promise<SetExamResult> {
  const found = findCert(deps, examQuery, caller.now);
  if (found.kind === 'not-found') return found;
  const { cert } = found;
  const { tz } = await caller.profile();
  const today = localDate(caller.now, tz);
  if (certStatusOn(cert, today) === 'retired') {
    const successor = cert.retired?.successor ? deps.content.certification(cert.retired.successor) : undefined;
    return { kind: 'retired', cert, successor, note: cert.retired?.note };
  }
  if (bankSize(deps, cert.id) === 0) return { kind: 'no-bank', cert };
  const date = parseExamDate(dateText, today);
  if (!date.ok) return { kind: 'bad-date', cert, error: date.error };
  if (cert.retired && date.date > cert.retired.lastExamDate) return { kind: 'after-last-date', cert, lastExamDate: cert.retired.lastExamDate };
  if (cert.available && date.date < cert.available) return { kind: 'not-yet-open', cert, available: cert.available };
  await deps.store.transaction(async (tx) => {
    await tx.users.ensure(caller.workspaceId, caller.userId, caller.now);
    await tx.users.setExamTarget(caller.workspaceId, caller.userId, { cert: cert.id, date: date.date });
  });
  return { kind: 'set', plan: (await examPlan(deps, caller, cert, date.date))! };
}

/** The learner's exam target and plan; `known` is their readiness for it when the caller has it already. */
export async function showExam(deps: StudyDeps, caller: Caller, known?: Readiness): Promise<ShowExamResult> {
  const user = await deps.store.users.get(caller.workspaceId, caller.userId);
  const cert = user?.examCert ? deps.content.certification(user.examCert) : undefined;
  if (!user?.examDate || !cert) return { kind: 'none' };
  return { kind: 'target', plan: await examPlan(deps, caller, cert, user.examDate, known?.cert.id === cert.id ? known : undefined) };
}

export async function clearExam(deps: StudyDeps, caller: Caller): Promise<{ kind: 'cleared' | 'none' }> {
  const user = await deps.store.users.get(caller.workspaceId, caller.userId);
  if (!user?.examCert) return { kind: 'none' };
  await deps.store.users.setExamTarget(caller.workspaceId, caller.userId, null);
  return { kind: 'cleared' };
}

/** The learner's exam plan, for the exam and date they set. */
export async function examPlan(deps: StudyDeps, caller: Caller, cert: Certification, date: string, known?: Readiness): Promise<ExamPlan> {
  const { tz } = await caller.profile();
  const today = localDate(caller.now, tz);
  const enrolment = await deps.store.enrolments.current(caller.workspaceId, caller.userId);
  const track = enrolment && enrolment.status !== 'stopped' ? deps.content.track(enrolment.trackId) : undefined;
  let trackPace: Pace | undefined;
  if (enrolment && track) {
    const week = planPosition(track, enrolment.startedOn, today).week;
    // The milestones that lead to this exam: up to the track's last week that prepares for it (all, when none names it).
    const lastForExam = track.weeks.map((w) => w.cert).lastIndexOf(cert.id) + 1;
    const milestones = lastForExam > 0 ? lastForExam : track.weeks.length;
    const done = (await deps.store.enrolments.doneWeeks(enrolment.id)).filter((w) => w <= milestones);
    trackPace = pace({ milestones, currentWeek: week, done, today, examDate: date });
  }
  const readiness = known ?? (await readinessFor(deps, caller, cert));
  const bank = readiness.overall.total;
  const unseen = bank - readiness.overall.seen;
  // The pace as the review session's daily quota counts it: from what was unseen when the day began.
  const newQuestions = newQuestionsPerDay(unseen + (unseen > 0 ? await newInReviewsToday(deps, caller) : 0), today, date);
  return { cert, date, daysLeft: daysUntil(date, today), pace: trackPace, newQuestions, unseen, bank };
}
