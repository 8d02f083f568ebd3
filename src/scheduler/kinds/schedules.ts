import { isoWeekOf, nextDailyAt, nextWeeklyAt } from '../../domain/due.js';
import { localDate } from '../../domain/plan.js';
import { isWeekend } from '../../domain/scoring.js';
import type { DueNudge, Subscription } from '../../ports/store.js';
import type { Schedule } from './kind.js';
import { learnerZone, type WorkspaceZones } from './zones.js';

/**
 * A subscribed channel's day at its post time, in its timezone; Saturdays and Sundays there only while its workspace
 * has weekend posts on (`/aipath admin weekends`). A weekend day off still moves the due time on, so switching weekend
 * posts back on applies from the next day due.
 */
export const channelDaily: Schedule<Subscription> = {
  name: 'channel daily',
  grace: 'daily',
  findDue: (repos, now, limit) => repos.subscriptions.dueDaily(now, limit),
  async advance(tx, sub) {
    const dueAt = sub.nextDailyAt!;
    if (!(await tx.subscriptions.advanceDaily(sub, nextDailyAt(dueAt, sub.tz, sub.postTime).toJSDate()))) return undefined;
    const day = localDate(dueAt, sub.tz);
    if (isWeekend(day) && !(await tx.workspaceSettings.get(sub.workspaceId)).weekendPosts) return undefined;
    return { dueAt, period: day };
  },
  recover: (repos, row) => repos.subscriptions.get(row.workspaceId, row.target),
  workspaceOf: (sub) => sub.workspaceId,
  targetIdOf: (sub) => sub.channelId,
};

/** A subscribed channel's Monday at its post time. */
export const channelWeekly: Schedule<Subscription> = {
  name: 'channel weekly',
  grace: 'weekly',
  findDue: (repos, now, limit) => repos.subscriptions.dueWeekly(now, limit),
  async advance(tx, sub) {
    const dueAt = sub.nextWeeklyAt!;
    if (!(await tx.subscriptions.advanceWeekly(sub, nextWeeklyAt(dueAt, sub.tz, sub.postTime).toJSDate()))) return undefined;
    return { dueAt, period: isoWeekOf(localDate(dueAt, sub.tz)) };
  },
  recover: (repos, row) => repos.subscriptions.get(row.workspaceId, row.target),
  workspaceOf: (sub) => sub.workspaceId,
  targetIdOf: (sub) => sub.channelId,
};

/** A learner's Monday at their nudge time. A timed pause that has ended resumes here; other pauses skip the week. */
export function learnerWeekly(zones: WorkspaceZones): Schedule<DueNudge> {
  return {
    name: 'learner weekly',
    grace: 'weekly',
    findDue: (repos, now, limit) => repos.enrolments.dueNudges(now, limit),
    async advance(tx, e, now) {
      const tz = await learnerZone(tx, e, zones);
      const dueAt = e.nextNudgeAt!;
      if (!(await tx.enrolments.advanceNudge(e, nextWeeklyAt(dueAt, tz, e.nudgeTime).toJSDate()))) return undefined;
      if (e.status === 'paused') {
        if (!e.pausedUntil || e.pausedUntil > dueAt) return undefined;
        await tx.enrolments.setStatus(e.id, 'active', now);
      }
      return { dueAt, period: isoWeekOf(localDate(dueAt, tz)) };
    },
    async recover(repos, row) {
      const enrolment = await repos.enrolments.current(row.workspaceId, row.target);
      const user = await repos.users.get(row.workspaceId, row.target);
      return enrolment && user ? { ...enrolment, tzOverride: user.tzOverride, slackTz: user.slackTz, nudgeTime: user.nudgeTime } : undefined;
    },
    workspaceOf: (e) => e.workspaceId,
    targetIdOf: (e) => e.userId,
  };
}
