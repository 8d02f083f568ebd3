import { formatLocal } from '../../domain/due.js';
import type { AdminsOnly, SubscribeResult, UnsubscribeResult } from '../../services/channel.js';
import type { SlackOutcome } from '../command-slack.js';
import { postingDays } from '../views/channel.js';
import { noticeView } from '../views/help.js';
import { ephemeral, inChannel, type Reply } from './reply.js';
import { slackRefusalAdvice } from './slack-refusal.js';

export const adminsOnly = (r: AdminsOnly, what = 'change what aipath posts in a channel'): Reply =>
  ephemeral(
    noticeView(
      `Only workspace admins and owners${r.admins.length ? ` and ${r.admins.map((a) => `<@${a}>`).join(', ')}` : ''} can ${what}. Ask one of them to run this command. Nothing was changed.`,
      ':lock:',
    ),
  );

/** The reply to `subscribe`; `intro` is how posting the intro in a newly subscribed channel went. */
export function presentSubscribe(r: SubscribeResult, intro?: SlackOutcome): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r);
  if (r.kind === 'direct-message')
    return ephemeral(
      noticeView(
        "A direct message can't be subscribed: the daily tip and quiz are for a team. Run `/aipath subscribe` in the channel where your team should get them. Nothing was changed.",
        ':speech_balloon:',
      ),
    );
  if (r.kind === 'unknown-track')
    return ephemeral(noticeView(`There is no track called \`${r.query}\`. Tracks: ${r.tracks.map((t) => `\`${t}\``).join(', ')}.`, ':mag:'));
  const what = r.track ? `tips for the *${r.track.title}* track` : 'tips from every track';
  const when = `${postingDays(r.weekendPosts)} at *${r.time} ${r.tz}*`;
  if (r.again)
    return inChannel(
      noticeView(
        `<#${r.channel}> now gets a daily exam tip and quiz ${when} (${what}), and the team leaderboard on Mondays. Next post: ${formatLocal(r.firstPost)}.`,
        ':calendar:',
      ),
    );
  // A channel aipath cannot post in at all was not kept subscribed (the route withdrew it).
  if (intro && !intro.ok && intro.kind === 'target')
    return ephemeral(
      noticeView(`Nothing was subscribed: ${slackRefusalAdvice(intro.reason, 'chat:write.public')} Then run \`/aipath subscribe\` here again.`, ':warning:'),
    );
  const zone = r.tzFrom === 'admin' ? ` That is your timezone: add another to the command, such as \`Europe/London\`, to choose it.` : '';
  const introNote =
    intro === undefined || intro.ok
      ? ' I posted a short intro there saying what will arrive and how to join.'
      : ` I could not post the intro there: ${slackRefusalAdvice(intro.reason, 'chat:write.public')}`;
  return ephemeral(
    noticeView(
      `Subscribed <#${r.channel}>: a daily exam tip and quiz ${when} (${what}), and the team leaderboard on Mondays. First post: ${formatLocal(r.firstPost)}.${zone}${introNote}`,
      intro === undefined || intro.ok ? ':white_check_mark:' : ':warning:',
    ),
  );
}

export function presentUnsubscribe(r: UnsubscribeResult): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r);
  if (r.kind === 'not-subscribed') return ephemeral(noticeView(`<#${r.channel}> is not subscribed, so nothing changed.`));
  return inChannel(noticeView(`aipath stopped posting in <#${r.channel}>. Learners keep their progress.`, ':no_bell:'));
}
