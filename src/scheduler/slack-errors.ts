/** Slack errors about one target that no retry will fix: the target is paused with the reason until someone acts. */
export const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'restricted_action',
]);

/** Slack errors about the installation (its token or scopes): they pause the whole workspace, never one target. */
export const INSTALLATION_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
  'missing_scope',
  'no_permission',
]);

export interface ClassifiedError {
  permanent: boolean;
  /** The workspace's installation is at fault, not the target. */
  installation: boolean;
  reason: string;
  /** Seconds Slack asked us to wait (HTTP 429). */
  retryAfter?: number;
}

/** Reads @slack/web-api's error shapes: platform errors carry Slack's code, others are transport. */
export function classifySlackError(err: unknown): ClassifiedError {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; message?: string; retryAfter?: number };
  if (e?.code === 'slack_webapi_rate_limited_error') return { permanent: false, installation: false, reason: 'rate_limited', retryAfter: e.retryAfter ?? 1 };
  const slackCode = e?.data?.error;
  if (slackCode) return { permanent: PERMANENT_ERRORS.has(slackCode), installation: INSTALLATION_ERRORS.has(slackCode), reason: slackCode };
  if (e?.statusCode) return { permanent: false, installation: false, reason: `http_${e.statusCode}` };
  return { permanent: false, installation: false, reason: e?.message?.slice(0, 200) ?? 'unknown error' };
}
