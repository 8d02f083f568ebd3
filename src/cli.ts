#!/usr/bin/env node
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ContentError } from './content/content.js';
import { isIanaZone } from './domain/timezone.js';
import { createLogger, type AppLogger } from './log.js';
import { MigrationError } from './store/sqlite/migrate.js';
import { systemClock } from './shared/clock.js';

// Each command imports what only it needs when it runs: `start` in a Slack mode loads neither the console nor the
// YAML loader and its schemas (the build's content snapshot stands in for them), `content check` loads no Bolt.

const USAGE = `aipath: a Slack study companion from cloud roles to AI/ML roles on AWS

Usage: aipath <command> [options]

Commands:
  start                 run the bot: Socket Mode, HTTP mode or the local console, chosen by the environment
  console               open the local console (a fake workspace in your terminal), whatever the environment
      --user U…           act as this user (default U0CONSOLE1)      --member   act as a non-admin
      --channel C…        type in this channel (default C0STUDY01)   --tz Area/City  your timezone
      --at <ISO-8601>     start the fake clock here
      (its data lives in ./data/console.db unless AIPATH_DB is set)
  tick [--now <ISO>]    run exactly one scheduler pass as of that instant (default: now), print a summary
  migrate               apply pending database migrations
  content check         validate everything under content/
  rotate-key            re-seal every stored bot token (multi-workspace mode) from AIPATH_ENCRYPTION_KEY to
                        AIPATH_NEW_ENCRYPTION_KEY; safe to run again (tokens already under the new key are skipped)
  workspace purge <team> [--force]
                        delete every row of a workspace now: T… (a team), E…:T… (a team in an Enterprise Grid org)
                        or E… (an org-wide install); --force also for a workspace that is still installed

Environment: SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, PORT, SLACK_API_URL, AIPATH_DB,
AIPATH_TIMEZONE, AIPATH_ADMINS, LOG_LEVEL; multi-workspace mode: SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,
SLACK_STATE_SECRET, AIPATH_ENCRYPTION_KEY, AIPATH_NEW_ENCRYPTION_KEY (rotate-key), AIPATH_RETENTION_DAYS
(see README.md). With no Slack variables, start opens the console.`;

class UsageError extends Error {}

function config(env = process.env): Config {
  return loadConfig(env);
}

/**
 * Standard input for the console that `start` opens: a terminal as it is; a pipe once it has brought
 * something. A pipe that ends before a single line is most likely a container started without its
 * Slack variables: `undefined`, for `start` to say which to set.
 */
async function consoleInput(stdin: NodeJS.ReadStream): Promise<Readable | undefined> {
  if (stdin.isTTY) return stdin;
  const chunks: AsyncIterator<Buffer> = stdin[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return undefined;
  return Readable.from(
    (async function* () {
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );
}

async function startCommand(logger: AppLogger, cfg: Config): Promise<number> {
  if (cfg.mode.kind === 'console') {
    const input = await consoleInput(process.stdin);
    if (!input)
      throw new ConfigError(
        'no Slack variables are set and standard input is empty: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP mode) or with SLACK_APP_TOKEN (Socket Mode), or pipe /aipath commands in for the local console',
      );
    return consoleCommand([], cfg, logger, input);
  }
  const { startApp } = await import('./app.js');
  // Signals are listened for from the start on: one that comes while Bolt connects (Slack may already be sending
  // requests) waits for the start to finish and then stops cleanly, rather than ending the process by default.
  const starting = startApp(cfg, { logger });
  const shutdown = (signal: string) => {
    logger.info(`${signal} received`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    void starting
      .then((app) => app.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await starting;
  return new Promise<number>(() => {});
}

async function consoleCommand(args: string[], cfg: Config, logger: AppLogger, input: Readable = process.stdin): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { user: { type: 'string' }, channel: { type: 'string' }, tz: { type: 'string' }, at: { type: 'string' }, member: { type: 'boolean' } },
  });
  const user = values.user ?? 'U0CONSOLE1';
  const channel = values.channel ?? 'C0STUDY01';
  if (!/^[UW][A-Z0-9]{2,}$/.test(user)) throw new UsageError(`--user must be a Slack user ID such as U0CONSOLE1 (got "${user}")`);
  if (!/^[CG][A-Z0-9]{2,}$/.test(channel)) throw new UsageError(`--channel must be a channel ID such as C0STUDY01 (got "${channel}")`);
  const tz = values.tz ?? cfg.defaultTimezone;
  if (!isIanaZone(tz)) throw new UsageError(`--tz must be an IANA timezone such as Europe/London (got "${tz}")`);
  const startAt = values.at ? DateTime.fromISO(values.at, { zone: tz }) : undefined;
  if (startAt && !startAt.isValid) throw new UsageError(`--at must be an ISO-8601 time such as 2026-11-23T09:00 (got "${values.at}")`);
  const { runConsole } = await import('./console/session.js');
  await runConsole({
    config: { ...cfg, dbPath: cfg.consoleDbPath },
    logger,
    input,
    output: process.stdout,
    user,
    team: 'T0AIPATH1',
    channel,
    tz,
    admin: !values.member,
    startAt: startAt?.toJSDate(),
    ansi: process.stdout.isTTY === true,
  });
  return 0;
}

async function tickCommand(args: string[], cfg: Config, logger: AppLogger): Promise<number> {
  const { values } = parseArgs({ args, options: { now: { type: 'string' } } });
  const now = values.now ? new Date(values.now) : systemClock.now();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO-8601 instant such as 2026-11-23T09:00:00Z (got "${values.now}")`);
  if (cfg.mode.kind === 'console') throw new UsageError('tick sends to Slack: set SLACK_BOT_TOKEN (and SLACK_APP_TOKEN or SLACK_SIGNING_SECRET) first');
  const [{ buildContainer }, { formatSummary }] = await Promise.all([import('./container.js'), import('./scheduler/cron.js')]);
  const container = await buildContainer(cfg, { logger });
  try {
    const summary = await container.runPass(now);
    process.stdout.write(`tick ${now.toISOString()}: ${formatSummary(summary)}\n`);
  } finally {
    await container.close();
  }
  return 0;
}

async function migrateCommand(cfg: Config): Promise<number> {
  const { describeDatabase, migrateDatabase } = await import('./store/open.js');
  const result = await migrateDatabase(cfg.dbPath);
  // Never the URL as given: a PostgreSQL URL may carry a password.
  const where = describeDatabase(cfg.dbPath);
  process.stdout.write(
    result.applied.length ? `applied ${result.applied.join(', ')} to ${where}\n` : `${where} is up to date (${result.alreadyApplied} migrations)\n`,
  );
  return 0;
}

async function rotateKeyCommand(cfg: Config, logger: AppLogger): Promise<number> {
  const needs = 'rotate-key needs AIPATH_ENCRYPTION_KEY (the key the tokens are sealed with now) and AIPATH_NEW_ENCRYPTION_KEY (the key to re-seal them with)';
  if (!cfg.encryptionKey) throw new UsageError(`${needs}: AIPATH_ENCRYPTION_KEY is not set`);
  if (!cfg.newEncryptionKey) throw new UsageError(`${needs}: AIPATH_NEW_ENCRYPTION_KEY is not set`);
  const [{ SecretBox }, { describeDatabase, openStore }, { formatRotation, rotateKeys }] = await Promise.all([
    import('./shared/secret-box.js'),
    import('./store/open.js'),
    import('./services/installs.js'),
  ]);
  const current = new SecretBox(cfg.encryptionKey);
  const next = new SecretBox(cfg.newEncryptionKey);
  if (current.keyId === next.keyId) throw new UsageError('AIPATH_NEW_ENCRYPTION_KEY is the same key as AIPATH_ENCRYPTION_KEY: nothing to rotate to');
  const store = await openStore(cfg.dbPath, logger);
  try {
    const summary = await rotateKeys(store, current, next);
    process.stdout.write(`rotate-key: ${formatRotation(summary, next)} (${describeDatabase(cfg.dbPath)})\n`);
    // Tokens left under another key need a person: say so with the exit code too.
    return summary.otherKey.length || summary.unreadable.length ? 1 : 0;
  } finally {
    await store.database.close();
  }
}

async function workspaceCommand(args: string[], cfg: Config, logger: AppLogger): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean' } }, allowPositionals: true });
  const [sub, ws, ...extra] = positionals;
  const [{ openStore }, { purgeWorkspace, WORKSPACE_ID }] = await Promise.all([import('./store/open.js'), import('./services/installs.js')]);
  if (sub !== 'purge' || extra.length) throw new UsageError('did you mean `aipath workspace purge <team>`?');
  if (!ws || !WORKSPACE_ID.test(ws))
    throw new UsageError(
      `workspace purge needs a Slack team id such as T0123ABCD (E…:T… for a team in an Enterprise Grid org, E… for an org-wide install); got ${ws ? `"${ws.slice(0, 60)}"` : 'none'}`,
    );
  const store = await openStore(cfg.dbPath, logger);
  try {
    const installation = await store.installations.find(ws);
    if (installation?.state === 'active' && !values.force)
      throw new UsageError(`${ws} is still installed: uninstall aipath from it first, or add --force to delete its data and its token now`);
    const result = await purgeWorkspace(store, ws);
    const was = result.installation
      ? result.installation.inactiveSince
        ? `uninstalled ${result.installation.inactiveSince.toISOString()}`
        : 'its installation was still active'
      : 'no installation was recorded';
    const bytes = result.bytesCleared ? '' : '; another process still reads an older copy, so the deleted bytes leave the file at its next checkpoint';
    process.stdout.write(`workspace purge ${ws}: every row of the workspace deleted (${was})${bytes}\n`);
    return 0;
  } finally {
    await store.database.close();
  }
}

/** Always the YAML, never the build's snapshot: this is the check the snapshot relies on. */
async function contentCheckCommand(): Promise<number> {
  const [{ loadContent }, { bankIssues, coverageTable, lifecycleIssues }] = await Promise.all([
    import('./content/load.js'),
    import('./content/bank-quality.js'),
  ]);
  const c = loadContent();
  process.stdout.write(`${coverageTable(c)}\n`);
  const problems = [...bankIssues(c), ...lifecycleIssues(c, systemClock.now().toISOString().slice(0, 10))];
  if (problems.length) throw new ContentError(problems);
  process.stdout.write(
    `content ok: ${c.tracks.length} tracks, ${c.certifications.length} certifications, ${c.services.length} services, ${c.tips.length} tips, ${c.quiz.length} quiz questions\n`,
  );
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  if (command === 'content') {
    if (rest[0] !== 'check') throw new UsageError('did you mean `aipath content check`?');
    return contentCheckCommand();
  }
  const cfg = config();
  const consoleLike = command === 'console' || (command === 'start' && cfg.mode.kind === 'console');
  const logger = createLogger(consoleLike && !process.env.LOG_LEVEL ? 'warn' : cfg.logLevel);
  switch (command) {
    case 'start':
      return startCommand(logger, cfg);
    case 'console':
      return consoleCommand(rest, cfg, logger);
    case 'tick':
      return tickCommand(rest, cfg, logger);
    case 'migrate':
      return migrateCommand(cfg);
    case 'rotate-key':
      return rotateKeyCommand(cfg, logger);
    case 'workspace':
      return workspaceCommand(rest, cfg, logger);
    default:
      throw new UsageError(`unknown command "${command}"; see aipath --help`);
  }
}

function fail(err: unknown): never {
  const known = err instanceof ConfigError || err instanceof UsageError || err instanceof MigrationError || err instanceof ContentError;
  process.stderr.write(known ? `aipath: ${(err as Error).message}\n` : `aipath: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(known ? 2 : 1);
}

// A crash leaves no half-working bot behind: log it and exit non-zero for the supervisor to restart.
process.on('uncaughtException', (err) => {
  process.stderr.write(`aipath: crashed: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`aipath: crashed on an unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then((code) => process.exit(code), fail);
