import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { UsersInfoResponse } from './payload.js';
import type { Message } from './views/blocks.js';

/** How many pages of 200 messages the history check reads back before deciding a message was never posted. */
const HISTORY_PAGES = 10;

/** Slack's copy of a delivered message carries its delivery id, so a crash between post and record is recoverable. */
export const DELIVERY_METADATA_TYPE = 'aipath_delivery';

/** The Web API calls scheduled work makes in one workspace, with the token that workspace installed. */
export interface WorkspaceSlack {
  /** Posts with the delivery id in message metadata; returns where Slack put it. */
  post(channel: string, message: Message, deliveryId: number): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: Message): Promise<void>;
  /** The DM channel with a user. */
  openDm(user: string): Promise<string>;
  /** The timestamp of our message for `deliveryId` in the channel's history since `since`, if Slack has it. */
  findDelivery(channel: string, deliveryId: number, since: Date): Promise<string | undefined>;
  /** What the user's Slack profile says: their timezone (as Slack spells it), whether they administer the workspace, their name. */
  userProfile(user: string): Promise<SlackProfile>;
}

export interface SlackProfile {
  tz: string | null;
  isAdmin: boolean;
  /** The name people see: the display name, else the full name, else the username; null when Slack gives none. */
  name: string | null;
}

/** Which token speaks for which workspace: one bot token today, one per installation with OAuth. */
export interface SlackGateway {
  forWorkspace(workspaceId: string): WorkspaceSlack;
  /**
   * Why no call can be made for the workspace at all, found without calling Slack (multi-workspace mode: it has no
   * active installation); undefined when calls may go ahead. Gateways with one token for everything leave it out.
   */
  unavailable?(workspaceId: string): Promise<string | undefined>;
}

const PostResponse = z.object({ channel: z.string().optional(), ts: z.string().optional() });
const OpenResponse = z.object({ channel: z.object({ id: z.string() }).optional() });
const HistoryResponse = z.object({
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
  messages: z
    .array(
      z.object({
        ts: z.string().optional(),
        metadata: z.object({ event_type: z.string().optional(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .optional(),
});

/** A Slack platform error as @slack/web-api raises it, for answers we must refuse ourselves. */
function platformError(error: string): Error {
  return Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });
}

export function webClientSlack(client: WebClient): WorkspaceSlack {
  return {
    async post(channel, message, deliveryId) {
      const res = PostResponse.parse(
        await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: { event_type: DELIVERY_METADATA_TYPE, event_payload: { delivery_id: deliveryId } },
        }),
      );
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    },
    async update(channel, ts, message) {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    },
    async openDm(user) {
      const id = OpenResponse.parse(await client.conversations.open({ users: user })).channel?.id;
      if (!id) throw platformError('channel_not_found');
      return id;
    },
    async findDelivery(channel, deliveryId, since) {
      const oldest = (since.getTime() / 1000).toFixed(6);
      // A busy channel may have more since then than one page: follow the cursor, within reason.
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const history = HistoryResponse.parse(await client.conversations.history({ channel, oldest, limit: 200, include_all_metadata: true, cursor }));
        const found = history.messages?.find(
          (m) => m.metadata?.event_type === DELIVERY_METADATA_TYPE && Number(m.metadata.event_payload?.delivery_id) === deliveryId,
        );
        if (found?.ts) return found.ts;
        cursor = history.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
      return undefined;
    },
    async userProfile(user) {
      const info = UsersInfoResponse.parse(await client.users.info({ user })).user;
      const name = info?.profile?.display_name || info?.profile?.real_name || info?.real_name || info?.name || null;
      return { tz: info?.tz ?? null, isAdmin: !!(info?.is_admin || info?.is_owner || info?.is_primary_owner), name };
    },
  };
}

/** Single-workspace modes: the one bot token speaks for every workspace id the app sees. */
export function singleTokenGateway(client: WebClient): SlackGateway {
  const slack = webClientSlack(client);
  return { forWorkspace: () => slack };
}
