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
  /**
   * The store, already opening (openServicesStore): `aipath start` opens it while the code for Slack is still loading,
   * so that on PostgreSQL the migration's round trips overlap that work. Closed here if the services fail.
   */
  store?: Promise<Store>;
}

/** How long one statement on the request path (a running app's) may block the event loop waiting for a write lock. */
export const REQUEST_BUSY_TIMEOUT_MS = 50;

/** The database of AIPATH_DB, opened and migrated for the services (board totals kept for the default timezone). */
export function openServicesStore(config: Config, logger: AppLogger, busyTimeoutMs?: number): Promise<Store> {
  return openStore(config.dbPath, logger, { busyTimeoutMs, boardZone: config.defaultTimezone });
}

export async function buildServices(config: Config, logger: AppLogger, opts: BuildOptions = {}): Promise<Services> {
  let content: Content;
  try {
    ({ content } = await loadStartupContent({ dir: opts.contentDir, snapshotFile: opts.contentSnapshot, logger: logger.child('content') }));
  } catch (err) {
    await opts.store?.then((s) => s.database.close()).catch(() => {});
    throw err;
  }
  const store = await (opts.store ?? openServicesStore(config, logger, opts.busyTimeoutMs));
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
