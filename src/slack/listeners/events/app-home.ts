import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { homeState } from '../../../services/home.js';
import { homeView } from '../../views/home.js';
import { callerOf, type SlackDeps } from '../../deps.js';
import { AppHomeOpenedEvent, workspaceKey } from '../../payload.js';
import { withDatabase } from '../../database-guard.js';

export async function publishHome(deps: SlackDeps, client: WebClient, workspaceId: string, userId: string): Promise<void> {
  const ctx = callerOf(deps, client, { workspaceId, userId, channelId: '' });
  const view = homeView(await withDatabase(deps.database, deps.logger, () => homeState(deps.study, ctx)));
  await client.views.publish({ user_id: userId, view });
}

/** Publishes the Home tab after a change; a failure is logged, never shown to the user. */
export async function refreshHome(deps: SlackDeps, client: WebClient, workspaceId: string, userId: string): Promise<void> {
  try {
    await publishHome(deps, client, workspaceId, userId);
  } catch (err) {
    deps.logger.warn(`could not refresh the Home tab of ${userId}: ${(err as Error).message}`);
  }
}

export function registerAppHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    const parsed = AppHomeOpenedEvent.safeParse(event);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== 'home')) return;
    const b = body as { team_id?: string; enterprise_id?: string | null };
    if (!b.team_id) return;
    const workspaceId = workspaceKey(b.team_id, b.enterprise_id);
    deps.inFlight.add(deps.followUps.run(() => refreshHome(deps, client, workspaceId, parsed.data.user)));
  });
}
