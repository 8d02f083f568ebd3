import { forTrack } from '../../core/pools.js';
import { pickRotating } from '../../core/rotation.js';
import { dailyTipView } from '../../slack/views/daily.js';
import type { SubscriptionRow } from '../../store/subscriptions.js';
import type { DeliveryKindSpec } from './kind.js';
import { pauseChannel } from './channel.js';

/** The channel's tip of the day: none repeats until every tip for the channel's track has been shown. */
export const dailyTip: DeliveryKindSpec<SubscriptionRow> = {
  kind: 'daily_tip',
  async compose({ services: { content, stores } }, sub, row) {
    const pool = forTrack(content.tips, sub.track_id);
    const tip = pickRotating(pool, stores.deliveries.contentCounts(sub.workspace_id, sub.channel_id, 'daily_tip'), `${sub.channel_id}:${row.period}`);
    if (!tip) return undefined;
    const services = tip.services.map((id) => content.service(id)).filter((s) => s !== undefined);
    return { channel: sub.channel_id, message: dailyTipView(tip, services, row.late === 1), contentId: tip.id };
  },
  onTargetError: pauseChannel,
};
