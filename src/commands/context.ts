import type { Content } from '../content/load.js';
import type { Lookups } from '../content/lookups.js';
import type { Store } from '../ports/store.js';
import type { Message } from '../slack/views/blocks.js';

/** What the caller's Slack profile tells us; resolved lazily because it may cost a users.info call. */
export interface Profile {
  tz: string;
  isAdmin: boolean;
}

export interface CommandContext {
  workspaceId: string;
  userId: string;
  channelId: string;
  now: Date;
  profile(): Promise<Profile>;
}

export interface StudyDeps {
  store: Store;
  content: Content;
  lookups: Lookups;
  defaultTimezone: string;
  admins: readonly string[];
  random: () => number;
}

export interface Reply extends Message {
  responseType: 'ephemeral' | 'in_channel';
  /** The caller's own state changed, so their Home tab should be published again. */
  refreshHome?: boolean;
}

export const ephemeral = (m: Message): Reply => ({ ...m, responseType: 'ephemeral' });
