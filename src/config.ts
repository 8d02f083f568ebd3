import { z } from 'zod';
import { isIanaZone } from './domain/timezone.js';
import { parseEncryptionKey, SecretBoxError } from './shared/secret-box.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_DB_PATH = './data/aipath.db';
/** The console's own file when AIPATH_DB is not set: its fake workspace never mixes with the bot's data. */
export const CONSOLE_DB_PATH = './data/console.db';
/** How long an uninstalled workspace's data is kept before it is purged (AIPATH_RETENTION_DAYS). */
export const DEFAULT_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 3650;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalSecret = (pattern: RegExp, expects: string) => z.preprocess(blankToUndefined, z.string().regex(pattern, { message: expects }).optional());

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalSecret(/^xoxb-[A-Za-z0-9-]+$/, 'a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: optionalSecret(/^xapp-[A-Za-z0-9-]+$/, 'an app-level token starting with xapp-'),
  SLACK_SIGNING_SECRET: optionalSecret(/^[A-Za-z0-9]{16,128}$/, 'the signing secret from Basic Information (16 or more letters and digits)'),
  SLACK_CLIENT_ID: optionalSecret(/^[0-9]+\.[0-9]+$/, 'the Client ID from Basic Information, such as 1234567890.1234567890'),
  SLACK_CLIENT_SECRET: optionalSecret(/^[A-Za-z0-9]{16,128}$/, 'the Client Secret from Basic Information (16 or more letters and digits)'),
  SLACK_STATE_SECRET: optionalSecret(/^\S{16,256}$/, 'a random string of 16 or more characters without spaces (openssl rand -hex 32)'),
  AIPATH_ENCRYPTION_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  AIPATH_NEW_ENCRYPTION_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  AIPATH_RETENTION_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}` })
      .int({ message: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}` })
      .min(1, { message: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}` })
      .max(MAX_RETENTION_DAYS, { message: `a whole number of days from 1 to ${MAX_RETENTION_DAYS}` })
      .default(DEFAULT_RETENTION_DAYS),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: 'a port number from 1 to 65535' })
      .int({ message: 'a port number from 1 to 65535' })
      .min(1, { message: 'a port number from 1 to 65535' })
      .max(65535, { message: 'a port number from 1 to 65535' })
      .default(3000),
  ),
  SLACK_API_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .url({ message: 'an http(s) URL such as https://slack.com/api/' })
      .refine((u) => /^https?:\/\//.test(u), { message: 'an http(s) URL such as https://slack.com/api/' })
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .default(DEFAULT_SLACK_API_URL),
  ),
  AIPATH_DB: z.preprocess(blankToUndefined, z.string().optional()),
  AIPATH_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().refine(isIanaZone, { message: 'an IANA timezone such as Europe/London or America/New_York' }).default('UTC'),
  ),
  AIPATH_ADMINS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      )
      .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, { message: 'comma-separated Slack user IDs such as U012ABCDEF,U034GHIJKL' })))
      .default([]),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z.enum(LOG_LEVELS, { message: `one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
});

export type SlackMode =
  | { kind: 'socket'; botToken: string; appToken: string }
  | { kind: 'http'; botToken: string; signingSecret: string; port: number }
  /** Multi-workspace HTTP mode: installs through OAuth v2, one bot token per workspace, kept sealed with `encryptionKey`. */
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; signingSecret: string; port: number; encryptionKey: Buffer }
  | { kind: 'console' };

export interface Config {
  mode: SlackMode;
  slackApiUrl: string;
  dbPath: string;
  /** The database the console uses: AIPATH_DB if set, else its own file (CONSOLE_DB_PATH). */
  consoleDbPath: string;
  defaultTimezone: string;
  admins: readonly string[];
  logLevel: LogLevelName;
  /** AIPATH_ENCRYPTION_KEY (32 bytes) when set: the key bot tokens are sealed with (required in multi-workspace mode). */
  encryptionKey: Buffer | undefined;
  /** AIPATH_NEW_ENCRYPTION_KEY (32 bytes) when set: the key `aipath rotate-key` re-seals every token with. */
  newEncryptionKey: Buffer | undefined;
  /** How many days an uninstalled workspace's data is kept before it is purged (AIPATH_RETENTION_DAYS). */
  retentionDays: number;
}

/** A configuration problem, worded as one line a person can act on; never carries a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_VARS = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'AIPATH_ENCRYPTION_KEY',
  'AIPATH_NEW_ENCRYPTION_KEY',
]);

function describeProblem(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const variable = String(issue.path[0] ?? 'environment');
  const raw = env[variable];
  const shown = SECRET_VARS.has(variable) || raw === undefined ? '' : ` (got "${raw.slice(0, 60)}")`;
  return `${variable} must be ${issue.message}${shown}`;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(first ? describeProblem(first, env) : 'invalid environment');
  }
  const e = parsed.data;
  const encryptionKey = encryptionKeyFrom('AIPATH_ENCRYPTION_KEY', e.AIPATH_ENCRYPTION_KEY);
  return {
    mode: chooseMode(e, encryptionKey),
    slackApiUrl: e.SLACK_API_URL,
    dbPath: e.AIPATH_DB ?? DEFAULT_DB_PATH,
    consoleDbPath: e.AIPATH_DB ?? CONSOLE_DB_PATH,
    defaultTimezone: e.AIPATH_TIMEZONE,
    admins: e.AIPATH_ADMINS,
    logLevel: e.LOG_LEVEL,
    encryptionKey,
    newEncryptionKey: encryptionKeyFrom('AIPATH_NEW_ENCRYPTION_KEY', e.AIPATH_NEW_ENCRYPTION_KEY),
    retentionDays: e.AIPATH_RETENTION_DAYS,
  };
}

/** A key variable's 32 bytes, or a one-line ConfigError naming it that never repeats its value. */
function encryptionKeyFrom(variable: string, value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  try {
    return parseEncryptionKey(value);
  } catch (err) {
    if (err instanceof SecretBoxError) throw new ConfigError(`${variable} ${err.message}`);
    throw err;
  }
}

function chooseMode(e: z.infer<typeof EnvSchema>, encryptionKey: Buffer | undefined): SlackMode {
  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: secret } = e;
  const oauth = { SLACK_CLIENT_ID: e.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: e.SLACK_STATE_SECRET };
  // With a bot token the single-workspace modes are chosen exactly as before, whatever OAuth variables are also set.
  if (!bot && Object.values(oauth).some((v) => v !== undefined)) return chooseOAuthMode(e, encryptionKey);
  if (!bot && !app && !secret) return { kind: 'console' };
  if (!bot) throw new ConfigError('SLACK_BOT_TOKEN must be set (a bot token starting with xoxb-) when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  if (app) return { kind: 'socket', botToken: bot, appToken: app };
  if (secret) return { kind: 'http', botToken: bot, signingSecret: secret, port: e.PORT };
  throw new ConfigError('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) must be set along with SLACK_BOT_TOKEN');
}

/** Multi-workspace HTTP mode: every OAuth variable, the signing secret and the encryption key, and no app token. */
function chooseOAuthMode(e: z.infer<typeof EnvSchema>, encryptionKey: Buffer | undefined): SlackMode {
  const required = {
    SLACK_CLIENT_ID: e.SLACK_CLIENT_ID,
    SLACK_CLIENT_SECRET: e.SLACK_CLIENT_SECRET,
    SLACK_STATE_SECRET: e.SLACK_STATE_SECRET,
    SLACK_SIGNING_SECRET: e.SLACK_SIGNING_SECRET,
  };
  const missing = Object.entries(required)
    .filter(([, v]) => v === undefined)
    .map(([name]) => name);
  if (missing.length)
    throw new ConfigError(
      `${missing.join(', ')} must be set too for multi-workspace mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET, without SLACK_BOT_TOKEN)`,
    );
  if (e.SLACK_APP_TOKEN)
    throw new ConfigError(
      'SLACK_APP_TOKEN must not be set in multi-workspace mode, which runs over HTTP: unset it, or set SLACK_BOT_TOKEN for single-workspace Socket Mode',
    );
  if (!encryptionKey)
    throw new ConfigError(
      'AIPATH_ENCRYPTION_KEY must be set in multi-workspace mode: 32 random bytes in base64 (openssl rand -base64 32), to encrypt bot tokens at rest',
    );
  return {
    kind: 'oauth',
    clientId: required.SLACK_CLIENT_ID!,
    clientSecret: required.SLACK_CLIENT_SECRET!,
    stateSecret: required.SLACK_STATE_SECRET!,
    signingSecret: required.SLACK_SIGNING_SECRET!,
    port: e.PORT,
    encryptionKey,
  };
}
