import { formatLocal } from '../../domain/due.js';
import type { Subscribed } from '../../services/channel.js';
import { context, header, message, section, type Message } from './blocks.js';

/** Which days a channel gets its tip and quiz, in words. */
export const postingDays = (weekendPosts: boolean) => (weekendPosts ? 'every day' : 'Monday to Friday');

/**
 * The post a channel gets when it is newly subscribed: what will arrive, when in its timezone, and how to join.
 * Its fallback text leads with what the message is about, for notifications.
 */
export function channelIntroView(s: Subscribed): Message {
  const what = s.track ? `from the *${s.track.title}* track` : 'from every track';
  const join = s.track
    ? `\`/aipath start ${s.track.id}\` (this channel's track) or any other from \`/aipath tracks\``
    : '`/aipath start <track>` (`/aipath tracks` lists them, with who each is for)';
  return message(`aipath is here: an AWS AI exam tip and quiz ${postingDays(s.weekendPosts)} at ${s.time} ${s.tz}. Join with /aipath start <track>.`, [
    header('aipath is here: study for the AWS AI certifications together'),
    section(
      `*What arrives here:* an exam tip and a quiz question ${what}, ${postingDays(s.weekendPosts)} at *${s.time} ${s.tz}*, and on Mondays last week's team leaderboard. ` +
        'Answer the quiz with its buttons: only you see whether you were right, and your first answer scores points.',
    ),
    section(
      `*How to join:* ${join} gives you a study plan with a milestone every week by DM, reviews when you are about to forget, and a place on the leaderboard.`,
    ),
    context(`First post: ${formatLocal(s.firstPost)} · \`/aipath help\` lists everything`),
  ]);
}
