import type { StudyDeps } from './context.js';

/** What needs an admin's attention: a workspace or channels where posting stopped because of a Slack error. */
export async function adminNotices(deps: StudyDeps, workspaceId: string): Promise<string[]> {
  const pause = await deps.store.workspaces.pauseOf(workspaceId);
  const workspace = pause
    ? [
        `All scheduled posts and nudges in this workspace are paused since ${pause.pausedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC: Slack answered \`${pause.reason}\` for aipath's token. aipath tries again every 10 minutes and resumes by itself once Slack accepts it; if the app was removed or its token revoked, reinstall it.`,
      ]
    : [];
  const channels = (await deps.store.subscriptions.inWorkspace(workspaceId))
    .filter((s) => s.status === 'paused')
    .map(
      (s) =>
        `Posting in <#${s.channelId}> is paused: Slack answered \`${s.statusReason ?? 'an error'}\`. Fix it (e.g. invite aipath to the channel), then run \`/aipath subscribe\` there again.`,
    );
  return [...workspace, ...channels];
}
