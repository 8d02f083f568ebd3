import type { AdminChangeResult, AdminOverviewResult, ExportResult } from '../../services/admin.js';
import type { SlackOutcome } from '../command-slack.js';
import { adminOverviewView } from '../views/admin.js';
import { noticeView } from '../views/help.js';
import { adminsOnly } from './channel.js';
import { ephemeral, type Reply } from './reply.js';
import { slackRefusalAdvice } from './slack-refusal.js';

const ADMIN_ONLY = 'use `/aipath admin`';
const count = (n: number, unit: string) => `${n.toLocaleString('en')} ${unit}${n === 1 ? '' : 's'}`;

export function presentAdminOverview(r: AdminOverviewResult): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r, ADMIN_ONLY);
  return ephemeral(adminOverviewView(r));
}

export function presentAdminChange(r: AdminChangeResult): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r, ADMIN_ONLY);
  const c = r.change;
  if (c.action === 'tz')
    return ephemeral(
      noticeView(
        `The workspace's default timezone is now *${c.value}*. aipath uses it for people whose Slack profile has no timezone, for leaderboards in channels that are not subscribed, and when an admin's own timezone is unknown; subscribed channels keep their own.`,
        ':globe_with_meridians:',
      ),
    );
  if (c.action === 'mentions')
    return ephemeral(
      noticeView(
        c.value
          ? "The Monday recap @-mentions the learners it names again (they get Slack's notification)."
          : 'The Monday recap now names learners without @-mentioning them, so nobody is notified by it.',
        ':loudspeaker:',
      ),
    );
  return ephemeral(
    noticeView(
      c.value
        ? 'Subscribed channels get their tip and quiz on Saturdays and Sundays again (their own local time).'
        : "Subscribed channels now get their tip and quiz Monday to Friday only (their own local time). Monday's recap is unchanged.",
      ':calendar:',
    ),
  );
}

/** The reply to `admin export`; `upload` is how sending the file went. */
export function presentExport(r: ExportResult, upload?: SlackOutcome): Reply {
  if (r.kind === 'admins-only') return adminsOnly(r, ADMIN_ONLY);
  if (upload && !upload.ok)
    return ephemeral(noticeView(`I could not send you the export: ${slackRefusalAdvice(upload.reason, 'files:write')} Nothing was shared.`, ':warning:'));
  return ephemeral(
    noticeView(
      `I sent you *${r.filename}* in a direct message with aipath: ${count(r.learners, 'learner')} in ${count(r.rows, 'row')} (enrolments, progress and points). Only you can see it there.`,
      ':inbox_tray:',
    ),
  );
}
