import type { SlackFailure } from '../errors.js';
import type { Message } from '../views/blocks.js';

/** What the bot answers a slash command or a click with. */
export interface Reply extends Message {
  responseType: 'ephemeral' | 'in_channel';
  /** The caller's own state changed, so their Home tab should be published again. */
  refreshHome?: boolean;
  /** A button's answer that takes the place of the message it was on (a review session moving on). */
  replaceOriginal?: boolean;
  /**
   * A message that belongs in the caller's DM with the bot rather than where they asked (a practice exam): the
   * listener posts it there and answers with this reply once it is posted; with `postedHere` when the caller asked
   * in that very DM; with `undelivered(failure)` when Slack refused it.
   */
  dm?: InDm;
}

export interface InDm {
  message: Message;
  postedHere: Reply;
  undelivered(failure: SlackFailure): Promise<Reply>;
  /** What to keep of the message once Slack took it (its channel and ts), if anything. */
  posted?(at: { channel: string; ts: string }): Promise<unknown>;
}

export const ephemeral = (m: Message): Reply => ({ ...m, responseType: 'ephemeral' });
export const inChannel = (m: Message): Reply => ({ ...m, responseType: 'in_channel' });
