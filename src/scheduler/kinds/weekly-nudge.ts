import { localDate, planPosition } from '../../domain/plan.js';
import { congratulationsView, weeklyNudgeView } from '../../slack/views/nudge.js';
import type { Content } from '../../content/load.js';
import type { Delivery, DueNudge } from '../../ports/store.js';
import type { DeliveryKindSpec, KindContext } from './kind.js';
import { learnerTz } from './schedules.js';

/** The learner's Monday DM: this week's milestone and last week's result, or a congratulation at the end. */
export function weeklyNudge(defaultTimezone: string): DeliveryKindSpec<DueNudge> {
  /** Where the learner's plan stands in the week this delivery is for. */
  const positionOf = (content: Content, e: DueNudge, row: Delivery) => {
    const track = content.track(e.trackId);
    return track && { track, ...planPosition(track, e.startedOn, localDate(row.dueAt, learnerTz(e, defaultTimezone))) };
  };
  return {
    kind: 'weekly_nudge',
    async compose({ services: { content, store }, slack }: KindContext, e, row) {
      const position = positionOf(content, e, row);
      if (!position) return undefined;
      const { track } = position;
      // The DM channel never changes: asked of Slack once, then kept (conversations.open is Tier 3).
      const channel = (await store.users.get(e.workspaceId, e.userId))?.dmChannel ?? (await slack.openDm(e.userId));
      if (position.finished) return { channel, message: congratulationsView(track), contentId: 'congratulations' };
      const done = await store.enrolments.doneWeeks(e.id);
      const message = weeklyNudgeView({
        track,
        week: position.week,
        milestone: position.milestone!,
        lastWeekDone: position.week > 1 ? done.includes(position.week - 1) : undefined,
        doneCount: done.length,
        late: row.late,
      });
      return { channel, message, contentId: `week-${position.week}` };
    },
    async afterSent({ services: { content, store }, now }, e, row, sent) {
      await store.users.setDmChannel(e.workspaceId, e.userId, sent.channel);
      if (positionOf(content, e, row)?.finished) {
        await store.enrolments.setStatus(e.id, 'finished', now);
        await store.enrolments.setNextNudge(e.id, null);
      }
    },
    async onTargetError({ services: { store }, now }, e, reason) {
      await store.enrolments.setStatus(e.id, 'paused', now, { reason, by: 'slack' });
    },
  };
}
