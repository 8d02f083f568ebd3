import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildContainer, type Container } from '../../src/container.js';
import { createLogger } from '../../src/log.js';
import { registerAipathCommand } from '../../src/slack/listeners/commands/aipath.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';

/**
 * A command's work starts before its acknowledgement is sent (an answer ready at once goes back in it). In Socket Mode
 * the acknowledgement is a message on the socket, and sending it fails if the connection has just dropped: the work
 * under way must still be one a graceful stop waits for, not left to run on after the database has closed.
 */
let container: Container | undefined;
let fake: ScriptableFakeSlack | undefined;
afterEach(async () => {
  await container?.close();
  await fake?.stop();
  container = fake = undefined;
});

type CommandListener = (args: Record<string, unknown>) => Promise<void>;

it('an acknowledgement that fails leaves the work it started tracked until that work ends', async () => {
  fake = await new ScriptableFakeSlack().start();
  container = await buildContainer(
    loadConfig({ AIPATH_DB: ':memory:', SLACK_BOT_TOKEN: 'xoxb-ack-failure', SLACK_APP_TOKEN: 'xapp-1-A0ACKFAIL-1-token', SLACK_API_URL: fake.url }),
    {
      logger: createLogger('error'),
    },
  );
  const deps = container.slackDeps;
  const listeners = new Map<string, CommandListener>();
  // Only the registration is needed: the listener is called as Bolt would call it, with an ack that fails.
  const app = { command: (name: string, listener: CommandListener) => listeners.set(name, listener) } as unknown as App;
  registerAipathCommand(app, deps);
  // A learner aipath has not seen: the work waits for their profile from Slack, so it is still running at the ack.
  fake.script('users.info', { body: { ok: true, user: { id: 'U0ACKFAIL1', tz: 'Europe/London', is_admin: false } }, delayMs: 200 });
  const client = new WebClient('xoxb-ack-failure', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  const responses: unknown[] = [];
  const listening = listeners.get('/aipath')!({
    command: { team_id: 'T0ACKFAIL1', user_id: 'U0ACKFAIL1', channel_id: 'C0ACKFAIL1', channel_name: 'study', text: 'start devops' },
    ack: () => Promise.reject(new Error('Socket Mode: the connection closed before the acknowledgement was sent')),
    client,
    logger: createLogger('error'),
    respond: async (r: unknown) => void responses.push(r),
  });
  await expect(listening).rejects.toThrow('connection closed');
  // The work is still under way (its profile look-up is held up), and tracked.
  expect(deps.inFlight.size).toBe(1);
  await deps.inFlight.idle();
  // It ran to the end: the learner is enrolled, though nobody could be answered.
  expect((await container.services.store.enrolments.current('T0ACKFAIL1', 'U0ACKFAIL1'))?.trackId).toBe('devops');
  expect(responses).toEqual([]);
});
