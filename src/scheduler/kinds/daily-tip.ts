import { forTrack } from '../../domain/pools.js';
import { pickRotating } from '../../domain/rotation.js';
import { dailyTipView } from '../../slack/views/daily.js';
import type { Subscription } from '../../ports/store.js';
import type { DeliveryKindSpec } from './kind.js';
import { pauseChannel } from './channel.js';

/** The channel's tip of the day: none repeats until every tip for the channel's track has been shown. */
export const dailyTip: DeliveryKindSpec<Subscription> = {
  kind: 'daily_tip',
  async compose({ services: { content, store } }, sub, row) {
    const pool = forTrack(content.tips, sub.trackId);
    const tip = pickRotating(pool, await store.ledger.contentCounts(sub.workspaceId, sub.channelId, 'daily_tip'), `${sub.channelId}:${row.period}`);
    if (!tip) return undefined;
    const services = tip.services.map((id) => content.service(id)).filter((s) => s !== undefined);
    return { channel: sub.channelId, message: dailyTipView(tip, services, row.late), contentId: tip.id };
  },
  onTargetError: pauseChannel,
};
