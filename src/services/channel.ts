import type { DateTime } from 'luxon';
import { nextDailyAt, nextWeeklyAt } from '../domain/due.js';
import type { Caller, StudyDeps } from './context.js';

/** Only admins choose what aipath posts in a channel; `admins` are those named besides workspace admins. */
export type AdminsOnly = { kind: 'admins-only'; admins: readonly string[] };

export type SubscribeResult =
  | AdminsOnly
  | { kind: 'unknown-track'; query: string; tracks: string[] }
  | { kind: 'subscribed'; channel: string; time: string; tz: string; trackTitle: string | undefined; firstPost: DateTime; again: boolean };

export type UnsubscribeResult = AdminsOnly | { kind: 'not-subscribed'; channel: string } | { kind: 'unsubscribed'; channel: string };

/** Subscribes the caller's channel to the daily tip and quiz and the Monday post; settings left out keep their value. */
export async function subscribe(deps: StudyDeps, caller: Caller, args: { time?: string; tz?: string; track?: string }): Promise<SubscribeResult> {
  if (!(await caller.profile()).isAdmin) return { kind: 'admins-only', admins: deps.admins };
  let trackId: string | null = null;
  if (args.track) {
    const found = deps.lookups.tracks.find(args.track);
    if (found.kind !== 'found') return { kind: 'unknown-track', query: args.track, tracks: deps.content.tracks.map((t) => t.id) };
    trackId = found.item.id;
  }
  const existing = await deps.store.subscriptions.get(caller.workspaceId, caller.channelId);
  const time = args.time ?? existing?.postTime ?? '09:00';
  const tz = args.tz ?? existing?.tz ?? deps.defaultTimezone;
  const nextDaily = nextDailyAt(caller.now, tz, time);
  await deps.store.subscriptions.upsert(
    {
      ws: caller.workspaceId,
      channel: caller.channelId,
      time,
      tz,
      track: trackId,
      by: caller.userId,
      nextDaily: nextDaily.toJSDate(),
      nextWeekly: nextWeeklyAt(caller.now, tz, time).toJSDate(),
    },
    caller.now,
  );
  // The channel's boards are weeks and months of its timezone: their running totals are built now, not by the first
  // leaderboard someone asks for.
  await deps.store.points.keepZone(caller.workspaceId, tz);
  const trackTitle = trackId ? deps.content.track(trackId)?.title : undefined;
  return { kind: 'subscribed', channel: caller.channelId, time, tz, trackTitle, firstPost: nextDaily, again: existing !== undefined };
}

export async function unsubscribe(deps: StudyDeps, caller: Caller): Promise<UnsubscribeResult> {
  if (!(await caller.profile()).isAdmin) return { kind: 'admins-only', admins: deps.admins };
  const removed = await deps.store.subscriptions.remove(caller.workspaceId, caller.channelId);
  return { kind: removed ? 'unsubscribed' : 'not-subscribed', channel: caller.channelId };
}
