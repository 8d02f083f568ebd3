import { randomBytes } from 'node:crypto';
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

  it('applies the defaults of the multi-workspace variables in every mode', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ encryptionKey: undefined, newEncryptionKey: undefined, retentionDays: 30 });
  });
});

describe('loadConfig: multi-workspace (OAuth) mode', () => {
  const KEY = randomBytes(32);
  const OAUTH = {
    SLACK_CLIENT_ID: '1234567890.0987654321',
    SLACK_CLIENT_SECRET: 'c0ffee0123456789abcdef0123456789',
    SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
    SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef',
    AIPATH_ENCRYPTION_KEY: KEY.toString('base64'),
  };
  const without = (...names: (keyof typeof OAUTH)[]) =>
    Object.fromEntries(Object.entries(OAUTH).filter(([name]) => !names.includes(name as keyof typeof OAUTH)));

  it('is chosen by the client id, client secret, state secret and signing secret with no bot token', () => {
    const c = loadConfig({ ...OAUTH, PORT: '8081' });
    expect(c.mode).toEqual({
      kind: 'oauth',
      clientId: '1234567890.0987654321',
      clientSecret: 'c0ffee0123456789abcdef0123456789',
      stateSecret: 'state-secret-0123456789abcdef',
      signingSecret: 'abcdef0123456789abcdef',
      port: 8081,
      encryptionKey: KEY,
    });
    expect(c.encryptionKey).toEqual(KEY);
    expect(c.retentionDays).toBe(30);
  });

  it('leaves the single-workspace modes exactly as they were when a bot token is set, OAuth variables or not', () => {
    expect(loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1-2' }).mode).toEqual({
      kind: 'http',
      botToken: 'xoxb-1-2',
      signingSecret: OAUTH.SLACK_SIGNING_SECRET,
      port: 3000,
    });
    expect(loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_APP_TOKEN: 'xapp-1-A-3' }).mode).toEqual({
      kind: 'socket',
      botToken: 'xoxb-1-2',
      appToken: 'xapp-1-A-3',
    });
    // The signing secret alone is the old error, as before.
    expectConfigError({ SLACK_SIGNING_SECRET: OAUTH.SLACK_SIGNING_SECRET }, /^SLACK_BOT_TOKEN must be set/);
  });

  it.each(['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET'] as const)(
    'stops with one line naming %s when it is missing',
    (name) => {
      const message = expectConfigError(without(name), new RegExp(`^${name} must be set too for multi-workspace mode`));
      for (const secret of [OAUTH.SLACK_CLIENT_SECRET, OAUTH.SLACK_STATE_SECRET, OAUTH.SLACK_SIGNING_SECRET, OAUTH.AIPATH_ENCRYPTION_KEY])
        expect(message).not.toContain(secret);
    },
  );

  it('names every missing variable at once', () => {
    expectConfigError({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID }, /^SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET must be set too/);
  });

  it('requires AIPATH_ENCRYPTION_KEY', () => {
    expectConfigError(without('AIPATH_ENCRYPTION_KEY'), /^AIPATH_ENCRYPTION_KEY must be set in multi-workspace mode: 32 random bytes in base64/);
    expectConfigError({ ...OAUTH, AIPATH_ENCRYPTION_KEY: '  ' }, /^AIPATH_ENCRYPTION_KEY must be set in multi-workspace mode/);
  });

  it('refuses an encryption key that is not exactly 32 bytes of base64, without printing it', () => {
    for (const [value, expected] of [
      [randomBytes(16).toString('base64'), /^AIPATH_ENCRYPTION_KEY holds 16 bytes: it must be exactly 32 random bytes in base64/],
      [randomBytes(48).toString('base64'), /^AIPATH_ENCRYPTION_KEY holds 48 bytes/],
      [randomBytes(32).toString('hex'), /^AIPATH_ENCRYPTION_KEY holds 48 bytes/],
      ['my very secret passphrase!', /^AIPATH_ENCRYPTION_KEY is not base64/],
    ] as const) {
      expect(expectConfigError({ ...OAUTH, AIPATH_ENCRYPTION_KEY: value }, expected)).not.toContain(value);
    }
    // Checked in every mode once set: a wrong key is never found out later, at the first token.
    expect(expectConfigError({ AIPATH_ENCRYPTION_KEY: 'c2hvcnQ=' }, /^AIPATH_ENCRYPTION_KEY holds 5 bytes/)).not.toContain('c2hvcnQ=');
    const newKey = randomBytes(32).toString('base64');
    expect(loadConfig({ AIPATH_NEW_ENCRYPTION_KEY: newKey }).newEncryptionKey).toEqual(Buffer.from(newKey, 'base64'));
    expect(expectConfigError({ AIPATH_NEW_ENCRYPTION_KEY: 'c2hvcnQ=' }, /^AIPATH_NEW_ENCRYPTION_KEY holds 5 bytes/)).not.toContain('c2hvcnQ=');
  });

  it('refuses malformed client id, client secret and state secret, printing no secret', () => {
    expect(expectConfigError({ ...OAUTH, SLACK_CLIENT_ID: 'my-app' }, /^SLACK_CLIENT_ID must be the Client ID from Basic Information/)).toContain('my-app');
    expect(expectConfigError({ ...OAUTH, SLACK_CLIENT_SECRET: 'short-secret' }, /^SLACK_CLIENT_SECRET must be the Client Secret/)).not.toContain(
      'short-secret',
    );
    expect(expectConfigError({ ...OAUTH, SLACK_STATE_SECRET: 'tiny' }, /^SLACK_STATE_SECRET must be a random string of 16 or more characters/)).not.toContain(
      'tiny',
    );
    expect(expectConfigError({ ...OAUTH, SLACK_STATE_SECRET: 'has spaces in it, long enough' }, /^SLACK_STATE_SECRET/)).not.toContain('has spaces');
  });

  it('is HTTP only: an app token with the OAuth variables is refused', () => {
    expectConfigError({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1-A-3' }, /^SLACK_APP_TOKEN must not be set in multi-workspace mode/);
  });

  it('reads AIPATH_RETENTION_DAYS from 1 to 3650', () => {
    expect(loadConfig({ ...OAUTH, AIPATH_RETENTION_DAYS: '7' }).retentionDays).toBe(7);
    expect(loadConfig({ AIPATH_RETENTION_DAYS: '1' }).retentionDays).toBe(1);
    expect(loadConfig({ AIPATH_RETENTION_DAYS: '3650' }).retentionDays).toBe(3650);
    expect(loadConfig({ AIPATH_RETENTION_DAYS: '' }).retentionDays).toBe(30);
    for (const days of ['0', '3651', '-5', '1.5', 'a month']) {
      expectConfigError({ AIPATH_RETENTION_DAYS: days }, /^AIPATH_RETENTION_DAYS must be a whole number of days from 1 to 3650/);
    }
  });
});
