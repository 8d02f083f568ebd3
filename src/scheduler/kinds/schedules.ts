import { isoWeekOf, nextDailyAt, nextWeeklyAt, utcIso } from '../../core/due.js';
import { localDate } from '../../core/plan.js';
import type { DueNudgeRow } from '../../store/enrolments.js';
import type { SubscriptionRow } from '../../store/subscriptions.js';
import type { Schedule } from './kind.js';

/** A subscribed channel's day at its post time, in its timezone. */
export const channelDaily: Schedule<SubscriptionRow> = {
  name: 'channel daily',
  grace: 'daily',
  findDue: ({ stores }, now, limit) => stores.subscriptions.dueDaily(now, limit),
  advance({ stores }, sub) {
    const dueAt = new Date(sub.next_daily_at!);
    if (!stores.subscriptions.advanceDaily(sub, utcIso(nextDailyAt(dueAt, sub.tz, sub.post_time)))) return undefined;
    return { dueAt: sub.next_daily_at!, period: localDate(dueAt, sub.tz) };
  },
  recover: ({ stores }, row) => stores.subscriptions.get(row.workspace_id, row.target),
  workspaceOf: (sub) => sub.workspace_id,
  targetIdOf: (sub) => sub.channel_id,
};

/** A subscribed channel's Monday at its post time. */
export const channelWeekly: Schedule<SubscriptionRow> = {
  name: 'channel weekly',
  grace: 'weekly',
  findDue: ({ stores }, now, limit) => stores.subscriptions.dueWeekly(now, limit),
  advance({ stores }, sub) {
    const dueAt = new Date(sub.next_weekly_at!);
    if (!stores.subscriptions.advanceWeekly(sub, utcIso(nextWeeklyAt(dueAt, sub.tz, sub.post_time)))) return undefined;
    return { dueAt: sub.next_weekly_at!, period: isoWeekOf(localDate(dueAt, sub.tz)) };
  },
  recover: ({ stores }, row) => stores.subscriptions.get(row.workspace_id, row.target),
  workspaceOf: (sub) => sub.workspace_id,
  targetIdOf: (sub) => sub.channel_id,
};

/** The timezone a learner's week runs in: their own choice, then Slack's, then the workspace default. */
export const learnerTz = (e: Pick<DueNudgeRow, 'tz_override' | 'slack_tz'>, fallback: string) => e.tz_override ?? e.slack_tz ?? fallback;

/** A learner's Monday at their nudge time. A timed pause that has ended resumes here; other pauses skip the week. */
export function learnerWeekly(defaultTimezone: string): Schedule<DueNudgeRow> {
  return {
    name: 'learner weekly',
    grace: 'weekly',
    findDue: ({ stores }, now, limit) => stores.enrolments.dueNudges(now, limit),
    advance({ stores }, e, now) {
      const tz = learnerTz(e, defaultTimezone);
      const dueAt = new Date(e.next_nudge_at!);
      if (!stores.enrolments.advanceNudge(e, utcIso(nextWeeklyAt(dueAt, tz, e.nudge_time)))) return undefined;
      if (e.status === 'paused') {
        if (!e.paused_until || Date.parse(e.paused_until) > dueAt.getTime()) return undefined;
        stores.enrolments.setStatus(e.id, 'active', now);
      }
      return { dueAt: e.next_nudge_at!, period: isoWeekOf(localDate(dueAt, tz)) };
    },
    recover({ stores }, row) {
      const enrolment = stores.enrolments.current(row.workspace_id, row.target);
      const user = stores.users.get(row.workspace_id, row.target);
      return enrolment && user ? { ...enrolment, tz_override: user.tz_override, slack_tz: user.slack_tz, nudge_time: user.nudge_time } : undefined;
    },
    workspaceOf: (e) => e.workspace_id,
    targetIdOf: (e) => e.user_id,
  };
}
