import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';

let world: SchedulerWorld;
afterEach(async () => {
  await world?.close();
});

const MIN = 60_000;

/** Runs a pass every `stepMin` minutes from `from` to `to` (UTC ISO), as cron would. */
async function runEvery(w: SchedulerWorld, from: string, to: string, stepMin: number) {
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMin * MIN) await w.pass(new Date(t));
}

const localTimesOf = async (w: SchedulerWorld, channel: string, tz: string) =>
  (await w.ledger((d) => d.target === channel && d.kind === 'daily_tip' && d.status === 'sent')).map((r) =>
    DateTime.fromJSDate(r.dueAt, { zone: tz }).toFormat('yyyy-MM-dd HH:mm'),
  );

describe('daily posts at local time across daylight-saving changes', () => {
  // 2026 transitions: New York Mar 8 / Nov 1, London Mar 29 / Oct 25, Sydney Apr 5 / Oct 4; Kolkata has none.
  const cases = [
    { tz: 'America/New_York', spring: '2026-03-08', autumn: '2026-11-01' },
    { tz: 'Europe/London', spring: '2026-03-29', autumn: '2026-10-25' },
    { tz: 'Australia/Sydney', spring: '2026-10-04', autumn: '2026-04-05' },
    { tz: 'Asia/Kolkata', spring: '2026-03-08', autumn: '2026-11-01' },
  ];

  for (const { tz, spring, autumn } of cases) {
    it(`posts 09:00 exactly once a day in ${tz} around ${spring} and ${autumn}`, async () => {
      world = await SchedulerWorld.create();
      for (const day of [spring, autumn]) {
        world.fake.reset();
        const channel = `C${day.replace(/-/g, '')}`;
        const start = DateTime.fromISO(`${day}T00:00`, { zone: tz }).minus({ days: 1 });
        await world.subscribe(channel, tz, '09:00', start.toJSDate());
        await runEvery(world, start.toUTC().toISO()!, start.plus({ days: 3 }).toUTC().toISO()!, 7);
        const days = [0, 1, 2].map((d) => start.plus({ days: d }).toFormat('yyyy-MM-dd'));
        expect(await localTimesOf(world, channel, tz)).toEqual(days.map((d) => `${d} 09:00`));
        for (const kind of ['daily_tip', 'daily_quiz'])
          expect(await world.ledger((d) => d.target === channel && d.kind === kind && d.status === 'sent')).toHaveLength(3);
        expect(world.posts(channel)).toHaveLength((await world.ledger((d) => d.target === channel && d.status === 'sent')).length);
      }
    });
  }
});

describe('weekly nudges', () => {
  it("arrive on each learner's local Monday at their nudge time, once a week, in every timezone", async () => {
    world = await SchedulerWorld.create();
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata'];
    for (const [i, tz] of zones.entries()) {
      await world.enrol(`U0NUDGE00${i}`, tz, 'devops', '2026-10-19', new Date('2026-10-19T00:00:00Z'), i % 2 ? '08:30' : '09:00');
    }
    // Three weeks that include London's and New York's autumn changes.
    await runEvery(world, '2026-10-19T00:00:00Z', '2026-11-09T23:59:00Z', 10);
    let total = 0;
    for (const [i, tz] of zones.entries()) {
      const time = i % 2 ? '08:30' : '09:00';
      // Every local Monday at the nudge time inside the window, whatever the offset that week.
      const expected: string[] = [];
      for (let d = DateTime.fromISO('2026-10-19', { zone: tz }); d < DateTime.fromISO('2026-11-10', { zone: tz }); d = d.plus({ weeks: 1 })) {
        const due = DateTime.fromISO(`${d.toISODate()}T${time}`, { zone: tz });
        if (due.toMillis() >= Date.parse('2026-10-19T00:00:00Z') && due.toMillis() <= Date.parse('2026-11-09T23:59:00Z'))
          expected.push(due.toFormat('yyyy-MM-dd ccc HH:mm'));
      }
      const sent = (await world.ledger((d) => d.target === `U0NUDGE00${i}` && d.status === 'sent')).map((r) =>
        DateTime.fromJSDate(r.dueAt, { zone: tz }).toFormat('yyyy-MM-dd ccc HH:mm'),
      );
      expect(sent, tz).toEqual(expected);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      total += sent.length;
    }
    expect(world.posts()).toHaveLength(total);
    // The DM channel is asked of Slack once per learner, then kept.
    expect(world.fake.callsOf('conversations.open')).toHaveLength(zones.length);
  });

  it('send nothing to paused or stopped learners, and one congratulation at the end of a track', async () => {
    world = await SchedulerWorld.create();
    const { enrolments } = world.services.store;
    const paused = await world.enrol('U0PAUSED01', 'UTC');
    await enrolments.setStatus(paused.id, 'paused', new Date('2026-01-01T00:00:00Z'));
    const stopped = await world.enrol('U0STOPPED1', 'UTC');
    await enrolments.setStatus(stopped.id, 'stopped', new Date('2026-01-01T00:00:00Z'));
    // practitioner is short: started long ago, it is finished by the first Monday.
    await world.enrol('U0FINISH01', 'UTC', 'practitioner', '2025-06-02');
    await runEvery(world, '2026-01-05T08:55:00Z', '2026-01-26T09:05:00Z', 10);
    expect(world.posts('D0PAUSED01')).toHaveLength(0);
    expect(world.posts('D0STOPPED1')).toHaveLength(0);
    const finished = world.posts('D0FINISH01');
    expect(finished).toHaveLength(1);
    expect(String(finished[0]!.params.text)).toContain('You finished');
  });

  it('resume by themselves when a timed pause ends', async () => {
    world = await SchedulerWorld.create();
    const e = await world.enrol('U0TIMED001', 'UTC');
    await world.services.store.enrolments.setStatus(e.id, 'paused', new Date('2026-01-01T00:00:00Z'), { pausedUntil: new Date('2026-01-10T00:00:00.000Z') });
    await runEvery(world, '2026-01-05T08:55:00Z', '2026-01-12T09:05:00Z', 10);
    expect((await world.ledger((d) => d.target === 'U0TIMED001')).map((r) => r.period)).toEqual(['2026-W03']);
  });
});

describe('exactly once', () => {
  it('two processes passing at the same moment post each delivery once', async () => {
    world = await SchedulerWorld.create();
    for (let i = 0; i < 20; i++) await world.subscribe(`C0TWIN${String(i).padStart(3, '0')}`, 'Europe/London');
    const other = await world.open();
    const now = new Date('2026-01-01T09:00:30Z');
    await Promise.all([world.pass(now, world.services, 'a'), world.pass(now, other, 'b'), world.pass(now, other, 'c')]);
    expect(world.posts()).toHaveLength(40); // a tip and a quiz per channel
    expect(new Set(world.posts().map((p) => p.params.channel)).size).toBe(20);
    expect(await world.ledger()).toHaveLength(40);
  });

  it('a second pass, or a restart, sends nothing again', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0AGAIN001', 'UTC');
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    await world.pass(new Date('2026-01-01T09:00:50Z'));
    const restarted = await world.open();
    await world.pass(new Date('2026-01-01T09:01:30Z'), restarted);
    expect(world.posts('C0AGAIN001')).toHaveLength(2);
  });

  it('recovers a claim left open after Slack got the message: recorded, not posted again', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0CRASH001', 'UTC');
    // Simulate the crash: Slack stores the messages but the process dies before recording them.
    const { ledger } = world.services.store;
    const markSent = ledger.markSent;
    ledger.markSent = async () => false;
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    ledger.markSent = markSent;
    expect((await world.ledger()).map((r) => [r.status, r.channel])).toEqual([
      ['claimed', 'C0CRASH001'],
      ['claimed', 'C0CRASH001'],
    ]);
    const slackTs = world.fake.messages.get('C0CRASH001')!.map((m) => m.ts);
    const summary = await world.pass(new Date('2026-01-01T09:05:00Z'));
    expect(summary.retried).toBe(2);
    expect(world.fake.callsOf('conversations.history')).toHaveLength(2);
    expect(world.posts('C0CRASH001')).toHaveLength(2);
    expect((await world.ledger()).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect((await world.ledger()).map((r) => r.messageTs).sort()).toEqual(slackTs.sort());
  });

  it('without the history scopes, a claim left open is posted again (at worst a duplicate) and nothing is paused', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0NOHIST01', 'UTC');
    const { ledger } = world.services.store;
    const markSent = ledger.markSent;
    ledger.markSent = async () => false;
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    ledger.markSent = markSent;
    // A bot token without channels:history: Slack refuses the read-back.
    world.fake.script('conversations.history', { body: { ok: false, error: 'missing_scope', needed: 'channels:history' } }, 2);
    await world.pass(new Date('2026-01-01T09:05:00Z'));
    expect(world.fake.callsOf('conversations.history')).toHaveLength(2);
    expect(world.posts('C0NOHIST01')).toHaveLength(4);
    expect((await world.ledger()).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await world.services.store.workspaces.pauseOf(WS)).toBeUndefined();
  });

  it('recovers a claim left open before Slack got the message: posted once', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0LOST0001', 'UTC');
    world.fake.script('chat.postMessage', { status: 503, body: 'unavailable' });
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    const failedFirst = await world.ledger((d) => d.status === 'claimed');
    expect(failedFirst).toMatchObject([{ attempts: 1, error: 'http_503' }]);
    await world.pass(new Date('2026-01-01T09:02:30Z')); // inside the doubled lease: not yet
    expect(world.posts('C0LOST0001')).toHaveLength(2);
    await world.pass(new Date('2026-01-01T09:04:30Z'));
    expect(world.posts('C0LOST0001')).toHaveLength(3);
    expect((await world.ledger()).map((r) => [r.status, r.late])).toEqual([
      ['sent', true], // the retry went out 4½ minutes after 09:00
      ['sent', false],
    ]);
  });
});

describe('quizzes across a crash', () => {
  it('a quiz recovered from Slack after a crash still records its timestamp and closes the one before', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0QCRASH01', 'UTC');
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    // Day 2: the process dies after Slack got both posts but before anything was recorded: not the
    // deliveries, not the new quiz's timestamp, not the closing of yesterday's quiz.
    const { ledger, quiz } = world.services.store;
    const real = { markSent: ledger.markSent, setMessageTs: quiz.setMessageTs, close: quiz.close };
    ledger.markSent = async () => false;
    quiz.setMessageTs = async () => {};
    quiz.close = async () => false;
    await world.pass(new Date('2026-01-02T09:00:10Z'));
    Object.assign(ledger, { markSent: real.markSent });
    Object.assign(quiz, { setMessageTs: real.setMessageTs, close: real.close });
    expect(await quiz.post(2)).toMatchObject({ messageTs: null });
    await world.pass(new Date('2026-01-02T09:05:00Z'));
    const posts = [await quiz.post(1), await quiz.post(2)];
    expect(await quiz.post(3)).toBeUndefined();
    expect(posts[1]!.messageTs).toBeTruthy();
    expect(posts[0]!.closedAt).toBeTruthy();
    expect(world.posts('C0QCRASH01')).toHaveLength(4);
  });
});

describe('downtime', () => {
  it('sends a daily post late within 6 hours and records older ones as missed', async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0DOWN0001', 'UTC', '09:00', new Date('2026-01-01T00:00:00Z'));
    const summary = await world.pass(new Date('2026-01-03T14:00:00Z'));
    expect(summary).toMatchObject({ due: 6, sent: 2, late: 2, missed: 4 });
    expect((await world.ledger((d) => d.kind === 'daily_tip')).map((r) => [r.period, r.status, r.late])).toEqual([
      ['2026-01-01', 'missed', true],
      ['2026-01-02', 'missed', true],
      ['2026-01-03', 'sent', true],
    ]);
    expect(world.posts().every((p) => /[Ss]ent late/.test(JSON.stringify(p.params.blocks)))).toBe(true);
  });

  it('sends a weekly nudge up to 2 days late, and misses it after that', async () => {
    world = await SchedulerWorld.create();
    await world.enrol('U0LATE0001', 'UTC', 'devops', '2026-01-05');
    await world.enrol('U0GONE0001', 'UTC', 'devops', '2026-01-05');
    await world.pass(new Date('2026-01-06T12:00:00Z'), world.services); // Tuesday: 27 h late
    expect(await world.ledger((d) => d.target === 'U0LATE0001')).toMatchObject([{ status: 'sent', late: true }]);
    await world.enrol('U0GONE0002', 'UTC', 'devops', '2026-01-05', new Date('2026-01-06T00:00:00Z'));
    await world.pass(new Date('2026-01-15T12:00:00Z')); // next Monday's is 3 days old
    expect(await world.ledger((d) => d.target === 'U0GONE0002')).toMatchObject([{ status: 'missed' }]);
  });
});

describe('Slack errors', () => {
  it('honours 429 Retry-After and still delivers everything', async () => {
    world = await SchedulerWorld.create();
    for (let i = 0; i < 6; i++) await world.subscribe(`C0RATE${String(i).padStart(4, '0')}`, 'UTC');
    world.fake.enforceRate('chat.postMessage', 2, 1);
    const summary = await world.pass(new Date('2026-01-01T09:00:10Z'));
    expect(summary.sent).toBe(12);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(world.fake.rateLimitedCalls).toBe(summary.rateLimited);
    expect(world.posts()).toHaveLength(12 + summary.rateLimited);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived'])('pauses a subscription on %s with the reason, and stops posting there', async (error) => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0GONE0001', 'UTC');
    world.fake.script('chat.postMessage', { body: { ok: false, error } });
    const summary = await world.pass(new Date('2026-01-01T09:00:10Z'));
    expect(summary.failed).toBe(1);
    expect(await world.services.store.subscriptions.get(WS, 'C0GONE0001')).toMatchObject({ status: 'paused', statusReason: error });
    expect(await world.ledger((d) => d.status === 'failed')).toMatchObject([{ error }]);
    await world.pass(new Date('2026-01-02T09:00:10Z'));
    expect(world.posts('C0GONE0001')).toHaveLength(2); // the failed one and the other sent alongside it
  });

  // account_inactive is about aipath's own token (installation-level): see overlap.test.ts.
  it.each(['user_disabled', 'user_not_found'])('pauses an enrolment on %s with the reason', async (error) => {
    world = await SchedulerWorld.create();
    const e = await world.enrol('U0LEFT0001', 'UTC');
    world.fake.script('conversations.open', { body: { ok: false, error } });
    await world.pass(new Date('2026-01-05T09:00:10Z'));
    expect(await world.services.store.enrolments.current(WS, 'U0LEFT0001')).toMatchObject({
      id: e.id,
      status: 'paused',
      statusReason: error,
      pausedBy: 'slack',
    });
  });

  it('gives up on a delivery that keeps failing, recording it as failed rather than dropping it', async () => {
    world = await SchedulerWorld.create(undefined, { maxAttempts: 2 });
    await world.subscribe('C0FLAKY001', 'UTC');
    world.fake.script('chat.postMessage', { status: 500, body: 'boom' }, 10);
    await world.pass(new Date('2026-01-01T09:00:10Z'));
    await world.pass(new Date('2026-01-01T09:05:00Z'));
    expect((await world.ledger())[0]).toMatchObject({ status: 'failed' });
    expect(String((await world.ledger())[0]!.error)).toContain('gave up after 2 attempts');
  });
});
