import { randomBytes } from 'node:crypto';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type AppLogger, createLogger } from '../../src/log.js';
import { type OAuthGrant, ScriptableFakeSlack } from './fake-slack.js';
import { answerAt } from './harness.js';
import { type TestEngine, testDatabase, testEngine } from './postgres.js';
import { actionBody, commandBody, postSigned } from './signed.js';

export const SECRET = 'testsigningsecret0123456789abcdef';
export const STATE_SECRET = 'teststatesecret-0123456789abcdef';
export const STATE_COOKIE = 'slack-app-oauth-state';

/** Where a request comes from: a workspace, or a workspace of a Grid org (with the org-wide install flag as Slack sets it). */
export interface From {
  team: string;
  enterprise?: string;
  isEnterpriseInstall?: boolean;
  user?: string;
  channel?: string;
}

/** What a browser went through on the way to the install's last page. */
export interface InstallVisit {
  /** The Add to Slack redirect: Slack's authorize URL. */
  authorizeUrl: URL;
  /** The state cookie /slack/install set. */
  cookie: string;
  /** Slack's redirect back to the app (code and state, or error). */
  redirect: URL;
  /** The app's answer to it. */
  status: number;
  html: string;
}

export interface OAuthTestApp {
  app: RunningApp;
  fake: ScriptableFakeSlack;
  baseUrl: string;
  engine: TestEngine;
  dbPath: string;
  now: { value: Date };
  /**
   * A browser installing aipath: GET /slack/install (its cookie kept), Slack's authorize page (where the user approves
   * `grant`, or cancels with 'deny'), and the redirect back to /slack/oauth_redirect with the cookie.
   */
  install(grant: OAuthGrant | 'deny', o?: { beforeRedirect?: () => void }): Promise<InstallVisit>;
  /** GET /slack/install alone: the cookie and the state it set, and where it sends the browser. */
  startInstall(): Promise<{ cookie: string; state: string; authorizeUrl: URL; status: number }>;
  /** GET a URL of the app as a browser would, with a cookie if given. */
  browse(pathAndQuery: string, cookie?: string): Promise<{ status: number; html: string; headers: Headers }>;
  /** Sends the command; resolves with its acknowledgement. */
  command(text: string, from: From): Promise<Response>;
  /** The answer to a command: the acknowledgement's body if it carried one, else what the app posted to its response_url. */
  commandJson(text: string, from: From): Promise<{ response_type?: string; text: string }>;
  action(actionId: string, from: From & { value?: string; responseUrl?: string }): Promise<Response>;
  /** An Events API callback as Slack sends it for `from`'s installation. */
  event(event: Record<string, unknown>, from: From): Promise<Response>;
  close(): Promise<void>;
}

const cookieOf = (res: Response) => /slack-app-oauth-state=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';

/**
 * The real Bolt app in multi-workspace HTTP mode on 127.0.0.1, its Web API (oauth.v2.access included) and Slack's
 * authorize page played by the fake Slack, on a database of its own (SQLite file, or a fresh PostgreSQL database).
 */
export async function startOAuthApp(opts: { now?: Date; engine?: TestEngine; env?: Record<string, string>; logger?: AppLogger } = {}): Promise<OAuthTestApp> {
  const fake = await new ScriptableFakeSlack().start();
  const db = await testDatabase(opts.engine ?? testEngine(), 'oauth');
  const now = { value: opts.now ?? new Date('2026-11-23T10:00:00Z') };
  let app: RunningApp;
  try {
    const config = loadConfig({
      SLACK_CLIENT_ID: fake.client.id,
      SLACK_CLIENT_SECRET: fake.client.secret,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_SIGNING_SECRET: SECRET,
      AIPATH_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SLACK_API_URL: fake.url,
      AIPATH_DB: db.path,
      ...opts.env,
    });
    app = await startApp(config, {
      clock: { now: () => now.value },
      logger: opts.logger ?? createLogger('error'),
      host: '127.0.0.1',
      port: 0,
      startCron: false,
      random: () => 0,
    });
  } catch (err) {
    await fake.stop();
    await db.drop();
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${app.port}`;
  fake.redirectUrl = `${baseUrl}/slack/oauth_redirect`;

  const browse: OAuthTestApp['browse'] = async (pathAndQuery, cookie) => {
    const res = await fetch(new URL(pathAndQuery, baseUrl), { redirect: 'manual', headers: cookie ? { cookie: `${STATE_COOKIE}=${cookie}` } : {} });
    return { status: res.status, html: await res.text(), headers: res.headers };
  };
  const startInstall: OAuthTestApp['startInstall'] = async () => {
    const res = await fetch(`${baseUrl}/slack/install`, { redirect: 'manual' });
    await res.text();
    const authorizeUrl = new URL(res.headers.get('location') ?? 'http://invalid/');
    return { status: res.status, cookie: cookieOf(res), state: authorizeUrl.searchParams.get('state') ?? '', authorizeUrl };
  };
  const teamFields = (from: From) => ({
    team_id: from.team,
    ...(from.enterprise ? { enterprise_id: from.enterprise } : {}),
    ...(from.isEnterpriseInstall !== undefined ? { is_enterprise_install: String(from.isEnterpriseInstall) } : {}),
  });

  let commands = 0;
  const sendCommand = (text: string, from: From, responsePath: string) =>
    postSigned(
      `${baseUrl}/slack/events`,
      commandBody({
        text,
        ...teamFields(from),
        user_id: from.user ?? 'U0LEARNER1',
        channel_id: from.channel ?? 'C0STUDY01',
        response_url: `${fake.responseUrlBase}${responsePath}`,
      }),
      'application/x-www-form-urlencoded',
      { secret: SECRET },
    );
  return {
    app,
    fake,
    baseUrl,
    engine: db.engine,
    dbPath: db.path,
    now,
    startInstall,
    browse,
    async install(grant, o = {}) {
      const started = await startInstall();
      if (started.status !== 302) throw new Error(`/slack/install answered ${started.status}`);
      fake.approveNext(grant);
      const atSlack = await fetch(started.authorizeUrl, { redirect: 'manual' });
      await atSlack.text();
      if (atSlack.status !== 302) throw new Error(`Slack's authorize page answered ${atSlack.status}`);
      const redirect = new URL(atSlack.headers.get('location')!);
      o.beforeRedirect?.();
      const page = await browse(`${redirect.pathname}${redirect.search}`, started.cookie);
      return { authorizeUrl: started.authorizeUrl, cookie: started.cookie, redirect, status: page.status, html: page.html };
    },
    command: (text, from) => sendCommand(text, from, `cmd-${++commands}`),
    async commandJson(text, from) {
      const path = `cmd-${++commands}`;
      const res = await sendCommand(text, from, path);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const ack = await res.text();
      if (ack !== '') return JSON.parse(ack) as { response_type?: string; text: string };
      const answer = await answerAt(fake, path);
      await app.idle();
      return answer as { response_type?: string; text: string };
    },
    action: (actionId, from) =>
      postSigned(
        `${baseUrl}/slack/events`,
        actionBody({
          type: 'block_actions',
          team: from.isEnterpriseInstall ? null : { id: from.team, ...(from.enterprise ? { enterprise_id: from.enterprise } : {}) },
          enterprise: from.enterprise ? { id: from.enterprise } : null,
          is_enterprise_install: from.isEnterpriseInstall ?? false,
          user: { id: from.user ?? 'U0LEARNER1', team_id: from.team },
          channel: { id: from.channel ?? 'C0STUDY01' },
          api_app_id: 'A0AIPATH01',
          trigger_id: '1.2.3',
          response_url: from.responseUrl ?? `${fake.responseUrlBase}action-${from.team}`,
          actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value: from.value, action_ts: '1' }],
        }),
        'application/x-www-form-urlencoded',
        { secret: SECRET },
      ),
    event: (event, from) =>
      postSigned(
        `${baseUrl}/slack/events`,
        JSON.stringify({
          type: 'event_callback',
          team_id: from.team,
          ...(from.enterprise ? { enterprise_id: from.enterprise } : {}),
          api_app_id: 'A0AIPATH01',
          event,
          event_id: `Ev${randomBytes(6).toString('hex')}`,
          event_time: Math.floor(now.value.getTime() / 1000),
          authorizations: [
            {
              enterprise_id: from.enterprise ?? null,
              team_id: from.isEnterpriseInstall ? null : from.team,
              user_id: 'U0AIPATHBOT',
              is_bot: true,
              is_enterprise_install: from.isEnterpriseInstall ?? false,
            },
          ],
        }),
        'application/json',
        { secret: SECRET },
      ),
    async close() {
      await app.stop();
      await fake.stop();
      await db.drop();
    },
  };
}
