-- A Slack error about the installation itself (a revoked or invalid token, a missing scope) says
-- nothing about one channel or learner: it pauses every delivery of the workspace. A later pass
-- probes with a real send now and then, and a success resumes the workspace.
CREATE TABLE workspace_pauses (
  workspace_id TEXT PRIMARY KEY,
  reason       TEXT NOT NULL,      -- Slack's error code
  paused_at    TEXT NOT NULL,
  probed_at    TEXT NOT NULL       -- the last send that tried whether the installation works again
) WITHOUT ROWID;
