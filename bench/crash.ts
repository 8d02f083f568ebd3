import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { createLogger } from '../src/log.js';
import { DEFAULT_PASS_OPTIONS } from '../src/scheduler/pass.js';
import { buildContainer } from '../src/container.js';
import { openDatabase } from '../src/store/sqlite/connection.js';
import { openStore } from '../src/store/open.js';
import { DAILY_DUE, deliveriesPerSubscription, postedDeliveries, seedSubscriptions } from './fanout.js';
import { SECRET } from './support.js';

const quiet = createLogger('error');
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MIN = 60_000;

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js tick --now <at>` against the fake Slack; `exited` resolves when the process is gone. */
function tick(at: Date, dbPath: string, fake: ScriptableFakeSlack, timeoutMs: number): { child: ChildProcess; exited: Promise<Exited> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('SLACK_') && !k.startsWith('AIPATH_')) env[k] = v;
  Object.assign(env, { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, AIPATH_DB: dbPath, LOG_LEVEL: 'error' });
  const child = spawn(process.execPath, [CLI, 'tick', '--now', at.toISOString()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exited>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exited };
}

interface LedgerState {
  statuses: Record<string, number>;
  ids: number[];
  claimedWithChannel: number[];
  claimedNoChannel: number;
  /** Quiz posts of sent deliveries whose Slack timestamp was never recorded (so they can never be closed). */
  quizWithoutTs: number;
  /** Quiz deliveries with more than one quiz_posts row (composed again after a crash). */
  quizRecomposed: number;
}

/** The ledger as the ports read it; opened only while no tick process runs on the file. */
async function ledger(dbPath: string): Promise<LedgerState> {
  const store = await openStore(dbPath, quiet);
  let state: Omit<LedgerState, 'quizRecomposed'>;
  try {
    const rows = await store.ledger.list();
    const statuses: Record<string, number> = {};
    for (const r of rows) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const ids = rows.filter((r) => r.status !== 'missed').map((r) => r.id);
    const claimed = rows.filter((r) => r.status === 'claimed');
    const claimedWithChannel = claimed.filter((r) => r.channel !== null).map((r) => r.id);
    const claimedNoChannel = claimed.length - claimedWithChannel.length;
    let quizWithoutTs = 0;
    for (const r of rows) {
      if (r.status !== 'sent') continue;
      const post = await store.quiz.postForDelivery(r.id);
      if (post && post.messageTs === null) quizWithoutTs += 1;
    }
    state = { statuses, ids, claimedWithChannel, claimedNoChannel, quizWithoutTs };
  } finally {
    await store.database.close();
  }
  // No port counts a delivery's quiz posts (there should be one), so this count reads the file on a
  // separate connection of its own, used only to read.
  const db = openDatabase(dbPath);
  try {
    const quizRecomposed = (
      db.prepare('SELECT COUNT(*) AS n FROM (SELECT delivery_id FROM quiz_posts GROUP BY delivery_id HAVING COUNT(*) > 1)').get() as { n: number }
    ).n;
    return { ...state, quizRecomposed };
  } finally {
    db.close();
  }
}

const fmt = (s: Record<string, number>) => ['sent', 'claimed', 'failed', 'missed'].map((k) => `${k} ${s[k] ?? 0}`).join(', ');
const firstLine = (s: string) => s.trim().split('\n')[0]?.slice(0, 200) ?? '';

interface RoundResult {
  lines: string[];
  expected: number;
  posts: number;
  distinct: number;
  lost: number;
  duplicated: number;
  stray: number;
  quizWithoutTs: number;
}

/** One round: fresh database and fake Slack, SIGKILL after `killAfter` posts, restarts until no claim is open. */
async function round(n: number, subscriptions: number, perWorkspace: number, killAfter: number): Promise<RoundResult> {
  const T = DAILY_DUE;
  const dir = mkdtempSync(join(tmpdir(), 'aipath-bench-crash-'));
  const dbPath = join(dir, 'crash.db');
  const fake = await new ScriptableFakeSlack().start();
  const children: ChildProcess[] = [];
  try {
    const seeding = await buildContainer(loadConfig({ AIPATH_DB: dbPath }), { logger: quiet });
    try {
      await seedSubscriptions(seeding.services, subscriptions, perWorkspace, T);
    } finally {
      await seeding.close();
    }

    // ---- the crash: SIGKILL as soon as the fake has received `killAfter` posts
    let received = 0;
    let killedAtMs = NaN;
    const first = tick(T, dbPath, fake, 300_000);
    children.push(first.child);
    const started = performance.now();
    const onCall = (c: { method: string }) => {
      if (c.method !== 'chat.postMessage') return;
      received += 1;
      if (received === killAfter) {
        killedAtMs = performance.now() - started;
        first.child.kill('SIGKILL');
      }
    };
    fake.on('call', onCall);
    const crashed = await first.exited;
    fake.off('call', onCall);
    const afterKill = postedDeliveries(fake);
    const l0 = await ledger(dbPath);
    const expected = l0.ids.length;
    const postedButOpen = l0.claimedWithChannel.filter((id) => afterKill.ids.has(id)).length;
    const lines = [
      `  round ${n}: kill after post ${killAfter} of ${expected} (${crashed.signal === 'SIGKILL' ? `SIGKILL at ${(killedAtMs / 1000).toFixed(1)} s` : `NOT killed: exit ${crashed.code} ${firstLine(crashed.stdout || crashed.stderr)}`}); the fake had ${afterKill.posts} posts when the process was gone`,
      `    ledger after the crash: ${fmt(l0.statuses)}; of the open claims ${l0.claimedWithChannel.length} had a channel recorded (${postedButOpen} of them already in Slack), ${l0.claimedNoChannel} had none`,
    ];

    // ---- restarts: T+3 min, then each later by the lease doubled per attempt (4, 8, 16, 32 min)
    let at = T.getTime() + 3 * MIN;
    let open = (l0.statuses.claimed ?? 0) > 0;
    for (let k = 1; k <= 5 && open; k++) {
      const run = tick(new Date(at), dbPath, fake, 300_000);
      children.push(run.child);
      const t = performance.now();
      const done = await run.exited;
      const l = await ledger(dbPath);
      open = (l.statuses.claimed ?? 0) > 0;
      lines.push(
        `    restart ${k} --now T+${(at - T.getTime()) / MIN} min: ${((performance.now() - t) / 1000).toFixed(1)} s, exit ${done.code ?? done.signal}; ${firstLine(done.stdout).replace(/^tick \S+: /, '')}${done.stderr.trim() ? ` [stderr: ${firstLine(done.stderr)}]` : ''}; ledger ${fmt(l.statuses)}`,
      );
      at += DEFAULT_PASS_OPTIONS.claimLeaseMs * 2 ** k;
    }

    const final = postedDeliveries(fake);
    const l = await ledger(dbPath);
    const ledgerIds = new Set(l.ids);
    const lost = l.ids.filter((id) => !final.ids.has(id)).length;
    const stray = [...final.ids.keys()].filter((id) => !ledgerIds.has(id)).length;
    const duplicated = final.posts - final.ids.size;
    const twice = [...final.ids].filter(([, c]) => c > 1).map(([id]) => id);
    lines.push(
      `    result: posts ${final.posts}, distinct delivery ids ${final.ids.size}, lost ${lost}, duplicated ${duplicated}${twice.length ? ` (ids ${twice.slice(0, 8).join(', ')}${twice.length > 8 ? ' …' : ''})` : ''}${stray ? `, ${stray} ids not in the ledger` : ''}; ledger ${fmt(l.statuses)}${open ? ' — claims still open after 5 restarts' : ''}`,
      `    quiz rows: ${l.quizWithoutTs} sent quizzes with no message_ts recorded, ${l.quizRecomposed} quiz deliveries composed twice`,
    );
    return { lines, expected, posts: final.posts, distinct: final.ids.size, lost, duplicated, stray, quizWithoutTs: l.quizWithoutTs };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * kill -9 of `aipath tick` in the middle of a 2,000-delivery fan-out over 40 workspaces, then
 * restarts until the ledger has no open claims; the fake Slack counts what was lost and what was
 * posted twice. The five rounds are independent (own database, fake Slack and processes) and run
 * side by side, because the tick's own pacing makes each one last about a minute.
 */
export async function benchCrash(
  rounds = 5,
  deliveries = 2_000,
  workspaces = 40,
  seed = Number(process.env.BENCH_SEED ?? Date.now() % 2 ** 31),
): Promise<string[]> {
  const random = seededRandom(seed);
  const probe = await deliveriesPerSubscription();
  const subscriptions = Math.ceil(deliveries / Math.max(1, probe.perSubscription));
  const perWorkspace = Math.ceil(subscriptions / workspaces);
  const kills = Array.from({ length: rounds }, () => Math.round(deliveries * 0.05 + random() * deliveries * 0.9));
  const started = performance.now();
  const results = await Promise.all(kills.map((k, i) => round(i + 1, subscriptions, perWorkspace, k)));
  const sum = (f: (r: RoundResult) => number) => results.reduce((a, r) => a + f(r), 0);
  return [
    `crash (${rounds} rounds side by side, seed ${seed}: ${deliveries.toLocaleString('en')} deliveries due ${DAILY_DUE.toISOString()} = ${subscriptions} channel subscriptions × ${probe.perSubscription} (${probe.kinds.join(' + ')}) over ${workspaces} workspaces × ${perWorkspace} channels;`,
    `  SIGKILL of \`node dist/cli.js tick\` after a random post between 5% and 95%, then \`tick\` at T+3 min, +4, +8 … until no claim is open, at most 5 restarts)`,
    ...results.flatMap((r) => r.lines),
    `  total (${((performance.now() - started) / 1000).toFixed(0)} s): ${sum((r) => r.expected)} deliveries, ${sum((r) => r.posts)} posts, ${sum((r) => r.distinct)} distinct; lost ${sum((r) => r.lost)}, duplicated ${sum((r) => r.duplicated)}, not in ledger ${sum((r) => r.stray)}; sent quizzes without message_ts ${sum((r) => r.quizWithoutTs)}`,
  ];
}
