import type { WebClient } from '@slack/web-api';
import { NotInstalledError } from './errors.js';
import { type SlackGateway, type WorkspaceSlack, webClientSlack } from './gateway.js';

/** The bot token that speaks for a workspace key, and the key of the installation it comes from. */
export interface ResolvedToken {
  installationKey: string;
  token: string;
}

export interface InstallationsGatewayOptions {
  /**
   * The token of the workspace's active installation (its own, or its Grid org's), unsealed; undefined when it has
   * none. Throws NotInstalledError('token_unreadable') when the token cannot be unsealed.
   */
  resolve(workspaceId: string): Promise<ResolvedToken | undefined>;
  /** A Web API client for one token (scheduled sends: no blind retries, 429s rejected). */
  client(token: string): WebClient;
  /** How long an unsealed client is reused before the installation is read again. */
  ttlMs?: number;
  /** Wall-clock milliseconds, for the cache only. */
  now?: () => number;
}

/** Long enough that a fan-out reads each installation once, short enough that another replica's uninstall is seen soon. */
export const CLIENT_TTL_MS = 60_000;

/**
 * Multi-workspace mode's gateway: each workspace's scheduled calls carry the bot token of its own installation. The
 * token is unsealed once and its client kept for a minute; a workspace without an active installation gets
 * NotInstalledError before anything reaches Slack (the pass then pauses the workspace), and `forget` drops a client at
 * once when its installation ends or is replaced in this process.
 */
export class InstallationsGateway implements SlackGateway {
  private readonly cache = new Map<string, { installationKey: string; slack: Promise<WorkspaceSlack>; until: number }>();
  private readonly now: () => number;

  constructor(private readonly o: InstallationsGatewayOptions) {
    this.now = o.now ?? Date.now;
  }

  forWorkspace(workspaceId: string): WorkspaceSlack {
    const slack = () => this.slackFor(workspaceId);
    return {
      post: async (channel, message, deliveryId) => (await slack()).post(channel, message, deliveryId),
      update: async (channel, ts, message) => (await slack()).update(channel, ts, message),
      openDm: async (user) => (await slack()).openDm(user),
      findDelivery: async (channel, deliveryId, since) => (await slack()).findDelivery(channel, deliveryId, since),
      userProfile: async (user) => (await slack()).userProfile(user),
    };
  }

  async unavailable(workspaceId: string): Promise<string | undefined> {
    try {
      await this.slackFor(workspaceId);
      return undefined;
    } catch (err) {
      if (err instanceof NotInstalledError) return err.reason;
      throw err;
    }
  }

  /** Drops the clients made from installation `installationKey` (uninstalled, revoked or reinstalled). */
  forget(installationKey: string): void {
    // A read still under way may have begun before the change: it is dropped too.
    for (const [ws, entry] of this.cache) if (entry.installationKey === installationKey || entry.installationKey === '') this.cache.delete(ws);
  }

  /** Concurrent sends for one workspace share one read of its installation. */
  private slackFor(workspaceId: string): Promise<WorkspaceSlack> {
    const cached = this.cache.get(workspaceId);
    if (cached && cached.until > this.now()) return cached.slack;
    const entry = {
      installationKey: '',
      until: this.now() + (this.o.ttlMs ?? CLIENT_TTL_MS),
      slack: this.o.resolve(workspaceId).then((resolved) => {
        if (!resolved) throw new NotInstalledError(workspaceId);
        entry.installationKey = resolved.installationKey;
        return webClientSlack(this.o.client(resolved.token));
      }),
    };
    this.cache.set(workspaceId, entry);
    // Nothing is kept of a failed read: the next call reads the installation again (a reinstall shows at once).
    entry.slack.catch(() => {
      if (this.cache.get(workspaceId) === entry) this.cache.delete(workspaceId);
    });
    return entry.slack;
  }
}
