import { noticeView } from '../slack/views/help.js';
import { ACTIONS } from '../slack/action-ids.js';
import { message, section, actions } from '../slack/views/blocks.js';
import { scheduleNudges } from './learner.js';
import type { Repositories } from '../ports/store.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

export type SettingChange =
  | { setting: 'time'; value: string }
  | { setting: 'tz'; value: string }
  | { setting: 'leaderboard'; value: boolean }
  | { setting: 'show' };

export async function settings(deps: StudyDeps, ctx: CommandContext, change: SettingChange): Promise<Reply> {
  const profile = await ctx.profile();
  if (change.setting === 'show') return currentSettings(deps, ctx, profile.tz);
  return deps.store.transaction(async (tx) => {
    await tx.users.ensure(ctx.workspaceId, ctx.userId, ctx.now);
    const reply = await applySetting(tx, ctx, change);
    // A new time or timezone moves the next weekly nudge with it (in the timezone as now set).
    const enrolment = await tx.enrolments.current(ctx.workspaceId, ctx.userId);
    if (enrolment && change.setting !== 'leaderboard' && (enrolment.status === 'active' || enrolment.status === 'paused')) {
      await scheduleNudges(tx, ctx, enrolment.id, change.setting === 'tz' ? change.value : profile.tz);
    }
    return reply;
  });
}

/** What `/aipath settings` alone shows: each setting, where it comes from, and how to change it. */
async function currentSettings(deps: StudyDeps, ctx: CommandContext, tz: string): Promise<Reply> {
  const user = await deps.store.users.get(ctx.workspaceId, ctx.userId);
  const tzSource = user?.tzOverride ? 'set by you' : user?.slackTz ? 'from your Slack profile' : "the workspace's default";
  return ephemeral(
    noticeView(
      [
        '*Your settings*',
        `• Weekly nudge: Mondays at *${user?.nudgeTime ?? '09:00'}* (\`/aipath settings time HH:MM\`)`,
        `• Timezone: *${tz}*, ${tzSource} (\`/aipath settings tz Area/City\`)`,
        `• Leaderboards: *${user && !user.onLeaderboard ? 'hidden' : 'shown'}* to others (\`/aipath settings leaderboard on|off\`)`,
      ].join('\n'),
      ':gear:',
    ),
  );
}

async function applySetting(tx: Repositories, ctx: CommandContext, change: Exclude<SettingChange, { setting: 'show' }>): Promise<Reply> {
  const { users } = tx;
  switch (change.setting) {
    case 'time':
      await users.setNudgeTime(ctx.workspaceId, ctx.userId, change.value);
      return ephemeral(noticeView(`Your weekly nudge now comes on Mondays at *${change.value}* your time.`, ':alarm_clock:'));
    case 'tz':
      await users.setTzOverride(ctx.workspaceId, ctx.userId, change.value);
      return ephemeral(noticeView(`Your timezone is now *${change.value}* (instead of your Slack profile's).`, ':earth_africa:'));
    case 'leaderboard':
      await users.setOnLeaderboard(ctx.workspaceId, ctx.userId, change.value);
      return ephemeral(
        noticeView(change.value ? 'You appear on leaderboards again.' : 'You no longer appear on leaderboards; you still see your own standing.', ':trophy:'),
      );
  }
}

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

export async function forgetMe(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const removed = await deps.store.users.forget(ctx.workspaceId, ctx.userId);
  if (!removed) return ephemeral(noticeView('aipath had nothing stored about you.', ':wastebasket:'));
  // A reader elsewhere (a tick, a backup) can hold old pages in the WAL for a moment: wait for it.
  let cleared = await deps.store.database.purgeDeleted();
  for (let i = 0; i < 20 && !cleared; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    cleared = await deps.store.database.purgeDeleted();
  }
  return ephemeral(
    noticeView(
      cleared
        ? 'Done: aipath no longer stores anything about you.'
        : "Done: aipath no longer stores anything about you. An older copy in the database's write-ahead log is cleared at its next checkpoint.",
      ':wastebasket:',
    ),
  );
}
