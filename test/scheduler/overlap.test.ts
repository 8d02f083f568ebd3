import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerAlive, type LivenessProbe } from '../../src/scheduler/claim-owner.js';
import { SchedulerWorld } from '../support/scheduler-world.js';

let world: SchedulerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const T = new Date('2026-01-01T09:00:30Z');
const MIN = 60_000;
const channels = (n: number) => Array.from({ length: n }, (_, i) => `C0OVER${String(i).padStart(4, '0')}`);

/** Every subscribed channel got exactly its tip and its quiz. */
async function expectEachOnce(w: SchedulerWorld, chans: string[]) {
  // Messages Slack kept, not calls: a call answered 429 posted nothing.
  const kept = (c: string) => w.fake.messages.get(c)?.length ?? 0;
  expect(chans.filter((c) => kept(c) !== 2).map((c) => `${c}: ${kept(c)}`)).toEqual([]);
  expect(await w.ledger((d) => d.status !== 'sent')).toEqual([]);
}

describe('claims under overlapping passes', () => {
  it('a pass that starts 4.5 minutes later, while the first still sends, takes over nothing', { timeout: 60_000 }, async () => {
    // 25 posts a second, as the fake Slack allows: 130 channels × 2 posts keep the first pass busy ~10 s.
    world = await SchedulerWorld.create({ perChannelIntervalMs: 0, perWorkspacePerMinute: 25 * 60 });
    world.fake.enforceRate('chat.postMessage', 25);
    const chans = channels(130);
    for (const c of chans) await world.subscribe(c, 'UTC');
    const second = await world.open();

    const first = world.pass(T, world.services, 'host-a');
    await new Promise<void>((resolve) => {
      const onCall = () => {
        if (world!.fake.messages.size < 40) return;
        world!.fake.off('call', onCall);
        resolve();
      };
      world!.fake.on('call', onCall);
    });
    const overlapping = await world.pass(new Date(T.getTime() + 4.5 * MIN), second, 'host-b');
    expect(overlapping.retried).toBe(0);
    await first;
    await world.pass(new Date(T.getTime() + 10 * MIN), await world.open(), 'host-c');
    await expectEachOnce(world, chans);
  });

  it('a tick killed mid fan-out is taken over by the next and every post goes out once', { timeout: 90_000 }, async () => {
    world = await SchedulerWorld.create();
    world.fake.enforceRate('chat.postMessage', 25);
    const chans = channels(20);
    for (const c of chans) await world.subscribe(c, 'UTC');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: 'xoxb-kill',
      SLACK_SIGNING_SECRET: 'abcdef0123456789abcd',
      SLACK_API_URL: world.fake.url,
      AIPATH_DB: world.dbPath,
      LOG_LEVEL: 'error',
    };
    const tick = (at: Date) =>
      // `node --import tsx`, not the tsx wrapper: SIGKILL must reach the process that sends.
      spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'tick', '--now', at.toISOString()], { env, stdio: 'ignore' });
    const exited = (child: ReturnType<typeof tick>) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const doomed = tick(T);
    await new Promise<void>((resolve) => {
      const onCall = () => {
        if (world!.fake.messages.size < 8) return;
        world!.fake.off('call', onCall);
        doomed.kill('SIGKILL');
        resolve();
      };
      world!.fake.on('call', onCall);
    });
    await exited(doomed);
    expect((await world.ledger((d) => d.status === 'claimed')).length).toBeGreaterThan(0);
    expect(await exited(tick(new Date(T.getTime() + 3 * MIN)))).toBe(0);
    await expectEachOnce(world, chans);
  });
});

describe('who may take a claim over', () => {
  const probe: LivenessProbe = {
    nowMs: Date.parse('2026-01-01T09:00:00Z'),
    host: 'here',
    pidNamespace: '7',
    processId: '100.abc.7',
    isRunningHere: (o) => o === 'here/100.abc.7/2',
    pidExists: (pid) => pid === 200,
  };
  const soon = new Date('2026-01-01T09:01:00Z');
  const past = new Date('2026-01-01T08:59:00Z');

  it('keeps a running pass of this process, frees a finished one, and judges other processes by pid and lease', () => {
    expect(ownerAlive('here/100.abc.7/2', past, probe)).toBe(true); // running here, whatever the lease says
    expect(ownerAlive('here/100.abc.7/1', soon, probe)).toBe(false); // that pass has finished
    expect(ownerAlive('here/200.xyz.7/1', soon, probe)).toBe(true); // same host, pid alive, lease current
    expect(ownerAlive('here/300.xyz.7/1', soon, probe)).toBe(false); // same host, pid gone: crashed
    // Another container with the same host name but its own pid namespace: only its lease counts.
    expect(ownerAlive('here/300.xyz.9/1', soon, probe)).toBe(true);
    expect(ownerAlive('there/300.xyz/1', soon, probe)).toBe(true); // another host: its lease holds
    expect(ownerAlive('there/300.xyz/1', past, probe)).toBe(false); // …until it runs out
    expect(ownerAlive(null, soon, probe)).toBe(false); // given back for a retry
    expect(ownerAlive('legacy-worker', null, probe)).toBe(false); // claims from before leases
  });
});

describe('installation-level Slack errors', () => {
  it('pause the whole workspace, not one channel, and a later successful send resumes it', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0AUTH0001', 'UTC');
    await world.subscribe('C0AUTH0002', 'UTC');
    world.fake.script('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } }, 4); // every post of the first pass
    const { store } = world.services;
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    // A delivery that saw the pause another had just recorded gave its claim back without posting: an error
    // scripted for it must not answer the later probe.
    world.fake.unscript('chat.postMessage');
    expect((await store.workspaces.pauseOf('T0SCHED01'))?.reason).toBe('invalid_auth');
    expect((await store.subscriptions.inWorkspace('T0SCHED01')).map((s) => s.status)).toEqual(['active', 'active']);
    expect(await world.ledger((d) => d.status !== 'claimed')).toEqual([]);
    // Before the probe is due, nothing is tried.
    const calls = world.fake.callsOf('chat.postMessage').length;
    await world.pass(new Date('2026-01-01T09:05:00Z'));
    expect(world.fake.callsOf('chat.postMessage')).toHaveLength(calls);
    // Ten minutes on, one send probes the token; Slack still refuses it, so nothing else is tried.
    world.fake.script('chat.postMessage', { body: { ok: false, error: 'invalid_auth' } });
    await world.pass(new Date('2026-01-01T09:11:00Z'));
    world.fake.unscript('chat.postMessage');
    expect(world.fake.callsOf('chat.postMessage')).toHaveLength(calls + 1);
    expect((await store.workspaces.pauseOf('T0SCHED01'))?.reason).toBe('invalid_auth');
    // Ten minutes later the probe works: the pause ends and the rest follow.
    await world.pass(new Date('2026-01-01T09:22:00Z'));
    expect(world.fake.callsOf('chat.postMessage').length).toBeGreaterThan(calls + 1);
    expect(await store.workspaces.pauseOf('T0SCHED01')).toBeUndefined();
    await world.pass(new Date('2026-01-01T09:25:00Z'));
    for (const c of ['C0AUTH0001', 'C0AUTH0002']) expect(world.fake.messages.get(c)).toHaveLength(2);
    expect(await world.ledger((d) => d.status !== 'sent')).toEqual([]);
  });

  it('still treat a missing channel as that channel’s problem', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0GONE0001', 'UTC');
    world.fake.script('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    expect(await world.services.store.workspaces.pauseOf('T0SCHED01')).toBeUndefined();
    expect((await world.services.store.subscriptions.inWorkspace('T0SCHED01')).map((s) => s.status)).toEqual(['paused']);
  });
});

describe('scheduler timestamps', () => {
  it('come from the pass’s now, not the wall clock', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0CLOCK001', 'UTC');
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    await world.pass(new Date('2026-01-02T09:00:10Z'));
    const { quiz } = world.services.store;
    expect([await quiz.post(1), await quiz.post(2)]).toMatchObject([
      { postedAt: new Date('2026-01-01T09:00:10.000Z'), closedAt: new Date('2026-01-02T09:00:10.000Z') },
      { postedAt: new Date('2026-01-02T09:00:10.000Z'), closedAt: null },
    ]);
    expect(new Set((await world.ledger()).map((r) => r.updatedAt.toISOString().slice(0, 10)))).toEqual(new Set(['2026-01-01', '2026-01-02']));
  });
});

describe('recovery in a busy channel', () => {
  it('finds a crashed post behind more than one page of history and records it, not posting again', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0BUSY0001', 'UTC');
    const { ledger } = world.services.store;
    const markSent = ledger.markSent;
    ledger.markSent = async () => false; // the process dies after Slack got the posts
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    ledger.markSent = markSent;
    // 450 people talk in the channel before the restart: our posts are now on page three.
    const chatter = world.fake.messages.get('C0BUSY0001')!;
    for (let i = 0; i < 450; i++) chatter.push({ ts: `1900000000.${String(i).padStart(6, '0')}`, text: `chat ${i}` } as (typeof chatter)[number]);
    await world.pass(new Date('2026-01-01T09:05:00Z'));
    expect(world.posts('C0BUSY0001')).toHaveLength(2);
    expect((await world.ledger()).map((r) => r.status)).toEqual(['sent', 'sent']);
  });
});
