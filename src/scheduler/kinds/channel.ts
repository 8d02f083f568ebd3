import type { Subscription } from '../../ports/store.js';
import type { KindContext } from './kind.js';

/** A channel Slack refuses for good (gone, archived, aipath not in it): its subscription pauses with the reason. */
export async function pauseChannel({ services, now }: KindContext, sub: Subscription, reason: string): Promise<void> {
  await services.store.subscriptions.pause(sub.workspaceId, sub.channelId, reason, now);
}
