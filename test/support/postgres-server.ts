/**
 * Vitest globalSetup: a throwaway real PostgreSQL server for the test run (never a stand-in).
 *
 * It finds Debian's server binaries (initdb and pg_ctl on PATH, else the highest /usr/lib/postgresql/<n>/bin), runs
 * initdb into a fresh temporary directory, starts the server on 127.0.0.1 and a free port (plus a unix socket inside
 * that directory) with trust authentication and fsync off, creates the database `aipath_test`, and hands its URL to the
 * tests with `project.provide('postgresUrl', url)`; tests read it with `inject('postgresUrl')`, through
 * test/support/postgres.ts. PostgreSQL refuses to run as root: when the run is root, the directory belongs to the
 * `postgres` user and every server command runs as that user (runuser, else su).
 *
 * Without the binaries the run goes on with SQLite only and says so in one line, unless AIPATH_REQUIRE_POSTGRES=1
 * (set by .ci/run), which makes their absence, or a server that will not start, an error.
 *
 * Teardown stops the server (`pg_ctl stop -m immediate`) and removes the directory, also when setup fails half-way.
 * A small watchdog process does the same if vitest itself dies without tearing down (SIGKILL, a crash), so no server is
 * ever left running; a normal teardown ends the watchdog.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the `aipath_test` database on the run's PostgreSQL server; absent when the PostgreSQL suite is skipped. */
    postgresUrl?: string;
    /** Why there is no server, in one plain line, when the PostgreSQL suite is skipped. */
    postgresSkipReason?: string;
  }
}

const run = promisify(execFile);

export const NOT_FOUND_LINE = "PostgreSQL not found: the PostgreSQL suite is skipped (install Debian's postgresql package, or run bash .ci/run)";
const TEST_DATABASE = 'aipath_test';
const START_DEADLINE_MS = 60_000;

const required = () => process.env.AIPATH_REQUIRE_POSTGRES === '1';

interface Binaries {
  initdb: string;
  pgCtl: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** initdb and pg_ctl from one directory: the first on PATH that has both, else the highest Debian version. */
export function findBinaries(): Binaries | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  let debian: string[] = [];
  try {
    debian = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => join('/usr/lib/postgresql', v, 'bin'));
  } catch {
    // no Debian PostgreSQL
  }
  for (const dir of [...onPath, ...debian]) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { initdb, pgCtl };
  }
  return undefined;
}

/** How to run a server command: as `postgres` when we are root (PostgreSQL refuses root), else as ourselves. */
interface RunAs {
  wrap(command: string, args: string[]): [string, string[]];
  owner?: { uid: number; gid: number };
}

function runAs(): RunAs {
  if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args] };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error('running as root, but there is no `postgres` user to run the PostgreSQL test server as (PostgreSQL refuses to run as root)');
  }
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(isExecutable);
  if (runuser) return { wrap: (command, args) => [runuser, ['-u', 'postgres', '--', command, ...args]], owner: { uid, gid } };
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  return { wrap: (command, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(quote).join(' ')]], owner: { uid, gid } };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

function describeFailure(err: unknown): string {
  const e = err as { stderr?: string; stdout?: string; message?: string };
  return (e.stderr || e.stdout || e.message || String(err)).trim();
}

/** Connects until the server answers (or the deadline passes), then creates the test database. */
async function createTestDatabase(port: number, deadline: number): Promise<void> {
  for (;;) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query(`CREATE DATABASE ${TEST_DATABASE}`);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Stops the server and removes the directory if vitest dies without running teardown. Detached, so it outlives a
 * killed vitest; teardown ends it (by its process group) once it has done the same work itself.
 */
function startWatchdog(as: RunAs, pgCtl: string, dataDir: string, baseDir: string): number | undefined {
  const [command, args] = as.wrap(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-s']);
  const script = 'p=$1; shift; while kill -0 "$p" 2>/dev/null; do sleep 1; done; cd /; "$@" >/dev/null 2>&1; rm -rf "$DIR"';
  const child = spawn('/bin/sh', ['-c', script, 'aipath-pg-watchdog', String(process.pid), command, ...args], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DIR: baseDir },
  });
  child.unref();
  return child.pid;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const binaries = findBinaries();
  if (!binaries) {
    if (required())
      throw new Error(
        `AIPATH_REQUIRE_POSTGRES=1 but PostgreSQL's initdb and pg_ctl were found neither on PATH nor in /usr/lib/postgresql/*/bin: install Debian's postgresql package (bash .ci/run does)`,
      );
    console.log(NOT_FOUND_LINE);
    project.provide('postgresSkipReason', NOT_FOUND_LINE);
    return undefined;
  }

  const baseDir = mkdtempSync(join(tmpdir(), 'aipath-pg-'));
  const dataDir = join(baseDir, 'data');
  const socketDir = join(baseDir, 'sock');
  const logFile = join(baseDir, 'server.log');
  let as: RunAs | undefined;
  let watchdog: number | undefined;

  const teardown = async () => {
    // postmaster.pid exists while a server runs on the directory, even one whose start timed out.
    if (as && existsSync(join(dataDir, 'postmaster.pid'))) {
      const [command, args] = as.wrap(binaries.pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-s']);
      await run(command, args, { cwd: '/' }).catch((err) => console.error(`could not stop the PostgreSQL test server: ${describeFailure(err)}`));
    }
    if (watchdog) {
      try {
        process.kill(-watchdog, 'SIGTERM');
      } catch {
        // already gone
      }
      watchdog = undefined;
    }
    rmSync(baseDir, { recursive: true, force: true });
  };

  try {
    const who = runAs();
    as = who;
    mkdirSync(socketDir);
    if (who.owner) {
      chownSync(baseDir, who.owner.uid, who.owner.gid);
      chownSync(socketDir, who.owner.uid, who.owner.gid);
    }
    const exec = (bin: string, args: string[]) => {
      const [command, argv] = who.wrap(bin, args);
      // cwd "/" so that the postgres user never starts in a directory it cannot read (root's home, the repository).
      return run(command, argv, { cwd: '/', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
    };
    try {
      await exec(binaries.initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    } catch (err) {
      throw new Error(`initdb failed: ${describeFailure(err)}`);
    }
    watchdog = startWatchdog(who, binaries.pgCtl, dataDir, baseDir);

    const deadline = Date.now() + START_DEADLINE_MS;
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        '-c listen_addresses=127.0.0.1',
        `-c port=${port}`,
        `-c unix_socket_directories='${socketDir}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await exec(binaries.pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(START_DEADLINE_MS / 1000), '-s', '-o', options]);
        break;
      } catch (err) {
        // The port may have been taken between choosing it and binding it: try another, a few times.
        const log = tail(logFile);
        if (attempt < 3 && /could not (bind|create listen socket)/i.test(log)) continue;
        throw new Error(`the PostgreSQL test server did not start: ${describeFailure(err)}\n${log}`);
      }
    }
    await createTestDatabase(port, deadline);
    project.provide('postgresUrl', `postgres://postgres@127.0.0.1:${port}/${TEST_DATABASE}`);
    return teardown;
  } catch (err) {
    await teardown();
    if (required()) throw err;
    const line = `PostgreSQL could not be started: the PostgreSQL suite is skipped (${(err as Error).message.split('\n')[0]})`;
    console.log(line);
    project.provide('postgresSkipReason', line);
    return undefined;
  }
}
