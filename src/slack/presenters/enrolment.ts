import { DateTime } from 'luxon';
import { formatLocal } from '../../domain/due.js';
import type { DoneResult, NotEnrolled, PauseResult, ResumeResult, StartResult, StatusResult, StopResult } from '../../services/enrolment.js';
import { section } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { didYouMeanView } from '../views/lookup.js';
import { notEnrolledView, statusView } from '../views/status.js';
import { enrolledView } from '../views/tracks.js';
import { ephemeral, type Reply } from './reply.js';

const notEnrolled = (_: NotEnrolled): Reply => ephemeral(notEnrolledView());

export function presentStart(r: StartResult): Reply {
  if (r.kind === 'not-found') return ephemeral(didYouMeanView('track', r.query, r.candidates, r.ambiguous));
  return ephemeral(enrolledView(r));
}

export function presentStatus(r: StatusResult): Reply {
  const reply = r.kind === 'not-enrolled' ? notEnrolled(r) : ephemeral(statusView(r.progress));
  return r.notices.length ? { ...reply, blocks: [...r.notices.map((n) => section(`:warning: ${n}`)), ...reply.blocks] } : reply;
}

export function presentDone(r: DoneResult): Reply {
  switch (r.kind) {
    case 'not-enrolled':
      return notEnrolled(r);
    case 'left':
      return ephemeral(noticeView(`You left *${r.track.title}*. Rejoin with \`/aipath start ${r.track.id}\`.`));
    case 'already-done':
      return ephemeral(noticeView(`Week ${r.week} (*${r.title}*) was already marked done. Nothing changed.`, ':white_check_mark:'));
    case 'future-week': {
      const starts = DateTime.fromISO(r.startsOn).toFormat('ccc d LLL');
      return ephemeral(
        noticeView(`Week ${r.week} starts ${starts}; you're in week ${r.current}. Mark it done once it has started. Nothing changed.`, ':calendar:'),
      );
    }
    case 'no-such-week':
      return ephemeral(noticeView(`*${r.track.title}* has ${r.totalWeeks} weeks, so there is no week ${r.week} to mark. Nothing changed.`, ':calendar:'));
    case 'done': {
      const extras = [r.earned ? `+${r.earned} points` : '', r.streak > 1 ? `${r.streak}-day streak` : ''].filter(Boolean).join(', ');
      const next = r.current ? "See `/aipath status` for what's next." : 'Caught up! `/aipath status` shows this week.';
      return ephemeral(noticeView(`Week ${r.week} done: *${r.title}*. Nice work!${extras ? ` (${extras})` : ''} ${next}`, ':white_check_mark:'));
    }
  }
}

export function presentPause(r: PauseResult): Reply {
  if (r.kind === 'not-enrolled') return notEnrolled(r);
  if (r.kind === 'nothing-to-pause') return ephemeral(noticeView(`There are no nudges to pause on *${r.track.title}*.`));
  return ephemeral(
    noticeView(
      r.until
        ? `Nudges paused until ${formatLocal(r.until)}; your next nudge: ${r.nextNudge}. \`/aipath resume\` brings them back sooner.`
        : 'Nudges paused until you `/aipath resume`.',
      ':double_vertical_bar:',
    ),
  );
}

export function presentResume(r: ResumeResult): Reply {
  switch (r.kind) {
    case 'not-enrolled':
      return notEnrolled(r);
    case 'left':
      return ephemeral(
        noticeView(`You left *${r.track.title}*, so there are no nudges to resume. Rejoin it with \`/aipath start ${r.track.id}\`: your progress is kept.`),
      );
    case 'already-on':
      return ephemeral(noticeView(`Your nudges for *${r.track.title}* are already on.`));
    case 'resumed':
      return ephemeral(noticeView(`Welcome back to *${r.track.title}*. Next nudge: ${r.nextNudge}.`, ':arrow_forward:'));
  }
}

export function presentStop(r: StopResult): Reply {
  if (r.kind === 'not-enrolled') return notEnrolled(r);
  if (r.kind === 'already-left') return ephemeral(noticeView(`You already left *${r.track.title}*.`));
  return ephemeral(noticeView(`You left *${r.track.title}*. Your progress is kept: \`/aipath start ${r.track.id}\` picks it up again.`, ':wave:'));
}
