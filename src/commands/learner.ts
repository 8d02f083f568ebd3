import { DateTime } from 'luxon';
import { formatLocal, nextWeeklyAt } from '../domain/due.js';
import { localDate, planPosition } from '../domain/plan.js';
import { POINTS } from '../domain/scoring.js';
import { recordStudyAction } from '../services/activity.js';
import { learnerProgress, nextNudgeText } from '../services/progress.js';
import { adminNotices } from '../services/notices.js';
import { section } from '../slack/views/blocks.js';
import type { Enrolment, Repositories } from '../ports/store.js';
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
  const { enrolment, resumed, alreadyCurrent } = await deps.store.transaction(async (tx) => {
    await tx.users.ensure(ctx.workspaceId, ctx.userId, ctx.now);
    const current = await tx.enrolments.current(ctx.workspaceId, ctx.userId);
    if (current?.trackId === track.id && current.status !== 'stopped') return { enrolment: current, resumed: false, alreadyCurrent: true };
    const switched = await tx.enrolments.switchTo(ctx.workspaceId, ctx.userId, track.id, today, ctx.now);
    await scheduleNudges(tx, ctx, switched.enrolment.id, tz);
    return { ...switched, alreadyCurrent: false };
  });
  const position = planPosition(track, enrolment.startedOn, today);
  return ephemeral(
    enrolledView({
      track,
      certs: track.certifications.map((id) => deps.content.certification(id)!),
      week: position.week,
      resumed,
      alreadyCurrent,
      nextNudge: await nextNudgeText(deps, ctx, tz, enrolment),
    }),
  );
}

/** The weekly nudge falls due on the learner's next local Monday at their nudge time. */
export async function scheduleNudges(tx: Repositories, ctx: CommandContext, enrolmentId: number, tz: string): Promise<void> {
  const nudgeTime = (await tx.users.get(ctx.workspaceId, ctx.userId))?.nudgeTime ?? '09:00';
  await tx.enrolments.setNextNudge(enrolmentId, nextWeeklyAt(ctx.now, tz, nudgeTime).toJSDate());
}

/** The caller's current enrolment with its track, or a reply explaining there is none. */
async function currentOrReply(deps: StudyDeps, ctx: CommandContext): Promise<{ reply: Reply } | { enrolment: Enrolment; track: Track }> {
  const enrolment = await deps.store.enrolments.current(ctx.workspaceId, ctx.userId);
  const track = enrolment ? deps.content.track(enrolment.trackId) : undefined;
  if (!enrolment || !track) return { reply: ephemeral(notEnrolledView()) };
  return { enrolment, track };
}

export async function status(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const reply = await learnerStatus(deps, ctx);
  const notices = (await ctx.profile()).isAdmin ? await adminNotices(deps, ctx.workspaceId) : [];
  return notices.length ? { ...reply, blocks: [...notices.map((n) => section(`:warning: ${n}`)), ...reply.blocks] } : reply;
}

async function learnerStatus(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = await currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { tz } = await ctx.profile();
  return ephemeral(statusView(await learnerProgress(deps, ctx, tz, cur.enrolment, cur.track)));
}

export async function done(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = await currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return ephemeral(noticeView(`You left *${track.title}*. Rejoin with \`/aipath start ${track.id}\`.`));
  const { tz } = await ctx.profile();
  const position = planPosition(track, enrolment.startedOn, localDate(ctx.now, tz));
  const title = position.milestone!.title;
  const outcome = await deps.store.transaction(async (tx) => {
    if (!(await tx.enrolments.markDone(enrolment.id, position.week, ctx.now))) return undefined;
    const paid = await tx.points.award(ctx.workspaceId, ctx.userId, 'milestone', `${enrolment.id}:${position.week}`, POINTS.milestone, ctx.now);
    return { earned: paid ? POINTS.milestone : 0, ...(await recordStudyAction(tx, ctx.workspaceId, ctx.userId, tz, ctx.now)) };
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
  const cur = await currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped' || enrolment.status === 'finished') return ephemeral(noticeView(`There are no nudges to pause on *${track.title}*.`));
  const { tz } = await ctx.profile();
  const until = days ? DateTime.fromJSDate(ctx.now).plus({ days }) : undefined;
  await deps.store.enrolments.setStatus(enrolment.id, 'paused', ctx.now, {
    pausedUntil: until?.toJSDate() ?? null,
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
  const cur = await currentOrReply(deps, ctx);
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
  await deps.store.transaction(async (tx) => {
    await tx.enrolments.setStatus(enrolment.id, 'active', ctx.now);
    await scheduleNudges(tx, ctx, enrolment.id, tz);
  });
  return ephemeral(
    noticeView(`Welcome back to *${track.title}*. Next nudge: ${await nextNudgeText(deps, ctx, tz, { ...enrolment, status: 'active' })}.`, ':arrow_forward:'),
  );
}

export async function stop(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const cur = await currentOrReply(deps, ctx);
  if ('reply' in cur) return cur.reply;
  const { enrolment, track } = cur;
  if (enrolment.status === 'stopped') return ephemeral(noticeView(`You already left *${track.title}*.`));
  await deps.store.enrolments.setStatus(enrolment.id, 'stopped', ctx.now, { reason: 'left the track' });
  return ephemeral(noticeView(`You left *${track.title}*. Your progress is kept: \`/aipath start ${track.id}\` picks it up again.`, ':wave:'));
}
