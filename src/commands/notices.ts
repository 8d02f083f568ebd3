import type { StudyDeps } from './context.js';

/** What needs an admin's attention: channels where posting stopped because of a Slack error. */
export function adminNotices(deps: StudyDeps, workspaceId: string): string[] {
  return deps.stores.subscriptions
    .inWorkspace(workspaceId)
    .filter((s) => s.status === 'paused')
    .map((s) => `Posting in <#${s.channel_id}> is paused: ${s.status_reason ?? 'no reason recorded'}. Fix it (e.g. invite aipath to the channel), then run \`/aipath subscribe\` there again.`);
}
