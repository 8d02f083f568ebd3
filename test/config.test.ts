import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const expectConfigError = (env: Record<string, string>, pattern: RegExp) => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toMatch(pattern);
  expect(message.split('\n')).toHaveLength(1);
  return message;
};

describe('loadConfig', () => {
  it('chooses console mode with no Slack variables and applies the defaults', () => {
    const c = loadConfig({});
    expect(c.mode).toEqual({ kind: 'console' });
    expect(c).toMatchObject({ dbPath: './data/aipath.db', defaultTimezone: 'UTC', admins: [], logLevel: 'info', slackApiUrl: 'https://slack.com/api/' });
  });

  it('gives the console its own database file unless AIPATH_DB is set', () => {
    expect(loadConfig({})).toMatchObject({ dbPath: './data/aipath.db', consoleDbPath: './data/console.db' });
    expect(loadConfig({ AIPATH_DB: ' ' })).toMatchObject({ dbPath: './data/aipath.db', consoleDbPath: './data/console.db' });
    expect(loadConfig({ AIPATH_DB: '/tmp/x.db' })).toMatchObject({ dbPath: '/tmp/x.db', consoleDbPath: '/tmp/x.db' });
  });

  it('chooses Socket Mode with a bot and an app token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_APP_TOKEN: 'xapp-1-A-3' }).mode.kind).toBe('socket');
  });

  it('chooses HTTP mode with a bot token and a signing secret, on PORT', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef', PORT: '8080' });
    expect(c.mode).toMatchObject({ kind: 'http', port: 8080 });
  });

  it('reads admins, timezone, log level and normalises the API URL', () => {
    const c = loadConfig({ AIPATH_ADMINS: 'U012ABC, W034DEF', AIPATH_TIMEZONE: 'Asia/Kolkata', LOG_LEVEL: 'DEBUG', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(c.admins).toEqual(['U012ABC', 'W034DEF']);
    expect(c.defaultTimezone).toBe('Asia/Kolkata');
    expect(c.logLevel).toBe('debug');
    expect(c.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('rejects a malformed bot token without printing it', () => {
    const message = expectConfigError(
      { SLACK_BOT_TOKEN: 'xoxp-secret-user-token', SLACK_APP_TOKEN: 'xapp-1' },
      /^SLACK_BOT_TOKEN must be a bot token starting with xoxb-/,
    );
    expect(message).not.toContain('secret-user-token');
  });

  it('rejects a malformed app token and signing secret without printing them', () => {
    expect(expectConfigError({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong-kind' }, /^SLACK_APP_TOKEN/)).not.toContain('wrong-kind');
    expect(expectConfigError({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'short' }, /^SLACK_SIGNING_SECRET/)).not.toContain('short"');
  });

  it('rejects a bot token with neither an app token nor a signing secret', () => {
    expectConfigError({ SLACK_BOT_TOKEN: 'xoxb-1-2' }, /SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET \(HTTP mode\)/);
  });

  it('rejects an app token or signing secret without a bot token', () => {
    expectConfigError({ SLACK_APP_TOKEN: 'xapp-1-A' }, /^SLACK_BOT_TOKEN must be set/);
  });

  it('rejects a timezone that is not IANA', () => {
    expectConfigError({ AIPATH_TIMEZONE: 'Mars/Olympus' }, /^AIPATH_TIMEZONE must be an IANA timezone.*Mars\/Olympus/);
    expectConfigError({ AIPATH_TIMEZONE: '+05:30' }, /^AIPATH_TIMEZONE/);
  });

  it.each(['0', '65536', 'http', '80.5', '-1'])('rejects PORT=%s', (port) => {
    expectConfigError({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef', PORT: port }, /^PORT must be a port number from 1 to 65535/);
  });

  it('rejects a bad log level, admin list or API URL', () => {
    expectConfigError({ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL must be one of debug, info, warn, error/);
    expectConfigError({ AIPATH_ADMINS: 'alice,bob' }, /^AIPATH_ADMINS must be comma-separated Slack user IDs/);
    expectConfigError({ SLACK_API_URL: 'slack.com/api' }, /^SLACK_API_URL must be an http\(s\) URL/);
  });
});
