import type { OAuthStatesRepository } from '../../ports/store.js';
import type { Queryable } from './connection.js';

export function postgresOAuthStates(q: Queryable): OAuthStatesRepository {
  return {
    // The primary key decides between two redirects carrying one state, whichever replica each reaches.
    async consume(stateId, now, forgetBefore) {
      await q.run('DELETE FROM oauth_states WHERE used_at < $1', [forgetBefore]);
      return (await q.run('INSERT INTO oauth_states (state_id, used_at) VALUES ($1, $2) ON CONFLICT (state_id) DO NOTHING', [stateId, now])) > 0;
    },
  };
}
