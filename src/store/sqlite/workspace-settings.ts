import type { WorkspaceSettingsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import type { Synchronous } from './sync.js';

interface SettingsRow {
  default_tz: string | null;
  recap_mentions: number;
  weekend_posts: number;
}

export function sqliteWorkspaceSettings(db: Db): Synchronous<WorkspaceSettingsRepository> {
  const get = db.prepare<[string], SettingsRow>('SELECT default_tz, recap_mentions, weekend_posts FROM workspace_settings WHERE workspace_id = ?');
  const setTz = db.prepare(
    `INSERT INTO workspace_settings (workspace_id, default_tz) VALUES (?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET default_tz = excluded.default_tz`,
  );
  // The installer's timezone: written only where no admin chose one (a reinstall keeps the choice).
  const initTz = db.prepare(
    `INSERT INTO workspace_settings (workspace_id, default_tz) VALUES (?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET default_tz = excluded.default_tz WHERE workspace_settings.default_tz IS NULL`,
  );
  const setMentions = db.prepare(
    `INSERT INTO workspace_settings (workspace_id, recap_mentions) VALUES (?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET recap_mentions = excluded.recap_mentions`,
  );
  const setWeekends = db.prepare(
    `INSERT INTO workspace_settings (workspace_id, weekend_posts) VALUES (?, ?)
     ON CONFLICT (workspace_id) DO UPDATE SET weekend_posts = excluded.weekend_posts`,
  );
  return {
    get(ws) {
      const row = get.get(ws);
      return {
        workspaceId: ws,
        defaultTz: row?.default_tz ?? null,
        recapMentions: row ? row.recap_mentions === 1 : true,
        weekendPosts: row ? row.weekend_posts === 1 : true,
      };
    },
    setDefaultTimezone: (ws, tz, opts = {}) => (opts.keepExisting ? initTz : setTz).run(ws, tz).changes > 0,
    setRecapMentions: (ws, on) => void setMentions.run(ws, on ? 1 : 0),
    setWeekendPosts: (ws, on) => void setWeekends.run(ws, on ? 1 : 0),
  };
}
