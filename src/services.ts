import type { Config } from './config.js';
import type { StudyDeps } from './commands/context.js';
import { loadContent, type Content } from './content/load.js';
import { buildLookups } from './content/lookups.js';
import { openDatabase, type Db } from './store/db.js';
import { createStores, type Stores } from './store/index.js';
import { migrate } from './store/migrate.js';
import type { AppLogger } from './log.js';

export interface Services {
  db: Db;
  stores: Stores;
  content: Content;
  study: StudyDeps;
}

/** Everything below Slack: database (migrated), content (validated) and the study logic's dependencies. */
export function buildServices(config: Config, logger: AppLogger, opts: { contentDir?: string; random?: () => number } = {}): Services {
  const content = loadContent(opts.contentDir);
  const db = openDatabase(config.dbPath);
  try {
    const result = migrate(db);
    if (result.applied.length > 0) logger.info(`applied migrations: ${result.applied.join(', ')}`);
  } catch (err) {
    db.close();
    throw err;
  }
  const stores = createStores(db);
  return {
    db,
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
