import { channelDaily, channelWeekly, learnerWeekly } from './schedules.js';
import { scheduled, type ScheduledKinds } from './kind.js';
import { dailyQuiz } from './daily-quiz.js';
import { dailyTip } from './daily-tip.js';
import { weeklyLeaderboard } from './weekly-leaderboard.js';
import { weeklyNudge } from './weekly-nudge.js';
import { learnerDaily, reviewReminder } from './review-reminder.js';
import { mockDeadlines, mockTimeUp } from './mock-time-up.js';
import { workspaceZones } from './zones.js';

/**
 * Every delivery kind, on its schedule, for one pass. A new kind is a file in this folder and a line here.
 * `defaultTimezone` is AIPATH_TIMEZONE, for workspaces without a timezone of their own.
 */
export function deliveryKinds(defaultTimezone: string): ScheduledKinds[] {
  const zones = workspaceZones(defaultTimezone);
  return [
    // First: of everything due at once, the learner who just ran out of time waits least.
    scheduled(mockDeadlines(), [mockTimeUp]),
    scheduled(channelDaily(), [dailyTip, dailyQuiz]),
    scheduled(learnerWeekly(zones), [weeklyNudge(zones)]),
    scheduled(channelWeekly(), [weeklyLeaderboard()]),
    scheduled(learnerDaily(zones), [reviewReminder]),
  ];
}
