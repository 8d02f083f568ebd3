import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { AppLogger } from '../log.js';
import type { InstallationRecord, Store } from '../ports/store.js';
import { activeInstallation, recordInstall, recordUninstall, type UninstallReason } from '../services/installations.js';
import { adoptInstallerTimezone } from '../services/workspace.js';
import { retryWhileBusy } from '../shared/busy.js';
import type { Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import { NotInstalledError } from './errors.js';
import { candidatesForWorkspace, type InstallationSource, installationCandidates, installationKey } from './installation-keys.js';
import type { ResolvedToken } from './installations-gateway.js';

/** Seals bot tokens at rest and opens them, bound to the installation they belong to (src/shared/secret-box.ts). */
export interface TokenBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export interface PortsInstallationStoreOptions {
  store: Store;
  box: TokenBox;
  clock: Clock;
  logger: AppLogger;
  /** Told the key of an installation that was saved or ended, so that cached clients of it are dropped. */
  changed?(installationKey: string): void;
  /** The installer's timezone as their Slack profile gives it, asked with the new bot token. */
  installerTimezone?(botToken: string, userId: string): Promise<string | null>;
}

/**
 * @slack/oauth's installation store over our ports: InstallProvider saves what oauth.v2.access granted through it,
 * and Bolt's authorize and the delivery gateway read tokens back through it. The bot token is sealed before it
 * reaches the store and unsealed only in memory; nothing else of Slack's answer (user tokens, webhooks) is kept.
 */
export class PortsInstallationStore implements InstallationStore {
  constructor(private readonly o: PortsInstallationStoreOptions) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const source: InstallationSource = {
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    };
    const key = installationKey(source);
    if (!key) throw new Error('Slack’s answer names neither a workspace nor an organisation');
    const bot = installation.bot;
    if (!bot) throw new Error('Slack granted no bot token');
    const record = {
      workspaceId: key,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      isEnterpriseInstall: source.isEnterpriseInstall === true,
      teamName: installation.team?.name ?? installation.enterprise?.name ?? null,
      botUserId: bot.userId,
      botId: bot.id || null,
      scopes: bot.scopes,
      installerUserId: installation.user.id,
      tokenCiphertext: this.o.box.seal(bot.token, key),
      installedAt: this.o.clock.now(),
    };
    await retryWhileBusy(() => recordInstall(this.o.store, record));
    this.o.changed?.(key);
    this.o.logger.info(`installed into ${key}${record.teamName ? ` (${record.teamName})` : ''} by ${record.installerUserId}`);
    await this.adoptInstallerTimezone(key, bot.token, record.installerUserId);
  }

  /** The workspace's default timezone becomes the installer's, unless an admin chose one already; a failure only costs that. */
  private async adoptInstallerTimezone(key: string, botToken: string, installer: string): Promise<void> {
    if (!this.o.installerTimezone) return;
    try {
      const tz = await this.o.installerTimezone(botToken, installer);
      await retryWhileBusy(() => adoptInstallerTimezone(this.o.store.workspaceSettings, key, tz));
    } catch (err) {
      this.o.logger.warn(`could not read the installer's timezone for ${key}; the workspace keeps AIPATH_TIMEZONE: ${errorMessage(err)}`);
    }
  }

  /** For Bolt's authorize: the installation that serves the request's workspace; NotInstalledError when none does. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', boolean>> {
    const keys = installationCandidates(query);
    const found = await retryWhileBusy(() => activeInstallation(this.o.store, keys));
    if (!found) throw new NotInstalledError(keys[0] ?? 'unknown');
    const token = this.unseal(found);
    return {
      team: found.teamId ? { id: found.teamId, name: found.teamName ?? undefined } : undefined,
      enterprise: found.enterpriseId ? { id: found.enterpriseId } : undefined,
      isEnterpriseInstall: found.isEnterpriseInstall,
      bot: { token, userId: found.botUserId, id: found.botId ?? '', scopes: found.scopes },
      user: { id: found.installerUserId, token: undefined, scopes: undefined },
      authVersion: 'v2',
    };
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    if (key) await this.end(key, 'app_uninstalled');
  }

  /** Ends the installation `key` (see recordUninstall); true if it was active. */
  async end(key: string, reason: UninstallReason): Promise<boolean> {
    const ended = await retryWhileBusy(() => recordUninstall(this.o.store, key, reason, this.o.clock.now()));
    this.o.changed?.(key);
    if (ended) this.o.logger.info(`installation ${key} ended (${reason}): its token is deleted and its deliveries stopped`);
    return ended;
  }

  /** For the delivery gateway: the token that speaks for a workspace key (its own installation, else its org's). */
  async resolve(workspaceId: string): Promise<ResolvedToken | undefined> {
    const found = await retryWhileBusy(() => activeInstallation(this.o.store, candidatesForWorkspace(workspaceId)));
    return found ? { installationKey: found.workspaceId, token: this.unseal(found) } : undefined;
  }

  private unseal(found: InstallationRecord): string {
    try {
      return this.o.box.open(found.tokenCiphertext ?? '', found.workspaceId);
    } catch (err) {
      this.o.logger.error(`the bot token of ${found.workspaceId} cannot be unsealed: ${errorMessage(err)}`);
      throw new NotInstalledError(found.workspaceId, 'token_unreadable');
    }
  }
}
