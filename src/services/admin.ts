import { DateTime } from 'luxon';
import { zoneOf } from '../domain/timezone.js';
import { nextChannelPostAt } from '../domain/due.js';
import { localDate, type PlanPosition, planPosition } from '../domain/plan.js';
import type { EnrolmentStatus, LearnerRecord, WorkspacePause } from '../ports/store.js';
import { CSV_BOM, csvLine } from '../shared/csv.js';
import type { AdminsOnly } from './channel.js';
import type { Caller, StudyDeps } from './context.js';
import { type InstallationState, singleWorkspaceInstallation } from './installation.js';

/** "Active this week": something studied in the last seven days. */
const ACTIVE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** A subscribed channel as admins see it. */
export interface ChannelOverview {
  channelId: string;
  postTime: string;
  tz: string;
  /** The channel's track (its title, or its id when the content no longer has it); undefined: every track. */
  track: { id: string; title: string } | undefined;
  status: 'active' | 'paused';
  /** Why Slack refused the channel, while paused. */
  pausedReason: string | null;
  /** The next tip and quiz, for an active channel. */
  nextPost: DateTime | undefined;
}

export interface WorkspaceSettingsView {
  /** The timezone in force, and whether it is the workspace's own or AIPATH_TIMEZONE. */
  tz: string;
  tzIsWorkspaces: boolean;
  recapMentions: boolean;
  weekendPosts: boolean;
}

export interface AdminOverview {
  kind: 'overview';
  installation: InstallationState;
  /** Every delivery of the workspace is paused because of an error about aipath's token or scopes. */
  workspacePause: WorkspacePause | undefined;
  settings: WorkspaceSettingsView;
  channels: ChannelOverview[];
  learners: { byStatus: Record<EnrolmentStatus, number>; activeThisWeek: number };
}

export type AdminOverviewResult = AdminsOnly | AdminOverview;

export type AdminChange = { action: 'tz'; value: string } | { action: 'mentions'; value: boolean } | { action: 'weekends'; value: boolean };

export type AdminChangeResult = AdminsOnly | { kind: 'changed'; change: AdminChange; settings: WorkspaceSettingsView };

export interface WorkspaceExport {
  kind: 'export';
  filename: string;
  title: string;
  csv: string;
  /** Rows in the file (enrolments, and learners with points but no track), and the learners they are about. */
  rows: number;
  learners: number;
}

export type ExportResult = AdminsOnly | WorkspaceExport;

const refuse = (deps: StudyDeps): AdminsOnly => ({ kind: 'admins-only', admins: deps.admins });
const isAdmin = async (caller: Caller) => (await caller.profile()).isAdmin;

async function settingsView(deps: StudyDeps, ws: string): Promise<WorkspaceSettingsView> {
  const s = await deps.store.workspaceSettings.get(ws);
  return { tz: s.defaultTz ?? deps.defaultTimezone, tzIsWorkspaces: s.defaultTz !== null, recapMentions: s.recapMentions, weekendPosts: s.weekendPosts };
}

/** What an admin sees of the workspace: every subscribed channel, the learners, the settings and the installation. */
export async function adminOverview(deps: StudyDeps, caller: Caller): Promise<AdminOverviewResult> {
  if (!(await isAdmin(caller))) return refuse(deps);
  const ws = caller.workspaceId;
  const { store } = deps;
  const settings = await settingsView(deps, ws);
  const channels = (await store.subscriptions.inWorkspace(ws)).map(
    (s): ChannelOverview => ({
      channelId: s.channelId,
      postTime: s.postTime,
      tz: s.tz,
      track: s.trackId ? { id: s.trackId, title: deps.content.track(s.trackId)?.title ?? s.trackId } : undefined,
      status: s.status,
      pausedReason: s.status === 'paused' ? s.statusReason : null,
      // The stored due time, moved past a weekend the workspace skips.
      nextPost:
        s.status === 'active' && s.nextDailyAt ? nextChannelPostAt(new Date(s.nextDailyAt.getTime() - 1), s.tz, s.postTime, settings.weekendPosts) : undefined,
    }),
  );
  return {
    kind: 'overview',
    installation: await (deps.installationOf ?? singleWorkspaceInstallation)(ws),
    workspacePause: await store.workspaces.pauseOf(ws),
    settings,
    channels,
    learners: {
      byStatus: await store.reports.enrolmentCounts(ws),
      activeThisWeek: await store.reports.activeLearners(ws, new Date(caller.now.getTime() - ACTIVE_WINDOW_MS)),
    },
  };
}

/** Changes one of the workspace's settings (`/aipath admin tz|mentions|weekends`). */
export async function changeWorkspaceSetting(deps: StudyDeps, caller: Caller, change: AdminChange): Promise<AdminChangeResult> {
  if (!(await isAdmin(caller))) return refuse(deps);
  const ws = caller.workspaceId;
  const settings = deps.store.workspaceSettings;
  if (change.action === 'tz') await settings.setDefaultTimezone(ws, change.value);
  else if (change.action === 'mentions') await settings.setRecapMentions(ws, change.value);
  else await settings.setWeekendPosts(ws, change.value);
  return { kind: 'changed', change, settings: await settingsView(deps, ws) };
}

export const EXPORT_HEADER = [
  'user_id',
  'track',
  'track_title',
  'current_track',
  'status',
  'started_on',
  'week',
  'weeks_in_track',
  'milestones_done',
  'milestone_weeks_done',
  'points',
  'on_leaderboards',
] as const;

/**
 * The workspace's learners as a CSV file for admins: one row per enrolment (a learner who switched tracks has one for
 * each) with its progress, and one per learner who scored without joining a track; points are the learner's
 * all-time total. The week is where the plan stands today in the learner's timezone, for a current track still
 * followed (active or paused); a timed pause that has ended reads as active, as everywhere.
 */
export async function workspaceExport(deps: StudyDeps, caller: Caller): Promise<ExportResult> {
  if (!(await isAdmin(caller))) return refuse(deps);
  const ws = caller.workspaceId;
  const workspaceTz = (await deps.store.workspaceSettings.get(ws)).defaultTz ?? deps.defaultTimezone;
  const position = planPositions(deps, caller.now);
  const lines = [CSV_BOM, csvLine(EXPORT_HEADER)];
  let rows = 0;
  let learners = 0;
  // Page by page, letting other requests in between: on SQLite each read holds the event loop.
  for (let after = ''; ; await yieldToEventLoop()) {
    const page = await deps.store.reports.learners(ws, { after, limit: EXPORT_PAGE });
    if (page.length === 0) break;
    for (const l of page) lines.push(csvLine(exportRow(deps, l, position, l.tzOverride ?? l.slackTz ?? workspaceTz, caller.now)));
    rows += page.length;
    learners += new Set(page.map((l) => l.userId)).size;
    after = page.at(-1)!.userId;
  }
  const day = DateTime.fromJSDate(caller.now, { zone: zoneOf(workspaceTz) }).toISODate();
  return { kind: 'export', filename: `aipath-learners-${day}.csv`, title: `aipath learners, ${day}`, csv: lines.join(''), rows, learners };
}

/** Learners read per page of the export: each read is short (a few ms), and the pass and requests go on in between. */
const EXPORT_PAGE = 1000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

type PositionOf = (trackId: string, startedOn: string, tz: string) => PlanPosition | undefined;

/**
 * Where each plan stands at `now`, worked out once per track, start date and timezone: learners share them (they
 * join on the same days, in a few zones), and the date arithmetic costs about 0.1 ms a call, seconds for a large
 * workspace's export.
 */
function planPositions(deps: StudyDeps, now: Date): PositionOf {
  const today = new Map<string, string>();
  const known = new Map<string, PlanPosition | undefined>();
  return (trackId, startedOn, tz) => {
    let day = today.get(tz);
    if (day === undefined) {
      day = localDate(now, tz);
      today.set(tz, day);
    }
    const key = `${trackId}|${startedOn}|${day}`;
    if (!known.has(key)) {
      const track = deps.content.track(trackId);
      known.set(key, track && planPosition(track, startedOn, day));
    }
    return known.get(key);
  };
}

function exportRow(deps: StudyDeps, l: LearnerRecord, positionOf: PositionOf, tz: string, now: Date): (string | number | boolean | null)[] {
  const e = l.enrolment;
  if (!e) return [l.userId, null, null, null, null, null, null, null, 0, null, l.points, l.onLeaderboard];
  const track = deps.content.track(e.trackId);
  const status = e.status === 'paused' && e.pausedUntil && e.pausedUntil <= now ? 'active' : e.status;
  const position = positionOf(e.trackId, e.startedOn, tz);
  const following = e.isCurrent && (status === 'active' || status === 'paused');
  return [
    l.userId,
    e.trackId,
    track?.title ?? null,
    e.isCurrent,
    // Past the last week an active learner has finished, as status shows it.
    following && position?.finished && status === 'active' ? 'finished' : status,
    e.startedOn,
    following && position && !position.finished ? position.week : null,
    position?.totalWeeks ?? null,
    e.doneWeeks.length,
    e.doneWeeks.join(' '),
    l.points,
    l.onLeaderboard,
  ];
}
