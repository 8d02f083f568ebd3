import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { buildLookups } from '../../src/content/lookups.js';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { adminOverview, workspaceExport } from '../../src/services/admin.js';
import type { Caller, StudyDeps } from '../../src/services/context.js';
import { openStore } from '../../src/store/open.js';

const content = loadContent();
const lookups = buildLookups(content);
const WS = 'T0ADMINSVC';

let store: Store;
let deps: StudyDeps;
beforeEach(async () => {
  store = await openStore(':memory:', createLogger('error'));
  deps = { store, content, lookups, defaultTimezone: 'Europe/London', admins: [], random: () => 0 };
});
afterEach(async () => {
  await store.database.close();
});

const caller = (now: Date, isAdmin = true): Caller => ({
  workspaceId: WS,
  userId: 'U0ADMIN001',
  channelId: 'C0ADMIN001',
  now,
  profile: async () => ({ tz: 'Europe/London', isAdmin }),
});

/** The export's rows by user id and track, as text cells (the header dropped). */
async function exported(now: Date): Promise<Map<string, string[]>> {
  const r = await workspaceExport(deps, caller(now));
  if (r.kind !== 'export') throw new Error(r.kind);
  const lines = r.csv.slice(1).split('\r\n').filter(Boolean).slice(1);
  return new Map(lines.map((l) => l.split(',')).map((cells) => [`${cells[0]}/${cells[1]}`, cells]));
}

describe('the export', () => {
  it("reads each learner's week in their own timezone, else the workspace's", async () => {
    // Sunday 29 Nov, 20:00 UTC: already Monday 30 Nov in Tokyo, so week 2 there; still week 1 in London.
    const now = new Date('2026-11-29T20:00:00Z');
    for (const user of ['U0TOKYO001', 'U0LONDON01']) {
      await store.users.ensure(WS, user, now);
      await store.enrolments.switchTo(WS, user, 'devops', '2026-11-23', now);
    }
    await store.users.setTzOverride(WS, 'U0TOKYO001', 'Asia/Tokyo');
    const rows = await exported(now);
    expect(rows.get('U0TOKYO001/devops')?.[6]).toBe('2');
    expect(rows.get('U0LONDON01/devops')?.[6]).toBe('1');
    await store.workspaceSettings.setDefaultTimezone(WS, 'Pacific/Auckland');
    expect((await exported(now)).get('U0LONDON01/devops')?.[6]).toBe('2');
  });

  it('a track past its last week reads finished, a timed pause that ended reads active, an earlier track has no week', async () => {
    const now = new Date('2027-06-01T12:00:00Z');
    await store.users.ensure(WS, 'U0DONE0001', now);
    await store.enrolments.switchTo(WS, 'U0DONE0001', 'devops', '2026-01-05', now);
    await store.users.ensure(WS, 'U0PAUSED01', now);
    const { enrolment } = await store.enrolments.switchTo(WS, 'U0PAUSED01', 'ml', '2027-05-24', now);
    await store.enrolments.setStatus(enrolment.id, 'paused', now, { pausedUntil: new Date('2027-05-31T00:00:00Z') });
    await store.enrolments.switchTo(WS, 'U0DONE0001', 'architect', '2027-05-31', now);
    const rows = await exported(now);
    // devops is no longer current: its stored status, no week.
    expect(rows.get('U0DONE0001/devops')?.slice(3, 7)).toEqual(['no', 'active', '2026-01-05', '']);
    expect(rows.get('U0DONE0001/architect')?.slice(3, 7)).toEqual(['yes', 'active', '2027-05-31', '1']);
    expect(rows.get('U0PAUSED01/ml')?.slice(3, 7)).toEqual(['yes', 'active', '2027-05-24', '2']);
    await store.enrolments.switchTo(WS, 'U0DONE0001', 'devops', '2026-01-05', now);
    expect((await exported(now)).get('U0DONE0001/devops')?.slice(3, 7)).toEqual(['yes', 'finished', '2026-01-05', '']);
  });

  it('reads page after page: every learner once, however many pages', async () => {
    const now = new Date('2026-11-30T12:00:00Z');
    await store.transaction(async (tx) => {
      for (let i = 0; i < 2500; i++) {
        const user = `U${String(i).padStart(6, '0')}`;
        await tx.users.ensure(WS, user, now);
        if (i % 5 !== 0) await tx.enrolments.switchTo(WS, user, 'devops', '2026-11-23', now);
        if (i % 3 === 0) await tx.points.award(WS, user, 'personal_quiz', 'q-1', 5, now);
      }
    });
    const r = await workspaceExport(deps, caller(now));
    if (r.kind !== 'export') throw new Error(r.kind);
    // Every fifth learner has no track; of those, every third has points (i divisible by 15): 2,000 + 167.
    expect(r.learners).toBe(2167);
    expect(r.rows).toBe(2167);
    const ids = r.csv
      .slice(1)
      .split('\r\n')
      .filter(Boolean)
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(new Set(ids).size).toBe(2167);
    expect(ids).toEqual([...ids].sort());
  });

  it('is refused to a non-admin, reading nothing', async () => {
    const r = await workspaceExport(deps, caller(new Date(), false));
    expect(r).toEqual({ kind: 'admins-only', admins: [] });
  });
});

describe('the overview', () => {
  it("shows a channel's next post on a weekday when the workspace has weekend posts off", async () => {
    // Friday 27 Nov after 09:00: the stored next post is Saturday's.
    const now = new Date('2026-11-27T12:00:00Z');
    await store.subscriptions.upsert(
      {
        ws: WS,
        channel: 'C0WEEKDAYS',
        time: '09:00',
        tz: 'UTC',
        track: null,
        by: 'U0ADMIN001',
        nextDaily: new Date('2026-11-28T09:00:00Z'),
        nextWeekly: new Date('2026-11-30T09:00:00Z'),
      },
      now,
    );
    const next = async () => {
      const r = await adminOverview(deps, caller(now));
      if (r.kind !== 'overview') throw new Error(r.kind);
      return r.channels[0]?.nextPost?.toISO();
    };
    expect(await next()).toBe('2026-11-28T09:00:00.000Z');
    await store.workspaceSettings.setWeekendPosts(WS, false);
    expect(await next()).toBe('2026-11-30T09:00:00.000Z');
  });
});
