import { isoWeekOf, nextDailyAt, nextWeeklyAt } from '../../domain/due.js';
import { localDate } from '../../domain/plan.js';
import type { DueNudge, Subscription } from '../../ports/store.js';
import type { Schedule } from './kind.js';

/** A subscribed channel's day at its post time, in its timezone. */
export const channelDaily: Schedule<Subscription> = {
  name: 'channel daily',
  grace: 'daily',
  findDue: (repos, now, limit) => repos.subscriptions.dueDaily(now, limit),
  async advance(tx, sub) {
    const dueAt = sub.nextDailyAt!;
    if (!(await tx.subscriptions.advanceDaily(sub, nextDailyAt(dueAt, sub.tz, sub.postTime).toJSDate()))) return undefined;
    return { dueAt, period: localDate(dueAt, sub.tz) };
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

/** The timezone a learner's week runs in: their own choice, then Slack's, then the workspace default. */
export const learnerTz = (e: Pick<DueNudge, 'tzOverride' | 'slackTz'>, fallback: string) => e.tzOverride ?? e.slackTz ?? fallback;

/** A learner's Monday at their nudge time. A timed pause that has ended resumes here; other pauses skip the week. */
export function learnerWeekly(defaultTimezone: string): Schedule<DueNudge> {
  return {
    name: 'learner weekly',
    grace: 'weekly',
    findDue: (repos, now, limit) => repos.enrolments.dueNudges(now, limit),
    async advance(tx, e, now) {
      const tz = learnerTz(e, defaultTimezone);
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
