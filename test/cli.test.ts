import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptableFakeSlack } from './support/fake-slack.js';
import { commandAnswer } from './support/harness.js';
import { commandBody, postSigned } from './support/signed.js';
import { FakeSocketModeServer } from './support/socket-mode-server.js';
import { freePort } from '../bench/support.js';
import { createLogger } from '../src/log.js';
import type { Store } from '../src/ports/store.js';
import { SecretBox } from '../src/shared/secret-box.js';
import { openStore } from '../src/store/open.js';
import { EMPTY_WORKSPACE, readWorkspace, seedWorkspace } from './store/contract/workspace-seed.js';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const root = mkdtempSync(join(tmpdir(), 'aipath-cli-'));
const clean = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

/**
 * Every case runs twice: on the sources (tsx) and on the build that `npm start` and the image run (dist/cli.js, which
 * scripts/bundle.mjs bundles with its packages), built here first.
 */
const RUNNERS = [
  { name: 'src/cli.ts under tsx', command: TSX, entry: join(process.cwd(), 'src', 'cli.ts'), build: false },
  { name: 'the build, dist/cli.js', command: process.execPath, entry: join(process.cwd(), 'dist', 'cli.js'), build: true },
];

/** Runs the CLI without blocking this process, which also serves the fake Slack it talks to. */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
  cwd?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...clean, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? '');
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let built = false;

/** A runner's folder and CLI; its cases wait for the build when it runs dist/cli.js (built once per file). */
function runner(label: string, r: (typeof RUNNERS)[number]) {
  const dir = join(root, `${label}-${r.build ? 'dist' : 'src'}`);
  mkdirSync(dir);
  beforeAll(() => {
    if (r.build && !built) execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
    built ||= r.build;
  }, 180_000);
  const cli = (args: string[], env: Record<string, string> = {}, input?: string, cwd?: string) => run(r.command, [r.entry, ...args], env, input, cwd);
  return { dir, cli };
}

let fake: ScriptableFakeSlack;
beforeAll(async () => {
  fake = await new ScriptableFakeSlack().start();
});
afterAll(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

describe.each(RUNNERS)('aipath CLI: $name', ({ name, command, entry, build }) => {
  const { dir, cli } = runner('cli', { name, command, entry, build });

  it('prints help with --help and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('tick [--now <ISO>]');
  });

  it('checks the content', async () => {
    const r = await cli(['content', 'check']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^content ok: \d+ tracks, \d+ certifications, \d+ services, \d+ tips, \d+ quiz questions/m);
    expect(r.stdout).toMatch(/^AIP-C01: \d+ questions/m);
  });

  it('migrates a database and says so, then finds it up to date', async () => {
    const env = { AIPATH_DB: join(dir, 'migrate.db') };
    expect((await cli(['migrate'], env)).stdout).toContain('applied 001_init.sql');
    expect((await cli(['migrate'], env)).stdout).toContain('is up to date');
  });

  it('stops with one line naming AIPATH_DB and exit code 2 when the database cannot be used', async () => {
    const notDb = join(dir, 'not-a-db.txt');
    writeFileSync(notDb, 'plain text, not SQLite '.repeat(300));
    for (const path of [notDb, join(notDb, 'below-a-file.db')]) {
      const r = await cli(['migrate'], { AIPATH_DB: path });
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^aipath: AIPATH_DB /);
    }
  });

  it('stops on a bad environment value with one line and exit code 2', async () => {
    const r = await cli(['migrate'], { PORT: '99999', SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_SIGNING_SECRET: 'abcdef0123456789abcd' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['aipath: PORT must be a port number from 1 to 65535 (got "99999")']);
    expect(r.stderr).not.toContain('secret-value');
  });

  it('prints the help when `npm start` gets /aipath help on stdin with no tokens, and exits 0', async () => {
    const r = await cli(['start'], { AIPATH_DB: join(dir, 'console.db') }, '/aipath help\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('/aipath service <name or topic>');
  });

  it('exits 2 with one line naming the Slack variables when started with none and nothing on a non-terminal stdin', async () => {
    const home = mkdtempSync(join(dir, 'forgotten-env-'));
    const r = await cli(['start'], {}, '', home);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']) expect(lines[0]).toContain(variable);
    expect(existsSync(join(home, 'data'))).toBe(false);
    // One line, even without its newline, is a console session as before.
    expect((await cli(['start'], {}, '/aipath help', home)).status).toBe(0);
  });

  it('keeps the console in ./data/console.db when AIPATH_DB is not set, across runs, and in AIPATH_DB when it is', async () => {
    const home = mkdtempSync(join(dir, 'console-home-'));
    const first = await cli(['start'], {}, '/aipath start devops\n', home);
    expect(first.status).toBe(0);
    expect(existsSync(join(home, 'data', 'console.db'))).toBe(true);
    expect(existsSync(join(home, 'data', 'aipath.db'))).toBe(false);
    const again = await cli(['console'], {}, '/aipath status\n', home);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Week: 1 of 16');
    const chosen = join(dir, 'chosen-console.db');
    expect((await cli(['console'], { AIPATH_DB: chosen }, '/aipath help\n', home)).status).toBe(0);
    expect(existsSync(chosen)).toBe(true);
  });

  it('runs exactly one scheduler pass with tick --now and prints a summary', async () => {
    const db = join(dir, 'tick.db');
    const env = { AIPATH_DB: db, SLACK_BOT_TOKEN: 'xoxb-tick', SLACK_SIGNING_SECRET: 'abcdef0123456789abcd', SLACK_API_URL: fake.url };
    expect((await cli(['migrate'], env)).status).toBe(0);
    const store = await openStore(db, createLogger('error'));
    const due = new Date('2026-11-23T09:00:00.000Z');
    await store.subscriptions.upsert({ ws: 'T1', channel: 'C0TICK001', time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: due, nextWeekly: due }, due);
    await store.database.close();
    // The fake Slack serves both runners: count this run's posts only.
    const posted = () => fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0TICK001').length;
    const before = posted();
    const r = await cli(['tick', '--now', '2026-11-23T09:00:30Z'], env);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('tick 2026-11-23T09:00:30.000Z: due 3, sent 3 (0 late), missed 0, failed 0, retried 0, rate-limited 0'); // 23 Nov is a Monday: tip, quiz, leaderboard
    expect(posted()).toBe(before + 3);
    const again = await cli(['tick', '--now', '2026-11-23T09:00:45Z'], env);
    expect(again.stdout.trim()).toContain('due 0, sent 0');
    expect(posted()).toBe(before + 3);
  });

  it('refuses a console --tz that the configuration would refuse too (offsets, made-up zones)', async () => {
    for (const tz of ['+05:30', 'UTC+2', 'Mars/Olympus']) {
      const r = await cli(['console', '--tz', tz], { AIPATH_DB: join(dir, 'console-tz.db') }, '/aipath help\n');
      expect(r.status, tz).toBe(2);
      expect(r.stderr).toContain('--tz must be an IANA timezone');
    }
  });

  it('rejects a malformed --now', async () => {
    const r = await cli(['tick', '--now', 'tomorrow'], { SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 'abcdef0123456789abcd' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--now must be an ISO-8601 instant');
  });

  it('answers a signed /aipath in HTTP mode and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(command, [entry, 'start'], {
      env: {
        ...clean,
        AIPATH_DB: join(dir, 'http.db'),
        SLACK_BOT_TOKEN: 'xoxb-sig',
        SLACK_SIGNING_SECRET: 'abcdef0123456789abcd',
        SLACK_API_URL: fake.url,
        PORT: String(port),
        LOG_LEVEL: 'info',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await expect
      .poll(
        async () =>
          await fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 15_000 },
      )
      .toBe(200);
    const body = commandBody({
      team_id: 'T0CLI00002',
      channel_id: 'C0CLI00002',
      user_id: 'U0CLI00002',
      text: 'help',
      response_url: `${fake.responseUrlBase}cli-http`,
    });
    const acked = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, 'application/x-www-form-urlencoded', { secret: 'abcdef0123456789abcd' });
    expect(acked.status).toBe(200);
    expect((await commandAnswer(await acked.text(), fake, 'cli-http')).text).toContain('aipath: your study companion');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM received');
    expect(stderr).toContain('stopped');
  });

  it('runs in Socket Mode and shuts down cleanly on SIGTERM, closing the connection', async () => {
    const sm = await new FakeSocketModeServer().start();
    fake.serveSocketMode(sm);
    const child = spawn(command, [entry, 'start'], {
      env: {
        ...clean,
        AIPATH_DB: join(dir, 'socket.db'),
        SLACK_BOT_TOKEN: 'xoxb-sock',
        SLACK_APP_TOKEN: 'xapp-1-A0AIPATHAPP-1-cli',
        SLACK_API_URL: fake.url,
        LOG_LEVEL: 'info',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await sm.waitForConnections(1, 15_000);
      const help = await sm.envelope('slash_commands', {
        team_id: 'T0CLI00001',
        channel_id: 'C0CLI00001',
        user_id: 'U0CLI00001',
        command: '/aipath',
        text: 'help',
        response_url: `${fake.responseUrlBase}cli`,
      });
      expect((await commandAnswer(help.payload, fake, 'cli')).text).toContain('aipath: your study companion');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await sm.closedWith(1)).toBe(1000);
      expect(stderr).toContain('stopped');
      expect(stderr).not.toContain('xapp-1-A0AIPATHAPP-1-cli');
    } finally {
      child.kill('SIGKILL');
      await sm.stop();
    }
  });

  it('stops with one line naming SLACK_APP_TOKEN and exit code 2 when Slack refuses the app-level token', async () => {
    fake.script('apps.connections.open', { body: { ok: false, error: 'invalid_auth' } });
    const r = await cli(['start'], {
      AIPATH_DB: join(dir, 'refused.db'),
      SLACK_BOT_TOKEN: 'xoxb-sock',
      SLACK_APP_TOKEN: 'xapp-1-A0AIPATHAPP-1-refused',
      SLACK_API_URL: fake.url,
      LOG_LEVEL: 'warn',
    });
    expect(r.status).toBe(2);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('aipath:')),
    ).toEqual([
      'aipath: SLACK_APP_TOKEN was refused by Slack (invalid_auth): use an app-level token (xapp-) with the connections:write scope, from Basic Information → App-Level Tokens',
    ]);
    expect(r.stderr).not.toContain('xapp-1-A0AIPATHAPP-1-refused');
  });
});

describe.each(RUNNERS)('aipath rotate-key and workspace purge (multi-workspace mode): $name', ({ name, command, entry, build }) => {
  const { dir, cli } = runner('ws', { name, command, entry, build });
  const KEY = randomBytes(32);
  const NEW_KEY = randomBytes(32);
  const OTHER_KEY = randomBytes(32);
  const b64 = (k: Buffer) => k.toString('base64');
  const token = (ws: string) => `xoxb-SECRET-${ws}-${randomBytes(6).toString('hex')}`;
  const NOW = new Date('2026-12-01T09:00:00.000Z');

  /** The bytes of the database file and its write-ahead log, as they are on disk now. */
  const fileBytes = (db: string) => Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  const install = (store: Store, ws: string, sealed: string) =>
    store.installations.save({
      workspaceId: ws,
      teamId: ws,
      enterpriseId: null,
      isEnterpriseInstall: false,
      teamName: `Team ${ws}`,
      botUserId: 'U0BOT',
      botId: 'B0BOT',
      scopes: ['commands', 'chat:write'],
      installerUserId: 'U0INSTALLER',
      tokenCiphertext: sealed,
      installedAt: NOW,
    });

  it('lists both commands and the new variables in --help', async () => {
    const r = await cli(['--help']);
    for (const text of ['rotate-key', 'workspace purge <team>', 'AIPATH_NEW_ENCRYPTION_KEY', 'AIPATH_ENCRYPTION_KEY', 'AIPATH_RETENTION_DAYS'])
      expect(r.stdout).toContain(text);
  });

  it('keeps tokens only sealed in the file, and rotate-key re-seals each one with the new key, idempotently', { timeout: 60_000 }, async () => {
    const db = join(dir, 'rotate.db');
    const tokens = { T0ROTA: token('T0ROTA'), T0ROTB: token('T0ROTB'), T0GONE: token('T0GONE') };
    const box = new SecretBox(KEY);
    const store = await openStore(db, createLogger('error'));
    for (const [ws, t] of Object.entries(tokens)) await install(store, ws, box.seal(t, ws));
    await store.installations.deactivate('T0GONE', NOW);
    // While the store is open the rows are in the write-ahead log; neither it nor the file holds a token.
    expect(existsSync(`${db}-wal`)).toBe(true);
    expect(fileBytes(db).includes('xoxb-SECRET')).toBe(false);
    await store.database.close();
    expect(fileBytes(db).includes('xoxb-SECRET')).toBe(false);

    const env = { AIPATH_DB: db, AIPATH_ENCRYPTION_KEY: b64(KEY), AIPATH_NEW_ENCRYPTION_KEY: b64(NEW_KEY) };
    const next = new SecretBox(NEW_KEY);
    const r = await cli(['rotate-key'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`rotate-key: 2 tokens re-sealed with key ${next.keyId}, 0 already under it (${db})`);

    const after = await openStore(db, createLogger('error'));
    try {
      for (const ws of ['T0ROTA', 'T0ROTB']) {
        const sealed = (await after.installations.find(ws))!.tokenCiphertext!;
        expect(next.open(sealed, ws)).toBe(tokens[ws as keyof typeof tokens]);
        expect(() => box.open(sealed, ws)).toThrow(/sealed with another key/);
      }
      expect((await after.installations.find('T0GONE'))!.tokenCiphertext).toBeNull();
    } finally {
      await after.database.close();
    }
    expect(fileBytes(db).includes('xoxb-SECRET')).toBe(false);

    // Run again (the first run stopped half-way, say): nothing left to do, nothing changed.
    const again = await cli(['rotate-key'], env);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(`rotate-key: 0 tokens re-sealed with key ${next.keyId}, 2 already under it (${db})`);
  });

  it('rotate-key leaves a token sealed with neither key as it is, names it, and exits 1', async () => {
    const db = join(dir, 'rotate-other.db');
    const store = await openStore(db, createLogger('error'));
    await install(store, 'T0MINE', new SecretBox(KEY).seal(token('T0MINE'), 'T0MINE'));
    const foreign = new SecretBox(OTHER_KEY).seal(token('T0ALIEN'), 'T0ALIEN');
    await install(store, 'T0ALIEN', foreign);
    await store.database.close();
    const r = await cli(['rotate-key'], { AIPATH_DB: db, AIPATH_ENCRYPTION_KEY: b64(KEY), AIPATH_NEW_ENCRYPTION_KEY: b64(NEW_KEY) });
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe(
      `rotate-key: 1 token re-sealed with key ${new SecretBox(NEW_KEY).keyId}, 0 already under it, 1 sealed with another key and left as they are (T0ALIEN) (${db})`,
    );
    const after = await openStore(db, createLogger('error'));
    expect((await after.installations.find('T0ALIEN'))!.tokenCiphertext).toBe(foreign);
    await after.database.close();
  });

  it('rotate-key stops with one line and exit 2 when a key is missing, malformed or the same, never printing one', { timeout: 60_000 }, async () => {
    const db = join(dir, 'rotate-bad.db');
    const cases: [Record<string, string>, RegExp][] = [
      [{ AIPATH_NEW_ENCRYPTION_KEY: b64(NEW_KEY) }, /^aipath: rotate-key needs .*AIPATH_ENCRYPTION_KEY is not set$/],
      [{ AIPATH_ENCRYPTION_KEY: b64(KEY) }, /^aipath: rotate-key needs .*AIPATH_NEW_ENCRYPTION_KEY is not set$/],
      [{ AIPATH_ENCRYPTION_KEY: b64(KEY), AIPATH_NEW_ENCRYPTION_KEY: b64(KEY) }, /^aipath: AIPATH_NEW_ENCRYPTION_KEY is the same key/],
      [{ AIPATH_ENCRYPTION_KEY: b64(KEY), AIPATH_NEW_ENCRYPTION_KEY: randomBytes(24).toString('base64') }, /^aipath: AIPATH_NEW_ENCRYPTION_KEY holds 24 bytes/],
    ];
    for (const [keys, expected] of cases) {
      const r = await cli(['rotate-key'], { AIPATH_DB: db, ...keys });
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      for (const value of Object.values(keys)) expect(r.stderr).not.toContain(value);
    }
  });

  it('workspace purge deletes every row of an uninstalled workspace at once, and its bytes, leaving the others', async () => {
    const db = join(dir, 'purge.db');
    const store = await openStore(db, createLogger('error'));
    const gone = await seedWorkspace(store, 'T0PURGED', NOW);
    const kept = await seedWorkspace(store, 'T0KEPT', NOW);
    await store.installations.deactivate('T0PURGED', NOW);
    const keptBefore = await readWorkspace(store, kept);
    await store.database.close();
    expect(fileBytes(db).includes('Team T0PURGED')).toBe(true);

    const r = await cli(['workspace', 'purge', 'T0PURGED'], { AIPATH_DB: db });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`workspace purge T0PURGED: every row of the workspace deleted (uninstalled ${NOW.toISOString()})`);
    expect(fileBytes(db).includes('Team T0PURGED')).toBe(false);

    const after = await openStore(db, createLogger('error'));
    try {
      expect(await readWorkspace(after, gone)).toEqual(EMPTY_WORKSPACE);
      expect(await readWorkspace(after, kept)).toEqual(keptBefore);
    } finally {
      await after.database.close();
    }
  });

  it('workspace purge refuses a workspace still installed unless --force, and says when none was recorded', { timeout: 60_000 }, async () => {
    const db = join(dir, 'purge-active.db');
    const store = await openStore(db, createLogger('error'));
    await seedWorkspace(store, 'T0ACTIVE', NOW);
    await store.users.ensure('T0SINGLE', 'U1', NOW);
    await store.database.close();

    const refused = await cli(['workspace', 'purge', 'T0ACTIVE'], { AIPATH_DB: db });
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'aipath: T0ACTIVE is still installed: uninstall aipath from it first, or add --force to delete its data and its token now',
    );
    const forced = await cli(['workspace', 'purge', 'T0ACTIVE', '--force'], { AIPATH_DB: db });
    expect(forced.status).toBe(0);
    expect(forced.stdout.trim()).toBe('workspace purge T0ACTIVE: every row of the workspace deleted (its installation was still active)');
    // Single-workspace mode keeps no installation: the data goes all the same.
    const single = await cli(['workspace', 'purge', 'T0SINGLE'], { AIPATH_DB: db });
    expect(single.stdout.trim()).toBe('workspace purge T0SINGLE: every row of the workspace deleted (no installation was recorded)');

    const after = await openStore(db, createLogger('error'));
    expect(await after.installations.find('T0ACTIVE')).toBeUndefined();
    expect(await after.users.get('T0ACTIVE', 'U1')).toBeUndefined();
    expect(await after.users.get('T0SINGLE', 'U1')).toBeUndefined();
    await after.database.close();
  });

  it('workspace purge stops with one clear line and exit 2 for a malformed or missing team id', { timeout: 60_000 }, async () => {
    const db = join(dir, 'purge-bad.db');
    for (const args of [['purge', 'C0CHANNEL1'], ['purge', "T0X'; DROP TABLE users;--"], ['purge']]) {
      const r = await cli(['workspace', ...args], { AIPATH_DB: db });
      expect(r.status, args.join(' ')).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^aipath: workspace purge needs a Slack team id such as T0123ABCD/);
    }
    for (const args of [
      ['wipe', 'T0ABC'],
      ['purge', 'T0ABC', 'T0DEF'],
    ]) {
      const r = await cli(['workspace', ...args], { AIPATH_DB: db });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe('aipath: did you mean `aipath workspace purge <team>`?');
    }
    // Nothing was created for a refused command.
    expect(existsSync(db)).toBe(false);
  });
});
