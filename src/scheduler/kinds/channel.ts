import type { SubscriptionRow } from '../../store/subscriptions.js';
import type { KindContext } from './kind.js';

/** A channel Slack refuses for good (gone, archived, aipath not in it): its subscription pauses with the reason. */
export function pauseChannel({ services, now }: KindContext, sub: SubscriptionRow, reason: string): void {
  services.stores.subscriptions.pause(sub.workspace_id, sub.channel_id, `Slack: ${reason}`, now);
}
