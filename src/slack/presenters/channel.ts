import { formatLocal } from '../../domain/due.js';
import type { AdminsOnly, SubscribeResult, UnsubscribeResult } from '../../services/channel.js';
import { noticeView } from '../views/help.js';
import { ephemeral, inChannel, type Reply } from './reply.js';

const adminsOnly = (r: AdminsOnly): Reply =>
  ephemeral(
    noticeView(
      `Only workspace admins and owners${r.admins.length ? ` and ${r.admins.map((a) => `<@${a}>`).join(', ')}` : ''} can change what aipath posts in a channel. Ask one of them to run this command.`,
      ':lock:',
    ),
  );

export function presentSubscribe(r: SubscribeResult): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r);
  if (r.kind === 'unknown-track')
    return ephemeral(noticeView(`There is no track called \`${r.query}\`. Tracks: ${r.tracks.map((t) => `\`${t}\``).join(', ')}.`, ':mag:'));
  const what = r.trackTitle ? `tips for the *${r.trackTitle}* track` : 'tips from every track';
  return inChannel(
    noticeView(
      `<#${r.channel}> ${r.again ? 'now gets' : 'will get'} a daily exam tip and quiz at *${r.time} ${r.tz}* (${what}), and the team leaderboard on Mondays. First post: ${formatLocal(r.firstPost)}.`,
      ':calendar:',
    ),
  );
}

export function presentUnsubscribe(r: UnsubscribeResult): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r);
  if (r.kind === 'not-subscribed') return ephemeral(noticeView(`<#${r.channel}> is not subscribed, so nothing changed.`));
  return inChannel(noticeView(`aipath stopped posting in <#${r.channel}>. Learners keep their progress.`, ':no_bell:'));
}
