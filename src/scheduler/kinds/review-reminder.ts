import { DateTime } from 'luxon';
import { zoneOf } from '../../domain/timezone.js';
import { nextDailyAt } from '../../domain/due.js';
import { localDate } from '../../domain/plan.js';
import type { ReminderTarget } from '../../ports/store.js';
import { reviewReminderView } from '../../slack/views/nudge.js';
import type { DeliveryKindSpec, Schedule } from './kind.js';
import type { WorkspaceZones } from './zones.js';

/** About a minute a card: reading the question, answering, and the explanation. */
const MINUTES_A_CARD = 1;

/**
 * A learner's study day at their nudge time. Only a due time that is that slot sends a reminder (an instant
 * set otherwise, as by the migration that introduced reminders, just moves on to the next slot), only on a
 * study day with at least one card due, and only for the latest slot: after downtime, a reminder for a past
 * day helps nobody, so the days missed are skipped rather than recorded.
 */
export function learnerDaily(zones: WorkspaceZones): Schedule<ReminderTarget> {
  // Learners due at one instant share a few (timezone, nudge time) pairs: the date arithmetic is done once
  // for each within a pass (this schedule lives for one pass).
  const slots = new Map<string, { due: DateTime | undefined; next: Date; period: string | undefined }>();
  const slotPlan = (tz: string, nudgeTime: string, dueAt: Date, now: Date) => {
    const key = `${tz}|${nudgeTime}|${dueAt.getTime()}|${now.getTime()}`;
    let plan = slots.get(key);
    if (!plan) {
      const [hour, minute] = nudgeTime.split(':').map(Number) as [number, number];
      const slotOf = (d: DateTime) => d.set({ hour, minute, second: 0, millisecond: 0 });
      const onSlot = slotOf(DateTime.fromJSDate(dueAt, { zone: zoneOf(tz) })).toMillis() === dueAt.getTime();
      const today = slotOf(DateTime.fromJSDate(now, { zone: zoneOf(tz) }));
      const latest = today.toMillis() <= now.getTime() ? today : slotOf(today.minus({ days: 1 }));
      const due = onSlot ? DateTime.max(latest, DateTime.fromJSDate(dueAt, { zone: zoneOf(tz) })) : undefined;
      plan = {
        due,
        next: nextDailyAt(due ? due.toJSDate() : new Date(Math.max(dueAt.getTime(), now.getTime())), tz, nudgeTime).toJSDate(),
        period: due && localDate(due.toJSDate(), tz),
      };
      slots.set(key, plan);
    }
    return plan;
  };
  return {
    name: 'learner daily',
    grace: 'daily',
    dueSet: 'learner-daily',
    findDue: async (repos, now, limit) => zones.knowAll(repos, await repos.reviews.dueReminders(now, limit)),
    step(t, now) {
      const { due, next, period } = slotPlan(zones.ofLearner(t), t.nudgeTime, t.nextReminderAt, now);
      if (!due || (t.reviewDays === 'weekdays' && due.weekday >= 6)) return { next };
      return { next, due: { dueAt: due.toJSDate(), period: period! } };
    },
    advance: (tx, moves) => tx.reviews.advanceReminders(moves),
    async confirm(tx, t, { dueAt }) {
      // The due set counted the cards due at the stored time; a later slot (after downtime) counts again.
      const cards = dueAt.getTime() === t.nextReminderAt.getTime() ? t.dueCards : await tx.reviews.dueCount(t.workspaceId, t.userId, dueAt);
      return cards > 0;
    },
    async recover(repos, row) {
      const user = await repos.users.get(row.workspaceId, row.target);
      return user && { ...user, nextReminderAt: row.dueAt, dueCards: await repos.reviews.dueCount(row.workspaceId, row.target, row.dueAt) };
    },
    workspaceOf: (t) => t.workspaceId,
    targetIdOf: (t) => t.userId,
  };
}

/** The learner's DM on a day with reviews due: how many, about how long, and a button to start. */
export const reviewReminder: DeliveryKindSpec<ReminderTarget> = {
  kind: 'review_reminder',
  async compose({ services: { store }, slack, now }, t, row) {
    const due = await store.reviews.dueCount(t.workspaceId, t.userId, now);
    // Reviewed since the claim: nothing to remind of.
    if (due === 0) return undefined;
    const channel = (await store.users.get(t.workspaceId, t.userId))?.dmChannel ?? (await slack.openDm(t.userId));
    return { channel, message: reviewReminderView(due, Math.max(1, Math.round(due * MINUTES_A_CARD)), row.late), contentId: String(due) };
  },
  async afterSent({ services: { store } }, t, _row, sent) {
    await store.users.setDmChannel(t.workspaceId, t.userId, sent.channel);
  },
  async onTargetError({ services: { store } }, t) {
    // A learner Slack will not let us DM gets no more reminders until they turn them on again.
    await store.users.setReviewsOn(t.workspaceId, t.userId, false);
  },
};
