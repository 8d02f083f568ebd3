import { startApp, type RunningApp } from '../../src/app.js';
import type { FollowUps } from '../../src/slack/follow-ups.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { ScriptableFakeSlack } from './fake-slack.js';
import { type TestEngine, testDatabase, testEngine } from './postgres.js';
import { actionBody, commandBody, postSigned, type SignedRequestOptions } from './signed.js';

export const SECRET = 'testsigningsecret0123456789abcdef';
export const TEAM = 'T0TEST001';

export interface CommandOptions {
  user?: string;
  channel?: string;
  team?: string;
  channelName?: string;
}

export interface TestApp {
  app: RunningApp;
  fake: ScriptableFakeSlack;
  baseUrl: string;
  /** The engine the app runs on, and its AIPATH_DB: a SQLite file, or a fresh PostgreSQL database's URL. */
  engine: TestEngine;
  dbPath: string;
  now: { value: Date };
  /** A slash command as Slack sends it; `channelName` is Slack's channel_name ('directmessage' in a DM). Resolves with its acknowledgement (the answer follows by response_url: see commandJson). */
  command(text: string, o?: CommandOptions & Partial<SignedRequestOptions>): Promise<Response>;
  /** The answer to a command: the acknowledgement's body if it carried one, else what the app posted to the command's response_url. */
  commandJson(text: string, o?: CommandOptions): Promise<{ response_type?: string; text: string; blocks: unknown[] }>;
  /**
   * A click as Slack sends it; `state` is the message's pickers, `responseUrl` where the answer goes (default: per user),
   * `container` the message the button is on (Slack's `container` of a message: its channel, ts, and whether ephemeral).
   */
  action(
    actionId: string,
    o?: {
      user?: string;
      channel?: string;
      value?: string;
      team?: string;
      state?: unknown;
      responseUrl?: string;
      container?: { channel_id: string; message_ts: string; is_ephemeral: boolean };
    },
  ): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A command's answer: the one its acknowledgement carried (an HTTP response's JSON body, a Socket Mode envelope's
 * payload), else the one posted to the response_url ending in `path` (an answer that took longer).
 */
export async function commandAnswer(inAck: unknown, fake: ScriptableFakeSlack, path: string): Promise<Record<string, unknown>> {
  const body = typeof inAck === 'string' ? (inAck === '' ? undefined : (JSON.parse(inAck) as unknown)) : inAck;
  if (body && typeof body === 'object' && typeof (body as { text?: unknown }).text === 'string') return body as Record<string, unknown>;
  return answerAt(fake, path);
}

/** The last answer the app posted to a response_url ending in `path`, once it has (the app answers after acknowledging). */
export async function answerAt(fake: ScriptableFakeSlack, path: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const posts = fake.callsOf('response_url').filter((c) => c.path.endsWith(`/${path}`));
    // A holding reply may come first; the answer replaces it.
    const answer = posts.findLast((c) => !String(c.params.text ?? '').includes('waiting for its database'));
    if (answer) return answer.params;
    if (Date.now() > deadline) throw new Error(`no answer was posted to the response_url ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * The real Bolt app in HTTP mode on 127.0.0.1, its Web API pointed at a fake Slack, on a database of its own: a SQLite
 * file in a temporary folder, or a fresh database on the run's PostgreSQL server, as `opts.engine` (default: the
 * AIPATH_TEST_ENGINE of the run, see testEngine) says.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { now?: Date; random?: () => number; engine?: TestEngine; followUps?: FollowUps } = {},
): Promise<TestApp> {
  const fake = await new ScriptableFakeSlack().start();
  const db = await testDatabase(opts.engine ?? testEngine(), 'app');
  const dbPath = db.path;
  const now = { value: opts.now ?? new Date('2026-11-23T10:00:00Z') };
  let app: RunningApp;
  try {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.url,
      AIPATH_DB: dbPath,
      ...env,
    });
    app = await startApp(config, {
      clock: { now: () => now.value },
      logger: createLogger('error'),
      host: '127.0.0.1',
      port: 0,
      startCron: false,
      random: opts.random ?? (() => 0),
      followUps: opts.followUps,
    });
  } catch (err) {
    await fake.stop();
    await db.drop();
    throw err;
  }
  const baseUrl = `http://127.0.0.1:${app.port}`;
  let commands = 0;
  const send = (text: string, responsePath: string, o: Parameters<TestApp['command']>[1] = {}) =>
    postSigned(
      `${baseUrl}/slack/events`,
      commandBody({
        text,
        team_id: o.team ?? TEAM,
        user_id: o.user ?? 'U0LEARNER1',
        channel_id: o.channel ?? 'C0STUDY01',
        ...(o.channelName ? { channel_name: o.channelName } : {}),
        response_url: `${fake.responseUrlBase}${responsePath}`,
      }),
      'application/x-www-form-urlencoded',
      { secret: SECRET, ...o },
    );
  const command: TestApp['command'] = (text, o) => send(text, `cmd-${++commands}`, o);
  return {
    app,
    fake,
    baseUrl,
    engine: db.engine,
    dbPath,
    now,
    command,
    async commandJson(text, o) {
      const path = `cmd-${++commands}`;
      const res = await send(text, path, o);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const answer = await commandAnswer(await res.text(), fake, path);
      // What the command set off after its answer (a Home refresh) is done too, so the next step starts from rest.
      await app.idle();
      return answer as { response_type?: string; text: string; blocks: unknown[] };
    },
    action: (actionId, o = {}) =>
      postSigned(
        `${baseUrl}/slack/events`,
        actionBody({
          type: 'block_actions',
          team: { id: o.team ?? TEAM },
          user: { id: o.user ?? 'U0LEARNER1', team_id: o.team ?? TEAM },
          channel: { id: o.channel ?? 'C0STUDY01' },
          api_app_id: 'A0TEST',
          trigger_id: '1.2.3',
          response_url: o.responseUrl ?? `${fake.responseUrlBase}action`,
          actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value: o.value, action_ts: '1' }],
          ...(o.state ? { state: o.state } : {}),
          ...(o.container ? { container: { type: 'message', ...o.container } } : {}),
        }),
        'application/x-www-form-urlencoded',
        { secret: SECRET },
      ),
    async close() {
      await app.stop();
      await fake.stop();
      await db.drop();
    },
  };
}
