import type { DateTime } from 'luxon';
import type { Certification, Track } from '../content/schema.js';
import { nextDailyAt, nextNudgeAt, nextWeeklyAt, pauseEndsAt } from '../domain/due.js';
import { localDate, planPosition, weekStartsOn } from '../domain/plan.js';
import { POINTS } from '../domain/scoring.js';
import type { Enrolment, Repositories } from '../ports/store.js';
import { recordStudyAction } from './activity.js';
import type { Caller, NotFound, StudyDeps } from './context.js';
import { adminNotices } from './notices.js';
import { effectiveEnrolment, type LearnerProgress, learnerProgress, nextNudgeText } from './progress.js';

export type NotEnrolled = { kind: 'not-enrolled' };

export type StartResult =
  | NotFound
  | { kind: 'enrolled'; track: Track; certs: Certification[]; week: number; resumed: boolean; alreadyCurrent: boolean; nextNudge: string };

/** `notices`: what needs an admin's attention, shown to admins whether or not they are on a track. */
export type StatusResult = (NotEnrolled | { kind: 'status'; progress: LearnerProgress }) & { notices: string[] };

export type DoneResult =
  | NotEnrolled
  | { kind: 'left'; track: Track }
  | { kind: 'already-done'; week: number; title: string }
  /** `/aipath done <week>` for a week not started yet: it starts on `startsOn` (a local date). */
  | { kind: 'future-week'; week: number; current: number; startsOn: string }
  | { kind: 'no-such-week'; week: number; totalWeeks: number; track: Track }
  | { kind: 'done'; week: number; title: string; earned: number; streak: number; current: boolean };

export type PauseResult = NotEnrolled | { kind: 'nothing-to-pause'; track: Track } | { kind: 'paused'; until?: DateTime; nextNudge: string };

export type ResumeResult =
  | NotEnrolled
  | { kind: 'left'; track: Track }
  | { kind: 'already-on'; track: Track }
  | { kind: 'resumed'; track: Track; nextNudge: string };

export type StopResult = NotEnrolled | { kind: 'already-left'; track: Track } | { kind: 'stopped'; track: Track };

/** Joins a track (or comes back to one, with its progress); a second start on the current track changes nothing. */
export async function start(deps: StudyDeps, caller: Caller, query: string): Promise<StartResult> {
  const found = deps.lookups.tracks.find(query);
  if (found.kind !== 'found') {
    const candidates = found.kind === 'ambiguous' ? found.candidates.map((t) => ({ id: t.id, label: t.title })) : [];
    return { kind: 'not-found', query, candidates, ambiguous: true };
  }
  const track = found.item;
  const { tz } = await caller.profile();
  const today = localDate(caller.now, tz);
  const { enrolment, resumed, alreadyCurrent } = await deps.store.transaction(async (tx) => {
    await tx.users.ensure(caller.workspaceId, caller.userId, caller.now);
    const current = await tx.enrolments.current(caller.workspaceId, caller.userId);
    if (current?.trackId === track.id && current.status !== 'stopped') return { enrolment: current, resumed: false, alreadyCurrent: true };
    const switched = await tx.enrolments.switchTo(caller.workspaceId, caller.userId, track.id, today, caller.now);
    await scheduleNudges(tx, caller, switched.enrolment.id, tz, switched.enrolment.startedOn);
    return { ...switched, alreadyCurrent: false };
  });
  return {
    kind: 'enrolled',
    track,
    certs: track.certifications.map((id) => deps.content.certification(id)).filter((c) => c !== undefined),
    week: planPosition(track, enrolment.startedOn, today).week,
    resumed,
    alreadyCurrent,
    nextNudge: await nextNudgeText(deps, caller, tz, enrolment),
  };
}

/**
 * The weekly nudge falls due on the learner's next local Monday at their nudge time; never on the day they joined
 * (`startedOn`, the enrolment's local join date): the first nudge opens week 2 (see weekNumber in plan.ts).
 */
export async function scheduleNudges(tx: Repositories, caller: Caller, enrolmentId: number, tz: string, startedOn?: string): Promise<void> {
  const nudgeTime = (await tx.users.get(caller.workspaceId, caller.userId))?.nudgeTime ?? '09:00';
  const next = startedOn ? nextNudgeAt(caller.now, tz, nudgeTime, startedOn) : nextWeeklyAt(caller.now, tz, nudgeTime);
  await tx.enrolments.setNextNudge(enrolmentId, next.toJSDate());
  await scheduleReminders(tx, caller, tz);
}

/** The daily review reminder falls due at the learner's nudge time, from their next such time on. */
export async function scheduleReminders(tx: Repositories, caller: Caller, tz: string): Promise<void> {
  const nudgeTime = (await tx.users.get(caller.workspaceId, caller.userId))?.nudgeTime ?? '09:00';
  await tx.reviews.setNextReminder(caller.workspaceId, caller.userId, nextDailyAt(caller.now, tz, nudgeTime).toJSDate());
}

/** The caller's current enrolment with its track, if they have one. */
async function current(deps: StudyDeps, caller: Caller): Promise<{ enrolment: Enrolment; track: Track } | undefined> {
  const enrolment = await deps.store.enrolments.current(caller.workspaceId, caller.userId);
  const track = enrolment && deps.content.track(enrolment.trackId);
  return enrolment && track ? { enrolment, track } : undefined;
}

/** Where the learner stands, and for an admin what needs their attention. */
export async function status(deps: StudyDeps, caller: Caller): Promise<StatusResult> {
  const profile = await caller.profile();
  const notices = profile.isAdmin ? await adminNotices(deps, caller.workspaceId) : [];
  const cur = await current(deps, caller);
  if (!cur) return { kind: 'not-enrolled', notices };
  return { kind: 'status', progress: await learnerProgress(deps, caller, profile.tz, cur.enrolment, cur.track), notices };
}

/**
 * Marks a week's milestone done, once, with its points and the day's study: this week's without `week`, or a past
 * week's to catch up. A week not started yet, or beyond the track, is refused and changes nothing.
 */
export async function done(deps: StudyDeps, caller: Caller, week?: number): Promise<DoneResult> {
  const cur = await current(deps, caller);
  if (!cur) return { kind: 'not-enrolled' };
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return { kind: 'left', track };
  const { tz } = await caller.profile();
  const position = planPosition(track, enrolment.startedOn, localDate(caller.now, tz));
  const target = week ?? position.week;
  if (target > position.totalWeeks) return { kind: 'no-such-week', week: target, totalWeeks: position.totalWeeks, track };
  if (target > position.week) return { kind: 'future-week', week: target, current: position.week, startsOn: weekStartsOn(enrolment.startedOn, target) };
  const title = track.weeks[target - 1]!.title;
  const outcome = await deps.store.transaction(async (tx) => {
    if (!(await tx.enrolments.markDone(enrolment.id, target, caller.now))) return undefined;
    const paid = await tx.points.award(caller.workspaceId, caller.userId, 'milestone', `${enrolment.id}:${target}`, POINTS.milestone, caller.now);
    const study = await recordStudyAction(tx, caller.workspaceId, caller.userId, tz, caller.now);
    return { earned: (paid ? POINTS.milestone : 0) + study.bonus, streak: study.streak };
  });
  if (!outcome) return { kind: 'already-done', week: target, title };
  return { kind: 'done', week: target, title, current: target === position.week, ...outcome };
}

/** Pauses the weekly nudges, for `days` or until resumed. */
/**
 * Pauses the weekly nudges: until resumed, for `days` (ending at the start of the learner's local day then),
 * or `snooze`: exactly the next nudge is skipped (the pause ends at the start of the day after it).
 */
export async function pause(deps: StudyDeps, caller: Caller, days: number | 'snooze' | undefined): Promise<PauseResult> {
  const cur = await current(deps, caller);
  if (!cur) return { kind: 'not-enrolled' };
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped' || enrolment.status === 'finished') return { kind: 'nothing-to-pause', track };
  const { tz } = await caller.profile();
  const user = await deps.store.users.get(caller.workspaceId, caller.userId);
  const skipped = days === 'snooze' ? nextNudgeAt(caller.now, tz, user?.nudgeTime ?? '09:00', enrolment.startedOn) : undefined;
  // A pause of N days ends at the start of the learner's local day N days on (see pauseEndsAt).
  const until = skipped ? skipped.startOf('day').plus({ days: 1 }) : days && days !== 'snooze' ? pauseEndsAt(caller.now, tz, days) : undefined;
  await deps.store.enrolments.setStatus(enrolment.id, 'paused', caller.now, {
    pausedUntil: until?.toJSDate() ?? null,
    reason: skipped ? 'skipping one nudge' : days ? `for ${days} day${days === 1 ? '' : 's'}` : 'by you',
  });
  const paused = { ...enrolment, status: 'paused' as const, pausedUntil: until?.toJSDate() ?? null };
  return { kind: 'paused', until: until?.setZone(tz), nextNudge: await nextNudgeText(deps, caller, tz, paused) };
}

/** Turns paused nudges back on; a track the learner left is rejoined only with `start`. */
export async function resume(deps: StudyDeps, caller: Caller): Promise<ResumeResult> {
  const cur = await current(deps, caller);
  if (!cur) return { kind: 'not-enrolled' };
  const { enrolment, track } = cur;
  // Leaving a track is undone by choosing it again, so that nobody restarts it by accident.
  if (enrolment.status === 'stopped') return { kind: 'left', track };
  if (enrolment.status !== 'paused') return { kind: 'already-on', track };
  // A timed pause that has ended is over already: the stored status catches up (the scheduler would at the next
  // nudge), and the nudge keeps its time.
  if (effectiveEnrolment(enrolment, caller.now).status !== 'paused') {
    await deps.store.enrolments.setStatus(enrolment.id, 'active', caller.now);
    return { kind: 'already-on', track };
  }
  const { tz } = await caller.profile();
  await deps.store.transaction(async (tx) => {
    await tx.enrolments.setStatus(enrolment.id, 'active', caller.now);
    await scheduleNudges(tx, caller, enrolment.id, tz, enrolment.startedOn);
  });
  return { kind: 'resumed', track, nextNudge: await nextNudgeText(deps, caller, tz, { ...enrolment, status: 'active' }) };
}

/** Leaves the current track; its progress is kept for a later `start`. */
export async function stop(deps: StudyDeps, caller: Caller): Promise<StopResult> {
  const cur = await current(deps, caller);
  if (!cur) return { kind: 'not-enrolled' };
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return { kind: 'already-left', track };
  await deps.store.enrolments.setStatus(enrolment.id, 'stopped', caller.now, { reason: 'left the track' });
  return { kind: 'stopped', track };
}
