/**
 * Real aipath processes for the replica tests: bot replicas (`src/cli.ts start` in HTTP mode on a free port) and
 * `aipath tick` runs, each `node --import tsx` (one process, so that SIGKILL reaches the one that sends), all on one
 * PostgreSQL database and one fake Slack in the test process. Also what the tests count: the fake's stored messages
 * per delivery id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../bench/support.js';
import type { ScriptableFakeSlack } from '../support/fake-slack.js';
import { SECRET } from '../support/harness.js';

export const ROOT = process.cwd();
const CLI = join(ROOT, 'src', 'cli.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` unless the process is gone already. */
  kill(signal?: NodeJS.Signals): void;
}

/** `node --import tsx <args>` in the repository, with only the environment given (plus PATH and HOME). */
export function spawnNode(args: string[], env: Record<string, string>, opts: { stdin?: boolean } = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid!,
    exited,
    stdout: () => out,
    stderr: () => err,
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** What every aipath process of a test gets: HTTP mode's variables, the database and the fake Slack. */
export function aipathEnv(db: string, fake: ScriptableFakeSlack, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-replica',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.url,
    AIPATH_DB: db,
    LOG_LEVEL: 'error',
    ...extra,
  };
}

export interface Bot {
  proc: Proc;
  port: number;
  url: string;
  /** SIGTERM, then the exit (graceful stop: requests and deliveries under way finish, the pool closes). */
  stop(): Promise<Exit>;
}

/** A bot replica: `aipath start` in HTTP mode on a free port, once GET /healthz answers 200. */
export async function startBot(env: Record<string, string>, deadlineMs = 40_000): Promise<Bot> {
  const port = await freePort();
  const proc = spawnNode([CLI, 'start'], { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`aipath start exited (${proc.child.exitCode ?? proc.child.signalCode}): ${proc.stderr()}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`aipath start did not answer /healthz within ${deadlineMs / 1000} s: ${proc.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    proc,
    port,
    url,
    stop: () => {
      proc.kill('SIGTERM');
      return proc.exited;
    },
  };
}

/** `aipath tick [--now <at>]`: one scheduler pass, then exit. */
export function tick(env: Record<string, string>, at?: Date): Proc {
  return spawnNode([CLI, 'tick', ...(at ? ['--now', at.toISOString()] : [])], env);
}

/** How many messages the fake Slack stored, and how many of them carried each delivery id (message metadata). */
export function postedDeliveries(fake: ScriptableFakeSlack): { posts: number; ids: Map<number, number> } {
  const ids = new Map<number, number>();
  let posts = 0;
  for (const list of fake.messages.values()) {
    for (const m of list) {
      posts += 1;
      const id = Number(m.metadata?.event_payload?.delivery_id);
      if (Number.isFinite(id)) ids.set(id, (ids.get(id) ?? 0) + 1);
    }
  }
  return { posts, ids };
}

/** The pid in a claim owner's id (`host/pid.start.namespace/pass`). */
export const ownerPid = (owner: string | null): number | undefined => {
  const pid = Number(/^[^/]*\/(\d+)\./.exec(owner ?? '')?.[1]);
  return Number.isInteger(pid) ? pid : undefined;
};

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
