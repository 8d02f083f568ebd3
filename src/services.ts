import type { Config } from './config.js';
import type { StudyDeps } from './commands/context.js';
import { loadContent, type Content } from './content/load.js';
import { buildLookups } from './content/lookups.js';
import { DatabaseWatch, openDatabase, type Db } from './store/db.js';
import { createStores, type Stores } from './store/index.js';
import { migrate } from './store/migrate.js';
import type { AppLogger } from './log.js';

export interface Services {
  db: Db;
  /** Whether the database is still the file that was opened, readable and writable. */
  watch: DatabaseWatch;
  stores: Stores;
  content: Content;
  study: StudyDeps;
}

/** Everything below Slack: database (migrated), content (validated) and the study logic's dependencies. */
export interface BuildOptions {
  contentDir?: string;
  random?: () => number;
  /** The write-lock wait once started (see OpenOptions); migrations always wait the full 5 s. */
  busyTimeoutMs?: number;
}

export function buildServices(config: Config, logger: AppLogger, opts: BuildOptions = {}): Services {
  const content = loadContent(opts.contentDir);
  const db = openDatabase(config.dbPath);
  try {
    const result = migrate(db);
    if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
  } catch (err) {
    db.close();
    throw err;
  }
  if (opts.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${opts.busyTimeoutMs}`);
  const stores = createStores(db);
  return {
    db,
    watch: new DatabaseWatch(db, config.dbPath),
    stores,
    content,
    study: {
      stores,
      content,
      lookups: buildLookups(content),
      defaultTimezone: config.defaultTimezone,
      admins: config.admins,
      random: opts.random ?? Math.random,
    },
  };
}
