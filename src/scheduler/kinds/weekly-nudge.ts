import { localDate, planPosition } from '../../domain/plan.js';
import { congratulationsView, weeklyNudgeView } from '../../slack/views/nudge.js';
import type { DueNudge } from '../../ports/store.js';
import type { DeliveryKindSpec, KindContext } from './kind.js';
import { learnerTz } from './schedules.js';

const FINISHED = 'finished';

/** The learner's Monday DM: this week's milestone and last week's result, or a congratulation at the end. */
export function weeklyNudge(defaultTimezone: string): DeliveryKindSpec<DueNudge> {
  return {
    kind: 'weekly_nudge',
    async compose({ services: { content, store }, slack }: KindContext, e, row) {
      const track = content.track(e.trackId);
      if (!track) return undefined;
      const position = planPosition(track, e.startedOn, localDate(row.dueAt, learnerTz(e, defaultTimezone)));
      // The DM channel never changes: asked of Slack once, then kept (conversations.open is Tier 3).
      const channel = (await store.users.get(e.workspaceId, e.userId))?.dmChannel ?? (await slack.openDm(e.userId));
      if (position.finished) return { channel, message: congratulationsView(track), contentId: FINISHED };
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
    async afterSent({ services: { store }, now }, e, _row, sent) {
      await store.users.setDmChannel(e.workspaceId, e.userId, sent.channel);
      if (sent.contentId === FINISHED) {
        await store.enrolments.setStatus(e.id, 'finished', now);
        await store.enrolments.setNextNudge(e.id, null);
      }
    },
    async onTargetError({ services: { store }, now }, e, reason) {
      await store.enrolments.setStatus(e.id, 'paused', now, { reason: `Slack: ${reason}` });
    },
  };
}
