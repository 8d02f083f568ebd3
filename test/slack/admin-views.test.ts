import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { AdminOverview, ChannelOverview } from '../../src/services/admin.js';
import type { Subscribed } from '../../src/services/channel.js';
import { adminOverviewView, installationLine } from '../../src/slack/views/admin.js';
import { channelIntroView } from '../../src/slack/views/channel.js';
import { blockLimitViolations } from '../support/block-limits.js';

const channel = (i: number, over: Partial<ChannelOverview> = {}): ChannelOverview => ({
  channelId: `C0CHAN${String(i).padStart(5, '0')}`,
  postTime: '09:00',
  tz: 'America/Argentina/Buenos_Aires',
  track: { id: 'cloud-engineer', title: 'Cloud engineer to AI/ML engineer' },
  status: 'active',
  pausedReason: null,
  nextPost: DateTime.fromISO('2026-11-24T09:00', { zone: 'America/Argentina/Buenos_Aires' }),
  ...over,
});

const overview = (over: Partial<AdminOverview> = {}): AdminOverview => ({
  kind: 'overview',
  installation: { kind: 'single-workspace' },
  workspacePause: undefined,
  settings: { tz: 'Europe/London', tzIsWorkspaces: false, recapMentions: true, weekendPosts: false },
  channels: [channel(1), channel(2, { status: 'paused', pausedReason: 'is_archived', nextPost: undefined, track: undefined })],
  learners: { byStatus: { active: 7, paused: 2, stopped: 1, finished: 3 }, activeThisWeek: 5 },
  ...over,
});

describe('the admin overview view', () => {
  it('leads its fallback text with what it is, and shows each part', () => {
    const m = adminOverviewView(overview());
    expect(m.text).toBe('aipath admin: 2 subscribed channels (1 paused), 9 learners enrolled, 5 active in the last 7 days. Single-workspace install.');
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('9 enrolled (7 active, 2 paused), 3 finished, 1 stopped');
    expect(text).toContain('Channel posts on weekends: *off* (Monday to Friday) · `/aipath admin weekends on`');
    expect(text).toContain(
      '<#C0CHAN00002> · 09:00 America/Argentina/Buenos_Aires · every track · :double_vertical_bar: *paused*: Slack answered `is_archived`',
    );
    expect(blockLimitViolations(m.blocks)).toEqual([]);
  });

  it('no channel yet: says how to subscribe one', () => {
    expect(JSON.stringify(adminOverviewView(overview({ channels: [] })).blocks)).toContain('No channel is subscribed yet');
  });

  it('a thousand channels stay inside the Block Kit limits and say how many more there are', () => {
    const many = Array.from({ length: 1000 }, (_, i) => channel(i));
    const m = adminOverviewView(overview({ channels: many, workspacePause: { reason: 'token_revoked', pausedAt: new Date(0), probedAt: new Date(0) } }));
    expect(blockLimitViolations(m.blocks)).toEqual([]);
    const text = JSON.stringify(m.blocks);
    const shown = (text.match(/<#C0CHAN\d+>/g) ?? []).length;
    expect(shown).toBeGreaterThan(500);
    expect(text).toContain(`…and ${1000 - shown} more channels that do not fit here.`);
    expect(text).toContain('Every post and nudge is paused');
  });

  it('names each installation state (the hook multi-workspace mode fills in)', () => {
    expect(installationLine({ kind: 'single-workspace' })).toBe('single-workspace install (token from the environment)');
    expect(installationLine({ kind: 'installed', installedAt: new Date('2026-11-02T10:00:00Z'), installedBy: 'U0INSTALLR', orgWide: true })).toBe(
      'installed for the whole organisation by <@U0INSTALLR> on 2026-11-02',
    );
    expect(
      installationLine({ kind: 'inactive', since: new Date('2026-11-20T10:00:00Z'), reason: 'app_uninstalled', purgeAfter: new Date('2026-12-20T10:00:00Z') }),
    ).toBe('inactive since 2026-11-20 (app_uninstalled); its data is deleted on 2026-12-20');
    const m = adminOverviewView(
      overview({ installation: { kind: 'installed', installedAt: new Date('2026-11-02T10:00:00Z'), installedBy: 'U0INSTALLR', orgWide: false } }),
    );
    expect(m.text).toContain('Install: installed by U0INSTALLR on 2026-11-02.');
  });
});

describe('the intro post of a newly subscribed channel', () => {
  const subscribed = (over: Partial<Subscribed> = {}): Subscribed => ({
    kind: 'subscribed',
    channel: 'C0NEW00001',
    time: '08:30',
    tz: 'Europe/Berlin',
    tzFrom: 'admin',
    track: { id: 'devops', title: 'DevOps engineer to MLOps engineer' },
    firstPost: DateTime.fromISO('2026-11-30T08:30', { zone: 'Europe/Berlin' }),
    again: false,
    weekendPosts: false,
    ...over,
  });

  it('says what arrives, when in its zone, and how to join; the fallback text leads with it', () => {
    const m = channelIntroView(subscribed());
    expect(m.text).toBe('aipath is here: an AWS AI exam tip and quiz Monday to Friday at 08:30 Europe/Berlin. Join with /aipath start <track>.');
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('from the *DevOps engineer to MLOps engineer* track, Monday to Friday at *08:30 Europe/Berlin*');
    expect(text).toContain('`/aipath start devops`');
    expect(text).toContain('First post: Mon 30 Nov, 08:30 Europe/Berlin');
    expect(blockLimitViolations(m.blocks)).toEqual([]);
  });

  it('a channel on every track points to the track list', () => {
    const text = JSON.stringify(channelIntroView(subscribed({ track: undefined, weekendPosts: true })).blocks);
    expect(text).toContain('from every track, every day');
    expect(text).toContain('`/aipath tracks` lists them');
  });
});
