import { z } from 'zod';
import { isIanaZone } from './domain/timezone.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_DB_PATH = './data/aipath.db';
/** The console's own file when AIPATH_DB is not set: its fake workspace never mixes with the bot's data. */
export const CONSOLE_DB_PATH = './data/console.db';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalSecret = (pattern: RegExp, expects: string) => z.preprocess(blankToUndefined, z.string().regex(pattern, { message: expects }).optional());

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalSecret(/^xoxb-[A-Za-z0-9-]+$/, 'a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: optionalSecret(/^xapp-[A-Za-z0-9-]+$/, 'an app-level token starting with xapp-'),
  SLACK_SIGNING_SECRET: optionalSecret(/^[A-Za-z0-9]{16,128}$/, 'the signing secret from Basic Information (16 or more letters and digits)'),
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
}

/** A configuration problem, worded as one line a person can act on; never carries a secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_VARS = new Set(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET']);

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
  return {
    mode: chooseMode(e),
    slackApiUrl: e.SLACK_API_URL,
    dbPath: e.AIPATH_DB ?? DEFAULT_DB_PATH,
    consoleDbPath: e.AIPATH_DB ?? CONSOLE_DB_PATH,
    defaultTimezone: e.AIPATH_TIMEZONE,
    admins: e.AIPATH_ADMINS,
    logLevel: e.LOG_LEVEL,
  };
}

function chooseMode(e: z.infer<typeof EnvSchema>): SlackMode {
  const { SLACK_BOT_TOKEN: bot, SLACK_APP_TOKEN: app, SLACK_SIGNING_SECRET: secret } = e;
  if (!bot && !app && !secret) return { kind: 'console' };
  if (!bot) throw new ConfigError('SLACK_BOT_TOKEN must be set (a bot token starting with xoxb-) when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  if (app) return { kind: 'socket', botToken: bot, appToken: app };
  if (secret) return { kind: 'http', botToken: bot, signingSecret: secret, port: e.PORT };
  throw new ConfigError('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) must be set along with SLACK_BOT_TOKEN');
}
