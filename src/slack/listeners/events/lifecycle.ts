import type { App, Context } from '@slack/bolt';
import { z } from 'zod';
import type { AppLogger } from '../../../log.js';
import type { UninstallReason } from '../../../services/installations.js';
import { installationKey } from '../../installation-keys.js';

/** Only the bot tokens matter: aipath asks for no user token. */
const TokensRevokedEvent = z.object({ tokens: z.object({ bot: z.array(z.string()).optional() }).optional() });

export interface LifecycleDeps {
  /** Ends the installation `key` (token deleted, deliveries stopped); true if it was active. */
  end(key: string, reason: UninstallReason): Promise<boolean>;
  logger: AppLogger;
}

/**
 * Multi-workspace mode: `app_uninstalled` and `tokens_revoked` end the installation they are about. Bolt runs these two
 * without authorize (the token is already gone) and acknowledges them before this runs; a repeat changes nothing.
 */
export function registerInstallLifecycle(app: App, deps: LifecycleDeps): void {
  const end = async (context: Context, reason: UninstallReason) => {
    const key = installationKey({ teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall });
    if (!key) {
      deps.logger.warn(`${reason} for no workspace or organisation: ignored`);
      return;
    }
    if (!(await deps.end(key, reason))) deps.logger.info(`${reason} for ${key}, which had no active installation: nothing to do`);
  };
  app.event('app_uninstalled', async ({ context }) => end(context, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, context }) => {
    const parsed = TokensRevokedEvent.safeParse(event);
    // User tokens only (aipath holds none): the bot keeps working.
    if (!parsed.success || !parsed.data.tokens?.bot?.length) return;
    await end(context, 'tokens_revoked');
  });
}
