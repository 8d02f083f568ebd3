import type { Content } from '../content/content.js';
import type { Lookups } from '../content/lookups.js';
import type { Store } from '../ports/store.js';

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
  now: Date;
  profile(): Promise<Profile>;
}

/** What the use cases work with: the store, the content and its lookups, and the workspace's defaults. */
export interface StudyDeps {
  store: Store;
  content: Content;
  lookups: Lookups;
  defaultTimezone: string;
  admins: readonly string[];
  random: () => number;
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
