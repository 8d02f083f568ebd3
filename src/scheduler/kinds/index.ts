import { channelDaily, channelWeekly, learnerWeekly } from './schedules.js';
import { scheduled, type ScheduledKinds } from './kind.js';
import { dailyQuiz } from './daily-quiz.js';
import { dailyTip } from './daily-tip.js';
import { weeklyLeaderboard } from './weekly-leaderboard.js';
import { weeklyNudge } from './weekly-nudge.js';
import { learnerDaily, reviewReminder } from './review-reminder.js';

/** Every delivery kind, on its schedule (made for one pass). A new kind is a file in this folder and a line here. */
export function deliveryKinds(defaultTimezone: string): ScheduledKinds[] {
  return [
    scheduled(channelDaily(), [dailyTip, dailyQuiz]),
    scheduled(learnerWeekly(defaultTimezone), [weeklyNudge(defaultTimezone)]),
    scheduled(channelWeekly(), [weeklyLeaderboard]),
    scheduled(learnerDaily(defaultTimezone), [reviewReminder]),
  ];
}
