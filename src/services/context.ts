import type { Content } from '../content/content.js';
import type { Lookups } from '../content/lookups.js';
import type { Store } from '../ports/store.js';
import type { InstallerLookup } from './admins.js';
import type { InstallationLookup } from './installation.js';

/** What the caller's Slack profile tells us; resolved lazily because it may cost a users.info call. */
export interface Profile {
  tz: string;
  isAdmin: boolean;
}

/** Who asks, where, and when: every use case takes one. */
export interface Caller {
  workspaceId: string;
  userId: string;
  channelId: string;
  /** The command came from a direct message (one person's or a group's), where nothing can be subscribed. */
  inDirectMessage?: boolean;
  now: Date;
  profile(): Promise<Profile>;
}

/** What the use cases work with: the store, the content and its lookups, and the defaults. */
export interface StudyDeps {
  store: Store;
  content: Content;
  lookups: Lookups;
  /** AIPATH_TIMEZONE: the timezone of a workspace that has none of its own (see services/workspace.ts). */
  defaultTimezone: string;
  /** AIPATH_ADMINS. */
  admins: readonly string[];
  random: () => number;
  /** Multi-workspace mode: who installed a workspace, an admin there (see services/admins.ts). */
  installerOf?: InstallerLookup;
  /** Multi-workspace mode: the workspace's installation; without it, a single-workspace install. */
  installationOf?: InstallationLookup;
}

/** A choice the caller may have meant, for a "did you mean" answer. */
export interface Candidate {
  id: string;
  label: string;
  kind?: 'service' | 'concept';
}

/** A name that matched no record (`ambiguous`: it fits several equally; otherwise these are near misses). */
export interface NotFound {
  kind: 'not-found';
  query: string;
  candidates: Candidate[];
  ambiguous: boolean;
}
