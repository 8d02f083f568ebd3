import { buildContainer, deliveryGateway, type Container } from '../../src/container.js';
import { loadConfig } from '../../src/config.js';
import { nextDailyAt, nextWeeklyAt } from '../../src/domain/due.js';
import { createLogger } from '../../src/log.js';
import type { Delivery } from '../../src/ports/store.js';
import type { PassOptions } from '../../src/scheduler/pass.js';
import type { RateLimits } from '../../src/scheduler/rate-limit.js';
import type { Services } from '../../src/services/index.js';
import { ScriptableFakeSlack } from './fake-slack.js';
import { type TestDatabaseHandle, type TestEngine, testDatabase, testEngine } from './postgres.js';

export const WS = 'T0SCHED01';

/**
 * A database, the content, a fake Slack and a pass runner: everything a scheduler test needs. The database is a
 * SQLite file in a temporary folder or a fresh database on the run's PostgreSQL server, as `engine` (default: the
 * run's AIPATH_TEST_ENGINE, see testEngine) says.
 */
export class SchedulerWorld {
  /** AIPATH_DB of every process of this world: the SQLite file, or the PostgreSQL database's URL. */
  readonly dbPath: string;
  readonly engine: TestEngine;
  /** One container per "process": each has its own connection and pacer, like a separate `aipath tick`. */
  private readonly containers: Container[] = [];
  /** The first process's services (see create). */
  services!: Services;

  private constructor(
    readonly fake: ScriptableFakeSlack,
    private readonly db: TestDatabaseHandle,
    readonly limits: RateLimits = { perChannelIntervalMs: 0, perWorkspacePerMinute: 100_000 },
    readonly options: Partial<PassOptions> = {},
  ) {
    this.dbPath = db.path;
    this.engine = db.engine;
  }

  static async create(limits?: RateLimits, options?: Partial<PassOptions>, engine: TestEngine = testEngine()): Promise<SchedulerWorld> {
    const fake = await new ScriptableFakeSlack().start();
    const db = await testDatabase(engine, 'sched').catch(async (err: unknown) => {
      await fake.stop();
      throw err;
    });
    const world = new SchedulerWorld(fake, db, limits, options);
    try {
      world.services = await world.open();
    } catch (err) {
      await world.close();
      throw err;
    }
    return world;
  }

  /** Another process on the same database: its own connection (or pool) and pacer. */
  async open(): Promise<Services> {
    const logger = createLogger('error');
    const container = await buildContainer(loadConfig({ AIPATH_DB: this.dbPath }), {
      logger,
      slack: deliveryGateway('xoxb-sched', this.fake.url, logger),
      rateLimits: this.limits,
      passOptions: this.options,
      // Every "process" of a world shares this thread: on SQLite, a statement waiting synchronously for another one's
      // write lock (the busy timeout) would stop the thread, and with it the transaction it waits for, which yields to
      // the event loop between its statements. Waits are retried asynchronously instead, as the bot's are (src/app.ts).
      // PostgreSQL's lock waits do not hold the thread, and some tests rely on passes waiting at a lock.
      ...(this.engine === 'sqlite' ? { busyTimeoutMs: 10 } : {}),
    });
    this.containers.push(container);
    return container.services;
  }

  /** One pass as of `now`, run by the process that owns `services`, under the name `worker`. */
  pass(now: Date, services: Services = this.services, worker?: string) {
    const container = this.containers.find((c) => c.services === services);
    if (!container) throw new Error('pass() takes the services of a process this world opened');
    return container.runPass(now, { worker });
  }

  subscribe(channel: string, tz: string, time = '09:00', from: Date = new Date('2026-01-01T00:00:00Z'), track: string | null = null) {
    return this.services.store.subscriptions.upsert(
      {
        ws: WS,
        channel,
        time,
        tz,
        track,
        by: 'U0ADMIN001',
        nextDaily: nextDailyAt(from, tz, time).toJSDate(),
        nextWeekly: nextWeeklyAt(from, tz, time).toJSDate(),
      },
      from,
    );
  }

  async enrol(user: string, tz: string, track = 'devops', startedOn = '2026-01-05', from: Date = new Date('2026-01-01T00:00:00Z'), nudgeTime = '09:00') {
    const { users, enrolments } = this.services.store;
    await users.ensure(WS, user, from);
    await users.setTzOverride(WS, user, tz);
    await users.setNudgeTime(WS, user, nudgeTime);
    const { enrolment } = await enrolments.switchTo(WS, user, track, startedOn, from);
    await enrolments.setNextNudge(enrolment.id, nextWeeklyAt(from, tz, nudgeTime).toJSDate());
    return enrolment;
  }

  posts(channel?: string) {
    return this.fake.callsOf('chat.postMessage').filter((c) => channel === undefined || c.params.channel === channel);
  }

  /** The ledger's records that `match`, oldest first, read through the port as any caller would. */
  async ledger(match: (d: Delivery) => boolean = () => true): Promise<Delivery[]> {
    return (await this.services.store.ledger.list()).filter(match);
  }

  async close(): Promise<void> {
    for (const c of this.containers) await c.close();
    await this.fake.stop();
    await this.db.drop();
  }
}
