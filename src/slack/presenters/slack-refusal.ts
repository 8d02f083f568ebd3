/** What to do when Slack refused a call a command made: `reason` is Slack's error (see CommandSlack). */
export function slackRefusalAdvice(reason: string, scope: string): string {
  switch (reason) {
    case 'not_in_channel':
    case 'channel_not_found':
      return 'aipath is not in this channel (or cannot see it): invite it with `/invite @aipath`.';
    case 'is_archived':
      return 'This channel is archived.';
    case 'missing_scope':
    case 'no_permission':
      return `aipath's install lacks the \`${scope}\` permission: a workspace admin or owner can reinstall the app to grant it, then try again.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return "aipath's access to this workspace no longer works: reinstall the app, then try again.";
    case 'rate_limited':
    case 'ratelimited':
      return 'Slack asked aipath to slow down: try again in a minute.';
    default:
      return `Slack answered \`${reason.slice(0, 100)}\`: try again in a minute.`;
  }
}
