import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/load.js';
import { createLogger } from '../../src/log.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';
import { commandAnswer } from '../support/harness.js';
import { testDatabase, testEngine, type TestDatabaseHandle } from '../support/postgres.js';
import { answerAction, rightResponse } from '../support/quiz-answers.js';
import { FakeSocketModeServer } from '../support/socket-mode-server.js';

const TEAM = 'T0SOCKET01';
const BOT_TOKEN = 'xoxb-socket-bot-token';
const APP_TOKEN = 'xapp-1-A0AIPATHAPP-1-socketmodetoken';

interface SocketWorld {
  app: RunningApp;
  fake: ScriptableFakeSlack;
  sm: FakeSocketModeServer;
  db: TestDatabaseHandle;
  close(): Promise<void>;
}

/** The real Bolt app in Socket Mode: its Web API at the fake Slack, its connection to the local Socket Mode server. */
async function startSocketWorld(): Promise<SocketWorld> {
  const sm = await new FakeSocketModeServer().start();
  const fake = (await new ScriptableFakeSlack().start()).serveSocketMode(sm);
  fake.teamId = TEAM;
  const db = await testDatabase(testEngine(), 'socket');
  const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.url, AIPATH_DB: db.path });
  const now = new Date('2026-11-23T10:00:00Z');
  const app = await startApp(config, { clock: { now: () => now }, logger: createLogger('error'), startCron: false, random: () => 0 });
  return {
    app,
    fake,
    sm,
    db,
    async close() {
      await app.stop();
      await sm.stop();
      await fake.stop();
      await db.drop();
    },
  };
}

let commands = 0;

/** A slash command as Slack puts it in a Socket Mode envelope: the form fields, as JSON strings. */
const slashCommand = (fake: ScriptableFakeSlack, text: string, user = 'U0SOCKET01', responsePath = `cmd-${++commands}`) => ({
  token: 'unused',
  team_id: TEAM,
  team_domain: 'aipath-local',
  channel_id: 'C0SOCKET01',
  channel_name: 'study',
  user_id: user,
  user_name: 'learner',
  command: '/aipath',
  text,
  api_app_id: 'A0AIPATHAPP',
  is_enterprise_install: 'false',
  response_url: `${fake.responseUrlBase}${responsePath}`,
  trigger_id: '1.2.3',
});

type Answer = { response_type?: string; text?: string; blocks?: unknown };

/**
 * Sends `/aipath text` in an envelope: the app answers in its acknowledgement's payload (or, when the answer takes
 * longer, acknowledges with none and answers by its response_url); resolves with the connection that carried it and
 * the answer.
 */
async function ask(sm: FakeSocketModeServer, fake: ScriptableFakeSlack, text: string, user?: string) {
  const path = `cmd-${++commands}`;
  const ack = await sm.envelope('slash_commands', slashCommand(fake, text, user, path));
  return { connection: ack.connection, answer: (await commandAnswer(ack.payload, fake, path)) as Answer };
}

/** A button click as Slack puts it in an `interactive` envelope: the block_actions payload itself, not a form. */
const blockAction = (fake: ScriptableFakeSlack, user: string, action: { actionId: string; value: string; state?: unknown }) => ({
  type: 'block_actions',
  user: { id: user, username: 'learner', team_id: TEAM },
  api_app_id: 'A0AIPATHAPP',
  token: 'unused',
  container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'C0SOCKET01', is_ephemeral: true },
  trigger_id: '1.2.3',
  team: { id: TEAM, domain: 'aipath-local' },
  channel: { id: 'C0SOCKET01', name: 'study' },
  response_url: `${fake.responseUrlBase}${user}`,
  actions: [{ type: 'button', action_id: action.actionId, block_id: 'b1', value: action.value, action_ts: '1800000001.000001' }],
  ...(action.state ? { state: action.state } : {}),
});

const appHomeOpened = (user: string) => ({
  token: 'unused',
  team_id: TEAM,
  api_app_id: 'A0AIPATHAPP',
  event: { type: 'app_home_opened', user, channel: 'D0SOCKET01', tab: 'home', event_ts: '1800000002.000001' },
  type: 'event_callback',
  event_id: `Ev${user}`,
  event_time: 1800000002,
  authorizations: [{ team_id: TEAM, user_id: 'U0AIPATHBOT', is_bot: true, is_enterprise_install: false }],
  is_ext_shared_channel: false,
});

describe('the fake Web API for Socket Mode', () => {
  it('opens a connection only for an app-level token, as Slack does', async () => {
    const sm = await new FakeSocketModeServer().start();
    const fake = (await new ScriptableFakeSlack().start()).serveSocketMode(sm);
    try {
      const open = (token: string) => new WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 } }).apps.connections.open();
      await expect(open(BOT_TOKEN)).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
      const opened = await open(APP_TOKEN);
      expect(opened.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[0-9a-f-]{36}&app_id=${sm.appId}$`));
      expect(fake.callsOf('apps.connections.open').map((c) => c.token)).toEqual([BOT_TOKEN, APP_TOKEN]);
    } finally {
      await sm.stop();
      await fake.stop();
    }
  });
});

describe('Socket Mode', () => {
  let w: SocketWorld;
  beforeAll(async () => {
    w = await startSocketWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('connects at start with the app-level token, one connection', async () => {
    expect(w.app.mode).toBe('socket');
    expect(w.app.port).toBeUndefined();
    expect(w.fake.callsOf('apps.connections.open').map((c) => c.token)).toEqual([APP_TOKEN]);
    expect(w.sm.connectionCount).toBe(1);
    expect(w.sm.openConnections).toBe(1);
  });

  it("answers /aipath in the payload of its envelope's acknowledgement", async () => {
    const help = (await ask(w.sm, w.fake, 'help')).answer;
    expect(help).toMatchObject({ response_type: 'ephemeral' });
    expect(help.text).toContain('aipath: your study companion');
    expect(JSON.stringify(help.blocks)).toContain('/aipath start');

    const start = (await ask(w.sm, w.fake, 'start devops')).answer;
    expect(start.text).toContain('Week 1 starts today');
    expect(await w.app.services.store.enrolments.current(TEAM, 'U0SOCKET01')).toMatchObject({ trackId: 'devops' });

    const status = (await ask(w.sm, w.fake, 'status')).answer;
    expect(String(status.text)).toMatch(/DevOps/i);
    expect(w.sm.unexpected).toEqual([]);
  });

  it('acknowledges a button click and answers it by response_url', async () => {
    const quiz = (await ask(w.sm, w.fake, 'quiz')).answer;
    const questionId = /"value":"([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(quiz.blocks))![1]!;
    const q = loadContent().question(questionId)!;
    const before = w.fake.callsOf('response_url').length;
    const ack = await w.sm.envelope('interactive', blockAction(w.fake, 'U0SOCKET01', answerAction(q, 'pquiz', questionId, rightResponse(q))));
    expect(ack.payload ?? {}).toEqual({});
    await expect.poll(() => w.fake.callsOf('response_url').length).toBeGreaterThan(before);
    expect(String(w.fake.callsOf('response_url')[before]!.params.text)).toMatch(/^Right!/);
    await expect.poll(async () => (await w.app.services.store.quiz.answersOf(TEAM, 'U0SOCKET01')).length).toBe(1);
  });

  it('publishes the Home tab with the bot token when app_home_opened arrives', async () => {
    const before = w.fake.callsOf('views.publish').length;
    await w.sm.envelope('events_api', appHomeOpened('U0SOCKET01'));
    await expect.poll(() => w.fake.callsOf('views.publish').length).toBe(before + 1);
    const publish = w.fake.callsOf('views.publish').at(-1)!;
    expect(publish.token).toBe(BOT_TOKEN);
    expect(publish.params.user_id).toBe('U0SOCKET01');
    expect(publish.params.view).toMatchObject({ type: 'home' });
  });

  it('reconnects when Slack asks it to, without waiting 5 s, and answers on the new connection', async () => {
    const opens = w.fake.callsOf('apps.connections.open').length;
    const connections = w.sm.connectionCount;
    const asked = Date.now();
    await w.sm.disconnect('refresh_requested');
    expect(await w.sm.closedWith(connections)).toBe(1000);
    await w.sm.waitForConnections(connections + 1);
    // @slack/socket-mode's own loop waits 5 s (its ping timeout) before reconnecting; this connection was young, so
    // it backs off 1 s (an old one reconnects at once).
    expect(Date.now() - asked).toBeLessThan(4000);
    expect(
      w.fake
        .callsOf('apps.connections.open')
        .slice(opens)
        .map((c) => c.token),
    ).toEqual([APP_TOKEN]);
    const help = await ask(w.sm, w.fake, 'help');
    expect(help.connection).toBe(connections + 1);
    expect(help.answer.text).toContain('aipath: your study companion');
  });

  it('reconnects after the connection drops without a close frame', async () => {
    const connections = w.sm.connectionCount;
    w.sm.dropConnections();
    expect(await w.sm.closedWith(connections)).toBe(1006);
    await w.sm.waitForConnections(connections + 1);
    const status = await ask(w.sm, w.fake, 'status');
    expect(status.connection).toBe(connections + 1);
    expect(String(status.answer.text)).toMatch(/DevOps/i);
  });

  it('calls the Web API with the bot token, and only apps.connections.open with the app-level token', () => {
    const others = w.fake.calls.filter((c) => c.method !== 'apps.connections.open' && c.method !== 'response_url');
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((c) => c.token))).toEqual(new Set([BOT_TOKEN]));
  });
});

describe('keeping the Socket Mode connection', () => {
  /** Unhandled rejections while `work` runs: @slack/socket-mode's own reconnect loop leaves some unhandled. */
  async function rejectionsDuring(work: () => Promise<void>): Promise<unknown[]> {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', record);
    try {
      await work();
      // A rejection is reported after the microtask queue drains.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', record);
    }
    return rejections;
  }

  it('stop() resolves once the connection is closed, and nothing reconnects', async () => {
    const w = await startSocketWorld();
    try {
      await w.app.stop();
      expect(w.sm.openConnections).toBe(0);
      expect(await w.sm.closedWith(1)).toBe(1000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(w.sm.connectionCount).toBe(1);
      expect(w.fake.callsOf('apps.connections.open')).toHaveLength(1);
    } finally {
      await w.close();
    }
  });

  it('stop() during a reconnect leaves no connection open behind it', async () => {
    const w = await startSocketWorld();
    try {
      w.fake.script('apps.connections.open', { delayMs: 400, body: { ok: true, url: w.sm.issueUrl() } });
      await w.sm.disconnect('refresh_requested');
      await expect.poll(() => w.fake.callsOf('apps.connections.open').length, { timeout: 8000 }).toBe(2);
      await w.app.stop();
      expect(w.sm.openConnections).toBe(0);
      const connections = w.sm.connectionCount;
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(w.sm.openConnections).toBe(0);
      expect(w.sm.connectionCount).toBe(connections);
    } finally {
      await w.close();
    }
  });

  it('a failed apps.connections.open during a reconnect is retried, never left as an unhandled rejection', async () => {
    const w = await startSocketWorld();
    try {
      const rejections = await rejectionsDuring(async () => {
        w.fake.script('apps.connections.open', { status: 503, body: 'unavailable' }, 2);
        await w.sm.disconnect('refresh_requested');
        await w.sm.waitForConnections(2, 15_000);
      });
      expect(rejections).toEqual([]);
      expect(w.fake.callsOf('apps.connections.open')).toHaveLength(4);
      const help = await ask(w.sm, w.fake, 'help');
      expect(help.connection).toBe(2);
    } finally {
      await w.close();
    }
  });

  it('starts while Slack cannot be reached, and connects once it can', async () => {
    const sm = await new FakeSocketModeServer().start();
    const fake = (await new ScriptableFakeSlack().start()).serveSocketMode(sm);
    fake.script('apps.connections.open', { status: 500, body: 'oops' }, 2);
    const db = await testDatabase(testEngine(), 'socket');
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.url, AIPATH_DB: db.path });
    const app = await startApp(config, { logger: createLogger('error'), startCron: false });
    try {
      await sm.waitForConnections(1);
      expect(fake.callsOf('apps.connections.open')).toHaveLength(3);
      expect((await ask(sm, fake, 'help')).answer.text).toContain('aipath: your study companion');
    } finally {
      await app.stop();
      await sm.stop();
      await fake.stop();
      await db.drop();
    }
  });

  it('a refused app-level token stops start-up with one line naming SLACK_APP_TOKEN, and never prints it', async () => {
    const sm = await new FakeSocketModeServer().start();
    const fake = (await new ScriptableFakeSlack().start()).serveSocketMode(sm);
    fake.script('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    const db = await testDatabase(testEngine(), 'socket');
    try {
      const config = loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: fake.url, AIPATH_DB: db.path });
      const started = startApp(config, { logger: createLogger('error'), startCron: false });
      await expect(started).rejects.toBeInstanceOf(ConfigError);
      const err = (await started.catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/^SLACK_APP_TOKEN was refused by Slack \(invalid_auth\)/);
      expect(err.message).not.toContain(APP_TOKEN);
      expect(sm.connectionCount).toBe(0);
    } finally {
      await sm.stop();
      await fake.stop();
      await db.drop();
    }
  });
});
