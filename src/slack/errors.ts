import { webApi } from '@slack/bolt';
import { errorMessage } from '../shared/errors.js';

// @slack/web-api as Bolt loaded it: importing the package itself from ESM has Node scan its CommonJS exports again
// (its 90 KB methods.js) at every start.
const { ErrorCode } = webApi;

/** Slack errors about one target (a channel, a user) that no retry will fix. */
const TARGET_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'restricted_action',
]);

/** Slack errors about the installation itself (its token or scopes): they concern every target of the workspace. */
const INSTALLATION_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_access_not_granted',
  'missing_scope',
  'no_permission',
]);

/**
 * Multi-workspace mode: the workspace has no active installation (never installed, uninstalled, its token revoked),
 * or its token cannot be unsealed. Raised before any call reaches Slack; it concerns the whole workspace.
 */
export class NotInstalledError extends Error {
  override name = 'NotInstalledError';
  constructor(
    readonly workspaceId: string,
    readonly reason: 'not_installed' | 'token_unreadable' = 'not_installed',
  ) {
    super(
      `workspace ${workspaceId}: ${reason === 'not_installed' ? 'aipath has no active installation there' : 'its bot token cannot be unsealed with AIPATH_ENCRYPTION_KEY'}`,
    );
  }
}

/**
 * What a failed Web API call means for the caller:
 * - `target`: this channel or user cannot be reached; pause it with the reason;
 * - `installation`: the workspace's token or scopes; pause the workspace;
 * - `rate-limited`: wait `retryAfter` seconds;
 * - `transient`: try again later (network, 5xx, anything unknown).
 */
export type SlackFailure =
  | { kind: 'target'; reason: string }
  | { kind: 'installation'; reason: string }
  | { kind: 'rate-limited'; reason: 'rate_limited'; retryAfter: number }
  | { kind: 'transient'; reason: string };

/** Reads @slack/web-api's typed errors by their ErrorCode; anything else is transient. */
export function classifySlackError(err: unknown): SlackFailure {
  if (err instanceof NotInstalledError) return { kind: 'installation', reason: err.reason };
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; retryAfter?: number };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate-limited', reason: 'rate_limited', retryAfter: e.retryAfter ?? 1 };
    case ErrorCode.PlatformError: {
      const reason = e.data?.error ?? 'unknown_error';
      if (INSTALLATION_ERRORS.has(reason)) return { kind: 'installation', reason };
      return { kind: TARGET_ERRORS.has(reason) ? 'target' : 'transient', reason };
    }
    case ErrorCode.HTTPError:
      return { kind: 'transient', reason: `http_${e.statusCode ?? 'error'}` };
    default:
      return { kind: 'transient', reason: errorMessage(err).slice(0, 200) || 'unknown error' };
  }
}
