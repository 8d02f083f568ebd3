import type { OAuthStatesRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { iso, type Synchronous } from './sync.js';

export function sqliteOAuthStates(db: Db): Synchronous<OAuthStatesRepository> {
  const forget = db.prepare('DELETE FROM oauth_states WHERE used_at < ?');
  const use = db.prepare('INSERT INTO oauth_states (state_id, used_at) VALUES (?, ?) ON CONFLICT (state_id) DO NOTHING');
  return {
    consume(stateId, now, forgetBefore) {
      forget.run(iso(forgetBefore));
      return use.run(stateId, iso(now)).changes > 0;
    },
  };
}
