import type { WorkspaceSettingsRepository } from '../../ports/store.js';
import { first, type Queryable } from './connection.js';

const SET_TZ = `INSERT INTO workspace_settings (workspace_id, default_tz) VALUES ($1, $2)
  ON CONFLICT (workspace_id) DO UPDATE SET default_tz = excluded.default_tz`;
// The installer's timezone: written only where no admin chose one (a reinstall keeps the choice).
const INIT_TZ = `${SET_TZ} WHERE workspace_settings.default_tz IS NULL`;

export function postgresWorkspaceSettings(q: Queryable): WorkspaceSettingsRepository {
  return {
    async get(ws) {
      const row = first(
        await q.rows<{ default_tz: string | null; recap_mentions: boolean; weekend_posts: boolean }>(
          'SELECT default_tz, recap_mentions, weekend_posts FROM workspace_settings WHERE workspace_id = $1',
          [ws],
        ),
      );
      return { workspaceId: ws, defaultTz: row?.default_tz ?? null, recapMentions: row?.recap_mentions ?? true, weekendPosts: row?.weekend_posts ?? true };
    },
    async setDefaultTimezone(ws, tz, opts = {}) {
      return (await q.run(opts.keepExisting ? INIT_TZ : SET_TZ, [ws, tz])) > 0;
    },
    async setRecapMentions(ws, on) {
      await q.run(
        `INSERT INTO workspace_settings (workspace_id, recap_mentions) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET recap_mentions = excluded.recap_mentions`,
        [ws, on],
      );
    },
    async setWeekendPosts(ws, on) {
      await q.run(
        `INSERT INTO workspace_settings (workspace_id, weekend_posts) VALUES ($1, $2)
         ON CONFLICT (workspace_id) DO UPDATE SET weekend_posts = excluded.weekend_posts`,
        [ws, on],
      );
    },
  };
}
