import type { DateTime } from 'luxon';
import { nextChannelPostAt, nextDailyAt, nextWeeklyAt } from '../domain/due.js';
import type { Caller, StudyDeps } from './context.js';

/** Only admins choose what aipath posts in a channel; `admins` are those named besides workspace admins. */
export type AdminsOnly = { kind: 'admins-only'; admins: readonly string[] };

/** Where the subscription's timezone came from: the command, the channel's earlier subscription, or the admin's own. */
export type ZoneSource = 'command' | 'channel' | 'admin';

export interface Subscribed {
  kind: 'subscribed';
  channel: string;
  time: string;
  tz: string;
  tzFrom: ZoneSource;
  /** The channel's track, or undefined for every track. */
  track: { id: string; title: string } | undefined;
  /** The first post to come (a weekday's, when the workspace has weekend posts off). */
  firstPost: DateTime;
  /** The channel was subscribed before (its settings changed); false for a new subscription. */
  again: boolean;
  /** Whether the workspace's channels get posts on Saturdays and Sundays. */
  weekendPosts: boolean;
}

export type SubscribeResult = AdminsOnly | { kind: 'direct-message' } | { kind: 'unknown-track'; query: string; tracks: string[] } | Subscribed;

export type UnsubscribeResult = AdminsOnly | { kind: 'not-subscribed'; channel: string } | { kind: 'unsubscribed'; channel: string };

/**
 * Subscribes the caller's channel to the daily tip and quiz and the Monday post. A new subscription posts at 09:00 in
 * the admin's own timezone unless told otherwise, with tips from every track; subscribing again changes only what the
 * command names (`all` returns to every track). A direct message cannot be subscribed.
 */
export async function subscribe(
  deps: StudyDeps,
  caller: Caller,
  args: { time?: string; tz?: string; track?: string; allTracks?: boolean },
): Promise<SubscribeResult> {
  if (caller.inDirectMessage) return { kind: 'direct-message' };
  const profile = await caller.profile();
  if (!profile.isAdmin) return { kind: 'admins-only', admins: deps.admins };
  const existing = await deps.store.subscriptions.get(caller.workspaceId, caller.channelId);
  let trackId = args.allTracks ? null : (existing?.trackId ?? null);
  if (args.track) {
    const found = deps.lookups.tracks.find(args.track);
    if (found.kind !== 'found') return { kind: 'unknown-track', query: args.track, tracks: deps.content.tracks.map((t) => t.id) };
    trackId = found.item.id;
  }
  const time = args.time ?? existing?.postTime ?? '09:00';
  const [tz, tzFrom]: [string, ZoneSource] = args.tz ? [args.tz, 'command'] : existing ? [existing.tz, 'channel'] : [profile.tz, 'admin'];
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
  // A track gone from the content since (kept by a re-subscribe) is still named, by its id.
  const track = trackId ? { id: trackId, title: deps.content.track(trackId)?.title ?? trackId } : undefined;
  const { weekendPosts } = await deps.store.workspaceSettings.get(caller.workspaceId);
  return {
    kind: 'subscribed',
    channel: caller.channelId,
    time,
    tz,
    tzFrom,
    track,
    firstPost: nextChannelPostAt(caller.now, tz, time, weekendPosts),
    again: existing !== undefined,
    weekendPosts,
  };
}

/** Takes back the subscription just made in the caller's channel: Slack will not let aipath post there at all. */
export async function withdrawSubscription(deps: StudyDeps, caller: Caller): Promise<void> {
  await deps.store.subscriptions.remove(caller.workspaceId, caller.channelId);
}

export async function unsubscribe(deps: StudyDeps, caller: Caller): Promise<UnsubscribeResult> {
  if (!(await caller.profile()).isAdmin) return { kind: 'admins-only', admins: deps.admins };
  const removed = await deps.store.subscriptions.remove(caller.workspaceId, caller.channelId);
  return { kind: removed ? 'unsubscribed' : 'not-subscribed', channel: caller.channelId };
}
