import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainer, deliveryGateway, type Container } from '../../src/container.js';
import { loadConfig } from '../../src/config.js';
import { nextDailyAt, nextWeeklyAt, utcIso } from '../../src/core/due.js';
import { createLogger } from '../../src/log.js';
import type { PassOptions } from '../../src/scheduler/pass.js';
import type { RateLimits } from '../../src/scheduler/rate-limit.js';
import type { Services } from '../../src/services.js';
import { ScriptableFakeSlack } from './fake-slack.js';

export const WS = 'T0SCHED01';

/** A database, the content, a fake Slack and a pass runner: everything a scheduler test needs. */
export class SchedulerWorld {
  readonly dir = mkdtempSync(join(tmpdir(), 'aipath-sched-'));
  readonly dbPath = join(this.dir, 'sched.db');
  /** One container per "process": each has its own connection and pacer, like a separate `aipath tick`. */
  private readonly containers: Container[] = [];
  readonly services: Services;

  constructor(
    readonly fake: ScriptableFakeSlack,
    readonly limits: RateLimits = { perChannelIntervalMs: 0, perWorkspacePerMinute: 100_000 },
    readonly options: Partial<PassOptions> = {},
  ) {
    this.services = this.open();
  }

  static async create(limits?: RateLimits, options?: Partial<PassOptions>): Promise<SchedulerWorld> {
    return new SchedulerWorld(await new ScriptableFakeSlack().start(), limits, options);
  }

  /** Another process on the same file: its own connection and pacer. */
  open(): Services {
    const logger = createLogger('error');
    const container = buildContainer(loadConfig({ AIPATH_DB: this.dbPath }), {
      logger,
      slack: deliveryGateway('xoxb-sched', this.fake.url, logger),
      rateLimits: this.limits,
      passOptions: this.options,
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
    return this.services.stores.subscriptions.upsert(
      { ws: WS, channel, time, tz, track, by: 'U0ADMIN001', nextDaily: utcIso(nextDailyAt(from, tz, time)), nextWeekly: utcIso(nextWeeklyAt(from, tz, time)) },
      from,
    );
  }

  enrol(user: string, tz: string, track = 'devops', startedOn = '2026-01-05', from: Date = new Date('2026-01-01T00:00:00Z'), nudgeTime = '09:00') {
    const { users, enrolments } = this.services.stores;
    users.ensure(WS, user, from);
    users.setTzOverride(WS, user, tz);
    users.setNudgeTime(WS, user, nudgeTime);
    const { enrolment } = enrolments.switchTo(WS, user, track, startedOn, from);
    enrolments.setNextNudge(enrolment.id, utcIso(nextWeeklyAt(from, tz, nudgeTime)));
    return enrolment;
  }

  posts(channel?: string) {
    return this.fake.callsOf('chat.postMessage').filter((c) => channel === undefined || c.params.channel === channel);
  }

  ledger(where = '1 = 1') {
    return this.services.db.prepare(`SELECT * FROM deliveries WHERE ${where} ORDER BY id`).all() as Record<string, unknown>[];
  }

  async close(): Promise<void> {
    for (const c of this.containers) c.close();
    await this.fake.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
