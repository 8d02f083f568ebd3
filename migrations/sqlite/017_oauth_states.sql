-- The OAuth install flow's states that came back from Slack (src/slack/oauth-state.ts): each state is good for one
-- redirect, so a replayed redirect finds its id here and is refused. Rows are forgotten once the state has expired
-- anyway. PostgreSQL 012 is the same table.
CREATE TABLE oauth_states (
  state_id TEXT PRIMARY KEY,
  used_at TEXT NOT NULL
);
CREATE INDEX oauth_states_used_at ON oauth_states (used_at);
