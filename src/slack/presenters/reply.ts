import type { Message } from '../views/blocks.js';

/** What the bot answers a slash command or a click with. */
export interface Reply extends Message {
  responseType: 'ephemeral' | 'in_channel';
  /** The caller's own state changed, so their Home tab should be published again. */
  refreshHome?: boolean;
  /** A button's answer that takes the place of the message it was on (a review session moving on). */
  replaceOriginal?: boolean;
}

export const ephemeral = (m: Message): Reply => ({ ...m, responseType: 'ephemeral' });
export const inChannel = (m: Message): Reply => ({ ...m, responseType: 'in_channel' });
