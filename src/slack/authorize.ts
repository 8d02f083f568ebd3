import type { AckFn, App, Authorize, AuthorizeResult, RespondFn } from '@slack/bolt';
import { AuthorizationError, type InstallProvider } from '@slack/oauth';
import type { AppLogger } from '../log.js';
import { NotInstalledError } from './errors.js';
import { SORRY, toAck } from './listeners/commands/aipath.js';
import { ephemeral, type Reply } from './presenters/reply.js';
import { noticeView } from './views/help.js';

/** Set in a request's context when aipath cannot serve its workspace; Bolt's listeners never see such a request. */
const NOT_SERVED = 'aipathNotServed';
/** Set by the receiver: where this server's Add to Slack page is, as the request reached it. */
export const INSTALL_URL = 'aipathInstallUrl';

type NotServed = 'not_installed' | 'unavailable';

/**
 * Bolt's authorize in multi-workspace mode: InstallProvider's, over our installation store (the token of the request's
 * workspace, or of its Grid org's org-wide install, unsealed). Bolt answers a request whose authorize throws with an
 * empty 200, so a workspace without an installation, or an installation that cannot be read, is let through marked
 * instead, without a token, and answered by `answerUnservedRequests`.
 */
export function installationAuthorize(installer: InstallProvider, logger: AppLogger): Authorize<boolean> {
  return async (source) => {
    try {
      return await installer.authorize(source as Parameters<InstallProvider['authorize']>[0]);
    } catch (err) {
      const cause = err instanceof AuthorizationError && err.original ? err.original : err;
      const marked: AuthorizeResult = { teamId: source.teamId, enterpriseId: source.enterpriseId };
      if (cause instanceof NotInstalledError && cause.reason === 'not_installed') return { ...marked, [NOT_SERVED]: 'not_installed' satisfies NotServed };
      logger.error('the installation for a request could not be read', cause);
      return { ...marked, [NOT_SERVED]: 'unavailable' satisfies NotServed };
    }
  };
}

export function notInstalledReply(installUrl: string | undefined): Reply {
  const where = installUrl ? `at <${installUrl}>` : 'from the app’s install page';
  return ephemeral(
    noticeView(`aipath is not installed in this workspace any more, so nothing was changed. A workspace admin can add it again ${where}.`, ':wave:'),
  );
}

/**
 * Answers the requests `installationAuthorize` marked, and stops them there: a slash command gets a polite ephemeral
 * reply (where to install aipath again, or a sorry); a click gets the same by its response_url; an event is dropped
 * (Bolt has acknowledged it). Nothing is read or written for them.
 */
export function answerUnservedRequests(app: App, logger: AppLogger): void {
  app.use(async (args) => {
    const { context, body, next } = args;
    const notServed = context[NOT_SERVED] as NotServed | undefined;
    if (!notServed) return next();
    const installUrl = typeof context[INSTALL_URL] === 'string' ? context[INSTALL_URL] : undefined;
    const reply = notServed === 'not_installed' ? notInstalledReply(installUrl) : SORRY;
    const { ack, respond } = args as { ack?: AckFn<unknown>; respond?: RespondFn };
    const b = body as { command?: unknown; type?: unknown; response_url?: unknown };
    const where = [context.enterpriseId, context.teamId].filter(Boolean).join(':') || 'an unknown workspace';
    logger.info(`a request from ${where}, which aipath cannot serve (${notServed}): answered, nothing changed`);
    try {
      if (typeof b.command === 'string') {
        await ack?.(toAck(reply));
      } else {
        await ack?.();
        if (b.type === 'block_actions' && typeof b.response_url === 'string' && respond)
          await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text, blocks: reply.blocks });
      }
    } catch (err) {
      logger.warn(`could not answer a request from ${where}: ${(err as Error).message}`);
    }
  });
}
