import type { ForgetResult, SettingsResult } from '../../services/settings.js';
import { ACTIONS } from '../action-ids.js';
import { actions, message, section } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { ephemeral, type Reply } from './reply.js';

export function presentSettings(r: SettingsResult): Reply {
  if (r.kind === 'shown') {
    const { user, tz } = r;
    const tzSource = user?.tzOverride ? 'set by you' : user?.slackTz ? 'from your Slack profile' : "the workspace's default";
    return ephemeral(
      noticeView(
        [
          '*Your settings*',
          `• Weekly nudge: Mondays at *${user?.nudgeTime ?? '09:00'}* (\`/aipath settings time HH:MM\`)`,
          `• Timezone: *${tz}*, ${tzSource} (\`/aipath settings tz Area/City\`)`,
          `• Leaderboards: *${user && !user.onLeaderboard ? 'hidden' : 'shown'}* to others (\`/aipath settings leaderboard on|off\`)`,
          `• Review reminders: *${user && !user.reviewsOn ? 'off' : 'on'}*, a DM at your nudge time on days with reviews due (\`/aipath settings reviews on|off\`)`,
          `• Study days: ${user?.reviewDays === 'weekdays' ? '*weekdays*, Monday to Friday: weekends neither break nor extend your streak' : '*every day*'} (\`/aipath settings days all|weekdays\`)`,
          `• Exam: ${user?.examCert && user.examDate ? `*${user.examCert.toUpperCase()}* on *${user.examDate}*` : '*none set*'} (\`/aipath exam <exam> <YYYY-MM-DD>\`)`,
        ].join('\n'),
        ':gear:',
      ),
    );
  }
  const { change } = r;
  switch (change.setting) {
    case 'time':
      return ephemeral(noticeView(`Your weekly nudge now comes on Mondays at *${change.value}* your time.`, ':alarm_clock:'));
    case 'tz':
      return ephemeral(noticeView(`Your timezone is now *${change.value}* (instead of your Slack profile's).`, ':earth_africa:'));
    case 'leaderboard':
      return ephemeral(
        noticeView(change.value ? 'You appear on leaderboards again.' : 'You no longer appear on leaderboards; you still see your own standing.', ':trophy:'),
      );
    case 'days':
      return ephemeral(
        noticeView(
          change.value === 'weekdays'
            ? 'Your study days are now weekdays: Saturday and Sunday neither break nor extend your streak, and review reminders come Monday to Friday.'
            : 'Every day is a study day again: each one counts toward your streak.',
          ':calendar:',
        ),
      );
    case 'reviews':
      return ephemeral(
        noticeView(
          change.value
            ? 'Review reminders are on: a DM at your nudge time on days when reviews are due.'
            : 'Review reminders are off. `/aipath review` still works whenever you like.',
          ':brain:',
        ),
      );
  }
}

/** `/aipath forget-me` asks first: deleting cannot be undone. */
export function forgetMeConfirm(): Reply {
  return ephemeral(
    message('Delete everything aipath stores about you? This cannot be undone.', [
      section(':warning: *Delete everything aipath stores about you?* Your tracks, progress, settings and answers go, and this cannot be undone.'),
      actions([
        { text: 'Yes, delete my data', ...ACTIONS.forgetMeConfirm.ref(), style: 'danger' },
        { text: 'Cancel', ...ACTIONS.forgetMeCancel.ref() },
      ]),
    ]),
  );
}

export function presentForgotten(r: ForgetResult): Reply {
  if (r.kind === 'nothing-stored') return ephemeral(noticeView('aipath had nothing stored about you.', ':wastebasket:'));
  return ephemeral(
    noticeView(
      r.walCleared
        ? 'Done: aipath no longer stores anything about you.'
        : "Done: aipath no longer stores anything about you. An older copy in the database's write-ahead log is cleared at its next checkpoint.",
      ':wastebasket:',
    ),
  );
}
