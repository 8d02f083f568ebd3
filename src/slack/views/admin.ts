import { DateTime } from 'luxon';
import { formatLocal } from '../../domain/due.js';
import type { AdminOverview, ChannelOverview, WorkspaceSettingsView } from '../../services/admin.js';
import type { InstallationState } from '../../services/installation.js';
import { BLOCK_LIMITS, context, divider, escapeMrkdwn, header, message, section, type Block, type Message } from './blocks.js';
import { postingDays } from './channel.js';

/** Sections of channel lines at most: the rest of the message needs its blocks too (50 in all). */
const MAX_CHANNEL_SECTIONS = 40;

const day = (d: Date) => d.toISOString().slice(0, 10);
const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

export function installationLine(i: InstallationState): string {
  switch (i.kind) {
    case 'single-workspace':
      return 'single-workspace install (token from the environment)';
    case 'installed':
      return `installed${i.orgWide ? ' for the whole organisation' : ''}${i.installedBy ? ` by <@${i.installedBy}>` : ''} on ${day(i.installedAt)}`;
    case 'inactive':
      return `inactive since ${day(i.since)} (${escapeMrkdwn(i.reason)})${i.purgeAfter ? `; its data is deleted on ${day(i.purgeAfter)}` : ''}`;
  }
}

export function settingsLines(s: WorkspaceSettingsView): string {
  return [
    `Default timezone: *${s.tz}* (${s.tzIsWorkspaces ? "the workspace's own" : 'from AIPATH_TIMEZONE'}) · \`/aipath admin tz <Area/City>\``,
    `Monday recap @-mentions: *${s.recapMentions ? 'on' : 'off'}* · \`/aipath admin mentions ${s.recapMentions ? 'off' : 'on'}\``,
    `Channel posts on weekends: *${s.weekendPosts ? 'on' : 'off'}* (${postingDays(s.weekendPosts)}) · \`/aipath admin weekends ${s.weekendPosts ? 'off' : 'on'}\``,
  ].join('\n');
}

function channelLine(c: ChannelOverview): string {
  const track = c.track ? `${escapeMrkdwn(c.track.title)} track` : 'every track';
  const state =
    c.status === 'paused'
      ? `:double_vertical_bar: *paused*: Slack answered \`${escapeMrkdwn(c.pausedReason ?? 'an error')}\` (fix it, then \`/aipath subscribe\` there again)`
      : `:white_check_mark: active${c.nextPost ? `, next post ${formatLocal(c.nextPost)}` : ''}`;
  return `<#${c.channelId}> · ${c.postTime} ${c.tz} · ${track} · ${state}`;
}

/** Channel lines packed into as few sections as fit (3000 characters each), at most `max` sections. */
function channelSections(channels: ChannelOverview[], max: number): { blocks: Block[]; shown: number } {
  const blocks: Block[] = [];
  let current = '';
  let shown = 0;
  for (const c of channels) {
    const line = channelLine(c);
    if (current && current.length + 1 + line.length > BLOCK_LIMITS.sectionText) {
      if (blocks.length + 1 >= max) break;
      blocks.push(section(current));
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
    shown += 1;
  }
  if (current) blocks.push(section(current));
  return { blocks, shown };
}

/** `/aipath admin`: the installation, the workspace's settings, its learners and every subscribed channel. */
export function adminOverviewView(o: AdminOverview): Message {
  const { byStatus, activeThisWeek } = o.learners;
  const enrolled = byStatus.active + byStatus.paused;
  const paused = o.channels.filter((c) => c.status === 'paused').length;
  const blocks: Block[] = [header('aipath admin: this workspace'), section(`*Installation:* ${installationLine(o.installation)}`)];
  if (o.workspacePause)
    blocks.push(
      section(
        `:warning: *Every post and nudge is paused* since ${DateTime.fromJSDate(o.workspacePause.pausedAt, { zone: 'UTC' }).toFormat('d LLL yyyy, HH:mm')} UTC: Slack answered \`${escapeMrkdwn(o.workspacePause.reason)}\` for aipath's token. aipath tries again every 10 minutes; if the app was removed or its token revoked, reinstall it.`,
      ),
    );
  blocks.push(
    section(
      `*Learners:* ${enrolled} enrolled (${byStatus.active} active, ${byStatus.paused} paused), ${byStatus.finished} finished, ${byStatus.stopped} stopped · *${activeThisWeek}* active in the last 7 days (answered, reviewed or marked a milestone)`,
    ),
    section(`*Workspace settings*\n${settingsLines(o.settings)}`),
    divider(),
    section(`*Subscribed channels:* ${o.channels.length}${paused ? ` (${paused} paused)` : ''}`),
  );
  if (o.channels.length === 0) blocks.push(section('_No channel is subscribed yet: run `/aipath subscribe` in one._'));
  const { blocks: lines, shown } = channelSections(o.channels, MAX_CHANNEL_SECTIONS);
  blocks.push(...lines);
  if (shown < o.channels.length) blocks.push(context(`…and ${o.channels.length - shown} more channels that do not fit here.`));
  blocks.push(context('`/aipath admin export` sends you a CSV of enrolments, progress and points in a direct message.'));
  const install = o.installation.kind === 'single-workspace' ? 'Single-workspace install' : `Install: ${installationLine(o.installation).replace(/<@|>/g, '')}`;
  return message(
    `aipath admin: ${count(o.channels.length, 'subscribed channel')}${paused ? ` (${paused} paused)` : ''}, ${count(enrolled, 'learner')} enrolled, ${activeThisWeek} active in the last 7 days. ${install}.${o.workspacePause ? ` All posts paused: ${o.workspacePause.reason}.` : ''}`,
    blocks,
  );
}
