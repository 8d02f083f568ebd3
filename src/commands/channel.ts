import { formatLocal, nextDailyAt, nextWeeklyAt } from '../domain/due.js';
import { noticeView } from '../slack/views/help.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

const adminsOnly = (deps: StudyDeps): Reply =>
  ephemeral(
    noticeView(
      `Only workspace admins and owners${deps.admins.length ? ` and ${deps.admins.map((a) => `<@${a}>`).join(', ')}` : ''} can change what aipath posts in a channel. Ask one of them to run this command.`,
      ':lock:',
    ),
  );

export async function subscribe(deps: StudyDeps, ctx: CommandContext, args: { time?: string; tz?: string; track?: string }): Promise<Reply> {
  if (!(await ctx.profile()).isAdmin) return adminsOnly(deps);
  let trackId: string | null = null;
  if (args.track) {
    const found = deps.lookups.tracks.find(args.track);
    if (found.kind !== 'found')
      return ephemeral(noticeView(`There is no track called \`${args.track}\`. Tracks: ${deps.content.tracks.map((t) => `\`${t.id}\``).join(', ')}.`, ':mag:'));
    trackId = found.item.id;
  }
  const existing = await deps.store.subscriptions.get(ctx.workspaceId, ctx.channelId);
  const time = args.time ?? existing?.postTime ?? '09:00';
  const tz = args.tz ?? existing?.tz ?? deps.defaultTimezone;
  const nextDaily = nextDailyAt(ctx.now, tz, time);
  await deps.store.subscriptions.upsert(
    {
      ws: ctx.workspaceId,
      channel: ctx.channelId,
      time,
      tz,
      track: trackId,
      by: ctx.userId,
      nextDaily: nextDaily.toJSDate(),
      nextWeekly: nextWeeklyAt(ctx.now, tz, time).toJSDate(),
    },
    ctx.now,
  );
  const what = trackId ? `tips for the *${deps.content.track(trackId)!.title}* track` : 'tips from every track';
  return {
    ...noticeView(
      `<#${ctx.channelId}> ${existing ? 'now gets' : 'will get'} a daily exam tip and quiz at *${time} ${tz}* (${what}), and the team leaderboard on Mondays. First post: ${formatLocal(nextDaily)}.`,
      ':calendar:',
    ),
    responseType: 'in_channel',
  };
}

export async function unsubscribe(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  if (!(await ctx.profile()).isAdmin) return adminsOnly(deps);
  const removed = await deps.store.subscriptions.remove(ctx.workspaceId, ctx.channelId);
  return removed
    ? { ...noticeView(`aipath stopped posting in <#${ctx.channelId}>. Learners keep their progress.`, ':no_bell:'), responseType: 'in_channel' }
    : ephemeral(noticeView(`<#${ctx.channelId}> is not subscribed, so nothing changed.`));
}
