import { DateTime } from 'luxon';
import { formatLocal, nextWeeklyAt, utcIso } from '../core/due.js';
import { localDate, planPosition } from '../core/plan.js';
import { POINTS } from '../core/scoring.js';
import { recordStudyAction } from './activity.js';
import { learnerProgress, nextNudgeText } from './progress.js';
import { adminNotices } from './notices.js';
import { section } from '../slack/views/blocks.js';
import type { EnrolmentRow } from '../store/enrolments.js';
import type { Track } from '../content/schema.js';
import { noticeView } from '../slack/views/help.js';
import { statusView, notEnrolledView } from '../slack/views/status.js';
import { enrolledView } from '../slack/views/tracks.js';
import { didYouMeanView } from '../slack/views/lookup.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

export async function start(deps: StudyDeps, ctx: CommandContext, query: string): Promise<Reply> {
  const found = deps.lookups.tracks.find(query);
  if (found.kind !== 'found') {
    const options = found.kind === 'ambiguous' ? found.candidates : [];
    return ephemeral(
      didYouMeanView(
        'track',
        query,
        options.map((t) => ({ id: t.id, label: t.title })),
        true,
      ),
    );
  }
  const track = found.item;
  const { tz } = await ctx.profile();
  const today = localDate(ctx.now, tz);
  const { enrolment, resumed, alreadyCurrent } = deps.stores.atomically(() => {
    deps.stores.users.ensure(ctx.workspaceId, ctx.userId, ctx.now);
    const current = deps.stores.enrolments.current(ctx.workspaceId, ctx.userId);
    if (current?.track_id === track.id && current.status !== 'stopped') return { enrolment: current, resumed: false, alreadyCurrent: true };
    const switched = deps.stores.enrolments.switchTo(ctx.workspaceId, ctx.userId, track.id, today, ctx.now);
    scheduleNudges(deps, ctx, switched.enrolment.id, tz);
    return { ...switched, alreadyCurrent: false };
  });
  const position = planPosition(track, enrolment.started_on, today);
  return ephemeral(
    enrolledView({
      track,
      certs: track.certifications.map((id) => deps.content.certification(id)!),
      week: position.week,
      resumed,
      alreadyCurrent,
      nextNudge: nextNudgeText(deps, ctx, tz, enrolment),
    }),
  );
}

/** The weekly nudge falls due on the learner's next local Monday at their nudge time. */
export function scheduleNudges(deps: StudyDeps, ctx: CommandContext, enrolmentId: number, tz: string): void {
  const nudgeTime = deps.stores.users.get(ctx.workspaceId, ctx.userId)?.nudge_time ?? '09:00';
  deps.stores.enrolments.setNextNudge(enrolmentId, utcIso(nextWeeklyAt(ctx.now, tz, nudgeTime)));
}

/** The caller's current enrolment with its track, or a reply explaining there is none. */
function currentOrReply(deps: StudyDeps, ctx: CommandContext): { reply: Reply } | { enrolment: EnrolmentRow; track: Track } {
  const enrolment = deps.stores.enrolments.current(ctx.workspaceId, ctx.userId);
  const track = enrolment ? deps.content.track(enrolment.track_id) : undefined;
  if (!enrolment || !track) return { reply: ephemeral(notEnrolledView()) };
  return { enrolment, track };
}

export async function status(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const reply = await learnerStatus(deps, ctx);
  const notices = (await ctx.profile()).isAdmin ? adminNotices(deps, ctx.workspaceId) : [];
  return notices.length ? { ...reply, blocks: [...notices.map((n) => section(`:warning: ${n}`)), ...reply.blocks] } : reply;
}

async function learnerStatus(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { tz } = await ctx.profile();
  return ephemeral(statusView(learnerProgress(deps, ctx, tz, cur.enrolment, cur.track)));
}

export async function done(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return ephemeral(noticeView(`You left *${track.title}*. Rejoin with \`/aipath start ${track.id}\`.`));
  const { tz } = await ctx.profile();
  const position = planPosition(track, enrolment.started_on, localDate(ctx.now, tz));
  const title = position.milestone!.title;
  const outcome = deps.stores.atomically(() => {
    if (!deps.stores.enrolments.markDone(enrolment.id, position.week, ctx.now)) return undefined;
    const paid = deps.stores.points.award(ctx.workspaceId, ctx.userId, 'milestone', `${enrolment.id}:${position.week}`, POINTS.milestone, ctx.now);
    return { earned: paid ? POINTS.milestone : 0, ...recordStudyAction(deps.stores, ctx.workspaceId, ctx.userId, tz, ctx.now) };
  });
  if (!outcome) return ephemeral(noticeView(`Week ${position.week} (*${title}*) was already marked done. Nothing changed.`, ':white_check_mark:'));
  const { earned, streak, bonus } = outcome;
  const extras = [earned + bonus ? `+${earned + bonus} points` : '', streak > 1 ? `${streak}-day streak` : ''].filter(Boolean).join(', ');
  return ephemeral(
    noticeView(
      `Week ${position.week} done: *${title}*. Nice work!${extras ? ` (${extras})` : ''} See \`/aipath status\` for what's next.`,
      ':white_check_mark:',
    ),
  );
}

export async function pause(deps: StudyDeps, ctx: CommandContext, days: number | undefined): Promise<Reply> {
  const cur = currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped' || enrolment.status === 'finished') return ephemeral(noticeView(`There are no nudges to pause on *${track.title}*.`));
  const { tz } = await ctx.profile();
  const until = days ? DateTime.fromJSDate(ctx.now).plus({ days }) : undefined;
  deps.stores.enrolments.setStatus(enrolment.id, 'paused', ctx.now, {
    pausedUntil: until?.toUTC().toISO() ?? null,
    reason: days ? `for ${days} day${days === 1 ? '' : 's'}` : 'by you',
  });
  return ephemeral(
    noticeView(
      until
        ? `Nudges paused until ${formatLocal(until.setZone(tz))}. \`/aipath resume\` brings them back sooner.`
        : 'Nudges paused until you `/aipath resume`.',
      ':double_vertical_bar:',
    ),
  );
}

export async function resume(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') {
    // Leaving a track is undone by choosing it again, so that nobody restarts it by accident.
    return ephemeral(
      noticeView(`You left *${track.title}*, so there are no nudges to resume. Rejoin it with \`/aipath start ${track.id}\`: your progress is kept.`),
    );
  }
  if (enrolment.status !== 'paused') return ephemeral(noticeView(`Your nudges for *${track.title}* are already on.`));
  const { tz } = await ctx.profile();
  deps.stores.atomically(() => {
    deps.stores.enrolments.setStatus(enrolment.id, 'active', ctx.now);
    scheduleNudges(deps, ctx, enrolment.id, tz);
  });
  return ephemeral(
    noticeView(`Welcome back to *${track.title}*. Next nudge: ${nextNudgeText(deps, ctx, tz, { ...enrolment, status: 'active' })}.`, ':arrow_forward:'),
  );
}

export function stop(deps: StudyDeps, ctx: CommandContext): Reply {
  const cur = currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return ephemeral(noticeView(`You already left *${track.title}*.`));
  deps.stores.enrolments.setStatus(enrolment.id, 'stopped', ctx.now, { reason: 'left the track' });
  return ephemeral(noticeView(`You left *${track.title}*. Your progress is kept: \`/aipath start ${track.id}\` picks it up again.`, ':wave:'));
}
