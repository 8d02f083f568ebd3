import type { StudyDeps } from './context.js';
import type { Config } from '../config.js';
import type { Content } from '../content/content.js';
import { buildLookups } from '../content/lookups.js';
import { loadStartupContent } from '../content/snapshot.js';
import type { AppLogger } from '../log.js';
import type { Store } from '../ports/store.js';
import { openStore } from '../store/open.js';

export interface Services {
  store: Store;
  content: Content;
  study: StudyDeps;
}

/** Everything below Slack: database (migrated), content (validated) and the study logic's dependencies. */
export interface BuildOptions {
  contentDir?: string;
  /** The build's content snapshot (default: dist/content.snapshot.json beside the code); used only when it matches the YAML. */
  contentSnapshot?: string;
  random?: () => number;
  /** The write-lock wait once started (see OpenStoreOptions). */
  busyTimeoutMs?: number;
}

export async function buildServices(config: Config, logger: AppLogger, opts: BuildOptions = {}): Promise<Services> {
  const { content } = await loadStartupContent({ dir: opts.contentDir, snapshotFile: opts.contentSnapshot, logger: logger.child('content') });
  const store = await openStore(config.dbPath, logger, { busyTimeoutMs: opts.busyTimeoutMs, boardZone: config.defaultTimezone });
  return {
    store,
    content,
    study: {
      store,
      content,
      lookups: buildLookups(content),
      defaultTimezone: config.defaultTimezone,
      admins: config.admins,
      random: opts.random ?? Math.random,
    },
  };
}
