import { localDate, planPosition } from '../../core/plan.js';
import { congratulationsView, weeklyNudgeView } from '../../slack/views/nudge.js';
import type { DueNudgeRow } from '../../store/enrolments.js';
import type { DeliveryKindSpec, KindContext } from './kind.js';
import { learnerTz } from './schedules.js';

const FINISHED = 'finished';

/** The learner's Monday DM: this week's milestone and last week's result, or a congratulation at the end. */
export function weeklyNudge(defaultTimezone: string): DeliveryKindSpec<DueNudgeRow> {
  return {
    kind: 'weekly_nudge',
    async compose({ services: { content, stores }, slack }: KindContext, e, row) {
      const track = content.track(e.track_id);
      if (!track) return undefined;
      const position = planPosition(track, e.started_on, localDate(new Date(row.due_at), learnerTz(e, defaultTimezone)));
      // The DM channel never changes: asked of Slack once, then kept (conversations.open is Tier 3).
      const channel = stores.users.get(e.workspace_id, e.user_id)?.dm_channel ?? (await slack.openDm(e.user_id));
      if (position.finished) return { channel, message: congratulationsView(track), contentId: FINISHED };
      const done = stores.enrolments.doneWeeks(e.id);
      const message = weeklyNudgeView({
        track,
        week: position.week,
        milestone: position.milestone!,
        lastWeekDone: position.week > 1 ? done.includes(position.week - 1) : undefined,
        doneCount: done.length,
        late: row.late === 1,
      });
      return { channel, message, contentId: `week-${position.week}` };
    },
    async afterSent({ services: { stores }, now }, e, _row, sent) {
      stores.users.setDmChannel(e.workspace_id, e.user_id, sent.channel);
      if (sent.contentId === FINISHED) {
        stores.enrolments.setStatus(e.id, 'finished', now);
        stores.enrolments.setNextNudge(e.id, null);
      }
    },
    onTargetError({ services: { stores }, now }, e, reason) {
      stores.enrolments.setStatus(e.id, 'paused', now, { reason: `Slack: ${reason}` });
    },
  };
}
