import { isoWeekOf, nextDailyAt, nextWeeklyAt } from '../../domain/due.js';
import { localDate } from '../../domain/plan.js';
import { isWeekend } from '../../domain/scoring.js';
import type { DueNudge, Subscription } from '../../ports/store.js';
import type { FallingDue, Schedule } from './kind.js';
import type { WorkspaceZones } from './zones.js';

/**
 * A function of a timezone, a local time and a due instant, remembered for the life of a schedule (one pass): the
 * targets of a due set mostly share all three, and luxon's zone arithmetic is the costliest part of a claim.
 */
export function remembered<V>(compute: (dueAt: Date, tz: string, hhmm: string) => V): (dueAt: Date, tz: string, hhmm: string) => V {
  const seen = new Map<string, V>();
  return (dueAt, tz, hhmm) => {
    const key = `${dueAt.getTime()}|${tz}|${hhmm}`;
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(dueAt, tz, hhmm);
      seen.set(key, value);
    }
    return value;
  };
}

/** A channel's next daily post after the one due at `dueAt`, and the local date that one is for. */
const dailyStep = () => remembered((dueAt, tz, hhmm) => ({ next: nextDailyAt(dueAt, tz, hhmm).toJSDate(), due: { dueAt, period: localDate(dueAt, tz) } }));
/** The next Monday's post after the one due at `dueAt`, and the ISO week that one is for. */
const weeklyStep = () =>
  remembered((dueAt, tz, hhmm): { next: Date; due: FallingDue } => ({
    next: nextWeeklyAt(dueAt, tz, hhmm).toJSDate(),
    due: { dueAt, period: isoWeekOf(localDate(dueAt, tz)) },
  }));

/**
 * A subscribed channel's day (`daily`) or Monday (`weekly`) at its post time, in its timezone. Daily posts fall on
 * Saturdays and Sundays there only while its workspace has weekend posts on (`/aipath admin weekends`); a weekend day
 * off still moves the due time on, so switching weekend posts back on applies from the next day due.
 */
function channelSchedule(period: 'daily' | 'weekly'): Schedule<Subscription> {
  const daily = period === 'daily';
  const step = daily ? dailyStep() : weeklyStep();
  return {
    name: `channel ${period}`,
    grace: period,
    dueSet: `channel-${period}`,
    findDue: (repos, now, limit) => (daily ? repos.subscriptions.dueDaily(now, limit) : repos.subscriptions.dueWeekly(now, limit)),
    step: (sub) => step((daily ? sub.nextDailyAt : sub.nextWeeklyAt)!, sub.tz, sub.postTime),
    advance: (tx, moves) =>
      tx.subscriptions.advanceMany(
        period,
        moves.map(({ target, next }) => ({ target, next: next! })),
      ),
    ...(daily && {
      confirm: async (tx, sub, due) => !isWeekend(due.period) || (await tx.workspaceSettings.get(sub.workspaceId)).weekendPosts,
    }),
    recover: (repos, row) => repos.subscriptions.get(row.workspaceId, row.target),
    workspaceOf: (sub) => sub.workspaceId,
    targetIdOf: (sub) => sub.channelId,
  };
}

export const channelDaily = (): Schedule<Subscription> => channelSchedule('daily');
export const channelWeekly = (): Schedule<Subscription> => channelSchedule('weekly');

/** A learner's Monday at their nudge time. A timed pause that has ended resumes here; other pauses skip the week. */
export function learnerWeekly(zones: WorkspaceZones): Schedule<DueNudge> {
  const step = weeklyStep();
  return {
    name: 'learner weekly',
    grace: 'weekly',
    dueSet: 'learner-weekly',
    findDue: async (repos, now, limit) => zones.knowAll(repos, await repos.enrolments.dueNudges(now, limit)),
    step(e) {
      const dueAt = e.nextNudgeAt!;
      const { next, due } = step(dueAt, zones.ofLearner(e), e.nudgeTime);
      // A pause without an end, or one that ends after this Monday, skips the week.
      if (e.status === 'paused' && (!e.pausedUntil || e.pausedUntil > dueAt)) return { next };
      return { next, due };
    },
    advance: (tx, moves) => tx.enrolments.advanceNudges(moves),
    async confirm(tx, e, _due, now) {
      if (e.status === 'paused') await tx.enrolments.setStatus(e.id, 'active', now);
      return true;
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
