/**
 * Several aipath processes on one PostgreSQL database, as a deployment runs them: three bot replicas (`aipath start`
 * in HTTP mode, each with its own pool, pacer and cron) and `aipath tick` runs, all real processes, against one fake
 * Slack. A tick killed with SIGKILL in the middle of a fan-out, then the rest: every weekly nudge and daily post
 * exactly once. A bot replica killed with SIGKILL while it answers slash commands: every start it answered is
 * stored. Skipped, saying why, without a PostgreSQL server.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { ScriptableFakeSlack } from '../support/fake-slack.js';
import { SECRET } from '../support/harness.js';
import { describeWithPostgres, type FreshDatabase, freshDatabase } from '../support/postgres.js';
import { commandBody, postSigned } from '../support/signed.js';
import { aipathEnv, type Bot, ownerPid, type Proc, postedDeliveries, seconds, startBot, tick } from './processes.js';

const quiet = createLogger('error');
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata'];
const WORKSPACES = Array.from({ length: 24 }, (_, i) => `T0REPL${String(i + 1).padStart(3, '0')}`);
const LEARNERS = 600;
const CHANNELS = 12;
const DAY_MS = 86_400_000;

describeWithPostgres('replicas on one PostgreSQL database', (serverUrl) => {
  let db: FreshDatabase;
  let store: Store;
  let fake: ScriptableFakeSlack;
  let env: Record<string, string>;
  const bots: Bot[] = [];
  const procs: Proc[] = [];

  beforeAll(async () => {
    db = await freshDatabase(serverUrl, 'replicas');
    store = await openStore(db.url, quiet); // migrates, as the first replica to start would
    fake = await new ScriptableFakeSlack().start();
    env = aipathEnv(db.url, fake);
    // Three bot replicas at once: they start (and check the schema under the advisory lock) side by side.
    bots.push(...(await Promise.all([startBot(env), startBot(env), startBot(env)])));
  }, 60_000);

  afterAll(async () => {
    for (const p of [...procs, ...bots.map((b) => b.proc)]) p.kill('SIGKILL');
    await store?.database.close();
    await fake?.stop();
    await db?.drop();
  });

  it('four ticks beside three bots, one tick SIGKILLed mid fan-out, then the rest: every weekly nudge and daily post exactly once', {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    // Due an hour from now, and every tick runs as of 20 s after that (`--now`): the bots' cron keeps running on
    // the wall clock beside them, but which process claims what is up to the four ticks alone.
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000);
    const at = (ms: number) => new Date(due.getTime() + ms);
    const from = new Date(due.getTime() - 14 * DAY_MS);
    const startedOn = from.toISOString().slice(0, 10);
    await store.transaction(async (tx) => {
      for (let i = 0; i < LEARNERS; i++) {
        const ws = WORKSPACES[i % WORKSPACES.length]!;
        const user = `U0REPL${String(i).padStart(4, '0')}`;
        await tx.users.ensure(ws, user, from);
        await tx.users.setTzOverride(ws, user, ZONES[i % ZONES.length]!);
        const { enrolment } = await tx.enrolments.switchTo(ws, user, 'devops', startedOn, from);
        await tx.enrolments.setNextNudge(enrolment.id, due);
      }
      for (let c = 0; c < CHANNELS; c++) {
        await tx.subscriptions.upsert(
          {
            ws: WORKSPACES[c % WORKSPACES.length]!,
            channel: `C0REPL${String(c).padStart(4, '0')}`,
            time: '09:00',
            tz: ZONES[c % ZONES.length]!,
            track: null,
            by: 'U0ADMIN001',
            nextDaily: due,
            nextWeekly: new Date(due.getTime() + 7 * DAY_MS),
          },
          from,
        );
      }
    });

    // Four ticks at once. A process that starts first would claim everything before the others have loaded, so the
    // test holds the ledger (EXCLUSIVE: reads go on, the first claim of each tick waits) until all four wait on it
    // or have ended.
    const gate = new pg.Client({ connectionString: db.url });
    gate.on('error', () => {});
    await gate.connect();
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE deliveries IN EXCLUSIVE MODE');
    const ticks = [tick(env, at(20_000)), tick(env, at(20_000)), tick(env, at(20_000)), tick(env, at(20_000))];
    procs.push(...ticks);
    // A tick whose due set was all locked by ticks already waiting (SKIP LOCKED) has nothing to claim and ends.
    const ended = new Set<Proc>();
    for (const t of ticks) void t.exited.then(() => ended.add(t));
    // Watched from another session: inside the gate's transaction, pg_stat_activity would stay as first read.
    const watch = new pg.Client({ connectionString: db.url });
    await watch.connect();
    try {
      for (const deadline = Date.now() + 30_000; ; ) {
        const { rows } = await watch.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        if (rows[0]!.n + ended.size >= ticks.length) break;
        if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of the ticks reached their first claim within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await watch.end();
    }
    await gate.query('COMMIT');
    await gate.end();
    // Once a quarter of the posts are in Slack, SIGKILL the tick holding the most open claims.
    const expected = LEARNERS + 2 * CHANNELS;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fake Slack saw only ${fake.messages.size} channels in 60 s`)), 60_000);
      const onCall = (c: { method: string }) => {
        if (c.method !== 'chat.postMessage' || postedDeliveries(fake).posts < expected / 4) return;
        fake.off('call', onCall);
        clearTimeout(timer);
        resolve();
      };
      fake.on('call', onCall);
    });
    const snapshot = await store.ledger.list();
    const open = snapshot.filter((d) => d.status === 'claimed');
    const openByPid = new Map<number, number>();
    for (const d of open) {
      const pid = ownerPid(d.claimedBy);
      if (pid !== undefined) openByPid.set(pid, (openByPid.get(pid) ?? 0) + 1);
    }
    const victim = [...ticks].sort((a, b) => (openByPid.get(b.pid) ?? 0) - (openByPid.get(a.pid) ?? 0))[0]!;
    victim.kill('SIGKILL');
    const killedAt = Date.now() - started;
    expect((await victim.exited).signal).toBe('SIGKILL');
    const survivors = await Promise.all(ticks.filter((t) => t !== victim).map((t) => t.exited));
    expect(survivors.map((s) => s.code)).toEqual([0, 0, 0]);
    // What each tick claimed: the survivors say so ("due N"); the victim had the rest.
    const dueOf = (t: Proc) => Number(/due (\d+)/.exec(t.stdout())?.[1] ?? Number.NaN);
    const claimed = ticks.map((t) => (t === victim ? 0 : dueOf(t)));
    claimed[ticks.indexOf(victim)] = LEARNERS + 2 * CHANNELS - claimed.reduce((a, b) => a + b, 0);
    const left = (await store.ledger.list()).filter((d) => d.status === 'claimed');
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((d) => ownerPid(d.claimedBy) === victim.pid)).toBe(true);
    const afterKill = postedDeliveries(fake);

    // The rest: two ticks at once, three minutes on (past the claims' back-off): they take the dead tick's claims
    // over, look for each in Slack first, and send what is not there.
    const rest = [tick(env, at(3 * 60_000 + 20_000)), tick(env, at(3 * 60_000 + 20_000))];
    procs.push(...rest);
    const restExits = await Promise.all(rest.map((t) => t.exited));
    expect(
      restExits.map((e) => e.code),
      rest.map((t) => t.stderr()).join('\n'),
    ).toEqual([0, 0]);

    const ledger = await store.ledger.list();
    const byKind = (kind: string) => ledger.filter((d) => d.kind === kind).length;
    expect({ weekly_nudge: byKind('weekly_nudge'), daily_tip: byKind('daily_tip'), daily_quiz: byKind('daily_quiz') }).toEqual({
      weekly_nudge: LEARNERS,
      daily_tip: CHANNELS,
      daily_quiz: CHANNELS,
    });
    expect(ledger.filter((d) => d.status !== 'sent').map((d) => `${d.id} ${d.kind} ${d.status} ${d.error}`)).toEqual([]);
    const slack = postedDeliveries(fake);
    const ids = new Set(ledger.map((d) => d.id));
    const twice = [...slack.ids].filter(([, n]) => n > 1).map(([id]) => id);
    const never = ledger.filter((d) => !slack.ids.has(d.id)).map((d) => d.id);
    const stray = [...slack.ids.keys()].filter((id) => !ids.has(id));
    expect({ twice, never, stray }).toEqual({ twice: [], never: [], stray: [] });
    expect(slack.posts).toBe(ledger.length);
    // Each message went where its ledger row says.
    for (const d of ledger) {
      const stored = fake.messages.get(d.channel!)?.find((m) => Number(m.metadata?.event_payload?.delivery_id) === d.id);
      expect(stored?.ts).toBe(d.messageTs);
    }
    console.log(
      `replicas fan-out: ${ledger.length} deliveries (${LEARNERS} weekly nudges in ${ZONES.length} timezones, ${CHANNELS} channels × tip + quiz, ` +
        `${WORKSPACES.length} workspaces); claims per tick ${claimed.join('/')}; the one with most open, pid ${victim.pid}, SIGKILLed at ` +
        `${seconds(killedAt)} with ${afterKill.posts} posts in Slack (${open.length} claims open then), ${left.length} left open by it; two more ticks took them over: ` +
        `${slack.posts} messages, ${slack.ids.size} distinct delivery ids, 0 twice, 0 never; ${seconds(Date.now() - started)}`,
    );
  });

  it('a bot replica SIGKILLed while answering /aipath start: every start it answered is stored, and retries elsewhere store once', {
    timeout: 90_000,
  }, async () => {
    const started = Date.now();
    const team = 'T0CMDREPL1';
    const users = Array.from({ length: 240 }, (_, i) => `U0CMDR${String(i).padStart(4, '0')}`);
    // The answer comes in the acknowledgement, or (when it takes longer) by the learner's own response_url.
    const inAck = new Map<string, string>();
    const start = (bot: Bot, user: string) =>
      postSigned(
        `${bot.url}/slack/events`,
        commandBody({ text: 'start devops', team_id: team, user_id: user, channel_id: 'C0CMDREPL1', response_url: `${fake.responseUrlBase}cmd-${user}` }),
        'application/x-www-form-urlencoded',
        { secret: SECRET },
      ).then(
        async (res) => {
          const body = await res.text();
          if (res.status === 200 && body !== '') inAck.set(user, String((JSON.parse(body) as { text?: unknown }).text));
          return { status: res.status };
        },
        () => ({ status: 0 }),
      );
    const answered = (user: string) =>
      Boolean(inAck.get(user)?.includes('Week 1')) ||
      fake.callsOf('response_url').some((c) => c.path.endsWith(`/cmd-${user}`) && String(c.params.text).includes('Week 1'));

    const victim = bots[2]!;
    const outcome = new Map<string, { bot: number; status: number }>();
    let next = 0;
    let acknowledged = 0;
    let killedAfter = -1;
    // 24 requests in flight at a time, spread round-robin over the three replicas as a load balancer would.
    const worker = async () => {
      while (next < users.length) {
        const i = next++;
        const user = users[i]!;
        const b = i % bots.length;
        const r = await start(bots[b]!, user);
        outcome.set(user, { bot: b, ...r });
        if (++acknowledged === Math.floor(users.length / 3) && killedAfter < 0) {
          killedAfter = acknowledged;
          victim.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    expect((await victim.proc.exited).signal).toBe('SIGKILL');

    const acked = [...outcome].filter(([, o]) => o.status === 200);
    const refused = [...outcome].filter(([, o]) => o.status !== 200);
    expect(acked.filter(([, o]) => o.bot === 2).length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every(([, o]) => o.bot === 2)).toBe(true);
    // The live replicas answer everything they acknowledged.
    await expect.poll(() => acked.filter(([, o]) => o.bot !== 2).every(([user]) => answered(user)), { timeout: 30_000 }).toBe(true);
    // Nothing a learner was told is lost: every answered start is an enrolment in the store.
    const unanswered = users.filter((user) => !answered(user));
    const missing: string[] = [];
    for (const user of users) if (answered(user) && (await store.enrolments.current(team, user))?.trackId !== 'devops') missing.push(user);
    expect(missing).toEqual([]);
    expect(unanswered.every((user) => outcome.get(user)?.bot === 2)).toBe(true);

    // The learners who got no answer (their request died with the replica) try again; the load balancer sends them to a live one.
    for (const user of unanswered) expect((await start(bots[0]!, user)).status).toBe(200);
    await expect.poll(() => unanswered.every(answered), { timeout: 30_000 }).toBe(true);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ users: number; rows: number }>(
        'SELECT count(DISTINCT user_id)::int AS users, count(*)::int AS rows FROM enrolments WHERE workspace_id = $1',
        [team],
      );
      expect(rows[0]).toEqual({ users: users.length, rows: users.length });
    } finally {
      await client.end();
    }

    // The two live replicas stop gracefully: requests and passes under way finish, the pool closes, exit 0.
    const exits = await Promise.all([bots[0]!.stop(), bots[1]!.stop()]);
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    console.log(
      `replicas commands: ${users.length} signed /aipath start over 3 replicas, replica 3 SIGKILLed after ${killedAfter} acknowledgements: ` +
        `${acked.length} acknowledged, ${users.length - unanswered.length} answered and all of those stored; ` +
        `${unanswered.length} unanswered (${refused.length} of them not acknowledged; all sent to the killed replica), stored once after a retry on a live one; ${seconds(Date.now() - started)}`,
    );
  });
});
