/**
 * Every table that holds a workspace's rows, in the order `workspaces.purge` deletes from them (both engines have
 * the same schema, test/store/postgres-schema.test.ts). Children that reference a row of their own workspace go
 * first where the reference does not cascade (quiz_posts.delivery_id → deliveries); the rest cascade from users
 * anyway and are listed so that none is left to a foreign key's good will. Tables without a workspace_id column
 * (milestones_done, enrolment_nudges, mock_answers; quiz_answers, pre_card_answers, points and board_points, keyed by
 * the learner's number) go with their parent (ON DELETE CASCADE).
 *
 * A new table with a workspace_id column belongs here: test/store/workspace-purge.test.ts fails until it is.
 */
export const WORKSPACE_TABLES = [
  'users',
  'enrolments',
  'quiz_team',
  'study_days',
  'memory_cards',
  'review_log',
  'mock_exams',
  'quiz_posts',
  'deliveries',
  'subscriptions',
  'workspace_pauses',
  'send_pace',
  'workspace_settings',
  'board_zones',
  'boards',
  'installations',
] as const;

/**
 * Tables whose rows belong to no workspace, so a purge leaves them alone: oauth_states holds the ids of used OAuth
 * states (an install not finished yet has no workspace), forgotten within hours anyway.
 */
export const UNSCOPED_TABLES = ['oauth_states'] as const;

/** Tables whose rows belong to a workspace through a parent row (deleted with it, ON DELETE CASCADE). */
export const CASCADED_TABLES = ['milestones_done', 'enrolment_nudges', 'mock_answers', 'quiz_answers', 'pre_card_answers', 'points', 'board_points'] as const;

/**
 * For an enterprise id (an Enterprise Grid org-wide install's key, "E…"), the prefix of the keys of its
 * workspaces' data ("E…:T…", see workspaceKey in src/slack/payload.ts); undefined for a workspace's own key.
 */
export function enterprisePrefix(ws: string): string | undefined {
  return /^E[A-Z0-9]+$/.test(ws) ? `${ws}:` : undefined;
}
