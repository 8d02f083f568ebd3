import type { ReviewDays, User } from '../ports/store.js';
import type { Caller, StudyDeps } from './context.js';
import { scheduleNudges, scheduleReminders } from './enrolment.js';

export type SettingChange =
  | { setting: 'time'; value: string }
  | { setting: 'tz'; value: string }
  | { setting: 'leaderboard'; value: boolean }
  | { setting: 'reviews'; value: boolean }
  /** The learner's study days: streaks count them only, and review reminders come on them only. */
  | { setting: 'days'; value: ReviewDays }
  | { setting: 'show' };

export type SettingsResult = { kind: 'shown'; user: User | undefined; tz: string } | { kind: 'changed'; change: Exclude<SettingChange, { setting: 'show' }> };

export type ForgetResult = { kind: 'nothing-stored' } | { kind: 'forgotten'; walCleared: boolean };

/** Shows the caller's settings, or changes one; a new time or timezone moves the next weekly nudge with it. */
export async function settings(deps: StudyDeps, caller: Caller, change: SettingChange): Promise<SettingsResult> {
  const profile = await caller.profile();
  if (change.setting === 'show') return { kind: 'shown', user: await deps.store.users.get(caller.workspaceId, caller.userId), tz: profile.tz };
  const { workspaceId: ws, userId: user } = caller;
  await deps.store.transaction(async (tx) => {
    await tx.users.ensure(ws, user, caller.now);
    if (change.setting === 'time') await tx.users.setNudgeTime(ws, user, change.value);
    else if (change.setting === 'tz') await tx.users.setTzOverride(ws, user, change.value);
    else if (change.setting === 'leaderboard') await tx.users.setOnLeaderboard(ws, user, change.value);
    else if (change.setting === 'days') await tx.users.setReviewDays(ws, user, change.value);
    else {
      await tx.users.setReviewsOn(ws, user, change.value);
      if (change.value) await scheduleReminders(tx, caller, profile.tz);
    }
    // The nudge moves in the timezone as now set.
    const enrolment = await tx.enrolments.current(ws, user);
    const movesNudge = change.setting === 'time' || change.setting === 'tz';
    if (enrolment && movesNudge && (enrolment.status === 'active' || enrolment.status === 'paused')) {
      await scheduleNudges(tx, caller, enrolment.id, change.setting === 'tz' ? change.value : profile.tz, enrolment.startedOn);
    }
  });
  return { kind: 'changed', change };
}

/** Deletes everything stored about the caller, and then the older copies of it in the database's files. */
export async function forgetMe(deps: StudyDeps, caller: Caller): Promise<ForgetResult> {
  if (!(await deps.store.users.forget(caller.workspaceId, caller.userId))) return { kind: 'nothing-stored' };
  // A reader elsewhere (a tick, a backup) can hold old pages in the WAL for a moment: wait for it.
  let cleared = await deps.store.database.purgeDeleted();
  for (let i = 0; i < 20 && !cleared; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    cleared = await deps.store.database.purgeDeleted();
  }
  return { kind: 'forgotten', walCleared: cleared };
}
