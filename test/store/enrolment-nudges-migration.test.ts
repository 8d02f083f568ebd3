/**
 * The migration that moves the weekly nudge's due time out of enrolments into a narrow table of its own (SQLite 020,
 * PostgreSQL 015), on a database that already has enrolments in every state: each keeps its due time, to the
 * millisecond, read through the store; the due set is what it was (current, active or paused, due by now, oldest
 * first); and the triggers keep it so as enrolments are made, switched, paused, stopped and forgotten afterwards.
 */
import { join } from 'node:path';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { openDatabase } from '../../src/store/sqlite/connection.js';
import { MIGRATIONS_DIR, migrate } from '../../src/store/sqlite/migrate.js';
import { migrationFolders } from '../support/migration-folders.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const logger = createLogger('error');
const { tempDir, migrationsBefore, seedPostgresBefore } = migrationFolders('aipath-nudges-');

const WS = 'T0NUDGES1';
const NOW = new Date('2026-11-30T09:00:00.000Z');
const CREATED = '2026-11-01T00:00:00.000Z';

/** Enrolments as the schema before the migration holds them (one learner each, but U6 who has two). */
const ENROLMENTS = [
  { id: 1, user: 'U1', track: 'devops', status: 'active', current: true, next: '2026-11-30T08:59:59.123Z' },
  { id: 2, user: 'U2', track: 'devops', status: 'paused', current: true, next: '2026-11-30T08:00:00.000Z' },
  { id: 3, user: 'U3', track: 'devops', status: 'stopped', current: true, next: '2026-11-30T07:00:00.000Z' },
  { id: 4, user: 'U4', track: 'devops', status: 'finished', current: true, next: '2026-11-30T06:00:00.000Z' },
  { id: 5, user: 'U5', track: 'devops', status: 'active', current: true, next: null },
  { id: 6, user: 'U6', track: 'devops', status: 'active', current: false, next: '2026-11-30T05:00:00.000Z' },
  { id: 7, user: 'U6', track: 'ml', status: 'active', current: true, next: '2026-12-07T09:00:00.000Z' },
  { id: 8, user: 'U7', track: 'ml', status: 'active', current: true, next: '2026-11-30T09:00:00.000Z' },
] as const;
const USERS = [...new Set(ENROLMENTS.map((e) => e.user))];

const at = (iso: string | null) => (iso === null ? null : new Date(iso));
const dueIds = async (store: Store, now = NOW) => (await store.enrolments.dueNudges(now, 100)).map((n) => n.id);

async function checkMigrated(store: Store): Promise<void> {
  for (const e of ENROLMENTS.filter((x) => x.current)) {
    const seen = await store.enrolments.current(WS, e.user);
    expect(seen?.id, e.user).toBe(e.id);
    expect(seen?.nextNudgeAt, e.user).toEqual(at(e.next));
  }
  // Current, active or paused, due by now, oldest first: the paused one, then U1's, then U7's (due at now exactly).
  expect(await dueIds(store)).toEqual([2, 1, 8]);
  expect((await store.enrolments.dueNudges(NOW, 100))[1]).toMatchObject({ userId: 'U1', trackId: 'devops', nextNudgeAt: at(ENROLMENTS[0].next) });
  expect(await store.ledger.pendingWork(NOW, ABANDONED)).toMatchObject({ due: new Set(['learner-weekly']) });
  expect((await store.ledger.pendingWork(new Date('2026-11-30T04:00:00.000Z'), ABANDONED)).due.has('learner-weekly')).toBe(false);

  // The due time moves, compare-and-set, as before.
  const u1 = (await store.enrolments.current(WS, 'U1'))!;
  expect(await store.enrolments.advanceNudges([{ target: u1, next: at('2026-12-07T09:00:00.000Z') }])).toEqual([true]);
  expect(await store.enrolments.advanceNudge(u1, at('2026-12-14T09:00:00.000Z'))).toBe(false);
  expect(await dueIds(store)).toEqual([2, 8]);

  // Stopping leaves the due set, and choosing the track again comes back into it with the due time it had.
  await store.enrolments.setStatus(2, 'stopped', NOW);
  expect(await dueIds(store)).toEqual([8]);
  await store.enrolments.setStatus(2, 'paused', NOW);
  expect(await dueIds(store)).toEqual([2, 8]);
  // A switch: the old enrolment leaves the due set, the new one has its row, with no due time yet.
  const switched = await store.enrolments.switchTo(WS, 'U7', 'devops', '2026-11-30', NOW);
  expect(switched).toMatchObject({ resumed: false, enrolment: { userId: 'U7', trackId: 'devops', nextNudgeAt: null } });
  expect(await dueIds(store)).toEqual([2]);
  await store.enrolments.setNextNudge(switched.enrolment.id, at('2026-11-30T07:30:00.000Z'));
  expect(await dueIds(store)).toEqual([switched.enrolment.id, 2]);
  // Back to the first track: its due time is still there, and it is due again.
  const back = await store.enrolments.switchTo(WS, 'U7', 'ml', '2026-11-30', NOW);
  expect(back).toMatchObject({ resumed: true, enrolment: { id: 8, nextNudgeAt: at(ENROLMENTS[7].next) } });
  expect(await dueIds(store)).toEqual([2, 8]);

  // Forgetting a learner takes their due times with them.
  expect(await store.users.forget(WS, 'U6')).toBe(true);
  expect(await store.enrolments.current(WS, 'U6')).toBeUndefined();
}

const ABANDONED = {
  claimedBefore: NOW,
  wallNow: NOW,
  host: 'test-host',
  probeBefore: NOW,
};

it('SQLite 020 keeps every enrolment’s due time and the due set, and its triggers keep them as enrolments change', async () => {
  const path = join(tempDir(), 'before.db');
  const db = openDatabase(path);
  migrate(db, migrationsBefore(MIGRATIONS_DIR, '020'));
  for (const user of USERS) db.prepare('INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, ?)').run(WS, user, CREATED);
  for (const e of ENROLMENTS)
    db.prepare(
      `INSERT INTO enrolments (id, workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at, next_nudge_at)
       VALUES (?, ?, ?, ?, '2026-11-02', ?, ?, ?, ?, ?)`,
    ).run(e.id, WS, e.user, e.track, e.status, e.current ? 1 : 0, CREATED, CREATED, e.next);
  db.close();

  const store = await openStore(path, logger);
  try {
    await checkMigrated(store);
  } finally {
    await store.database.close();
  }
  const after = openDatabase(path);
  try {
    expect(after.prepare("SELECT COUNT(*) AS n FROM pragma_table_info('enrolments') WHERE name = 'next_nudge_at'").get()).toEqual({ n: 0 });
    // One row per enrolment: U6's two went with U6; U7's new one came with it.
    expect(after.prepare('SELECT COUNT(*) AS n FROM enrolment_nudges').get()).toEqual({ n: 7 });
    expect(after.prepare('SELECT COUNT(*) AS n FROM enrolment_nudges n LEFT JOIN enrolments e ON e.id = n.enrolment_id WHERE e.id IS NULL').get()).toEqual({
      n: 0,
    });
    expect(after.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  } finally {
    after.close();
  }
});

describeWithPostgres('PostgreSQL 015', (serverUrl) => {
  it('keeps every enrolment’s due time and the due set, and its triggers keep them as enrolments change', async () => {
    const database = await freshDatabase(serverUrl, 'nudges_migration');
    try {
      await seedPostgresBefore(database.url, '015', async (client) => {
        for (const user of USERS) await client.query('INSERT INTO users (workspace_id, user_id, created_at) VALUES ($1, $2, $3)', [WS, user, CREATED]);
        for (const e of ENROLMENTS)
          await client.query(
            `INSERT INTO enrolments (id, workspace_id, user_id, track_id, started_on, status, is_current, created_at, updated_at, next_nudge_at)
             VALUES ($1, $2, $3, $4, '2026-11-02', $5, $6, $7, $7, $8)`,
            [e.id, WS, e.user, e.track, e.status, e.current, CREATED, e.next],
          );
        // As a database that has made its enrolments itself: the identity goes on after the highest id.
        await client.query("SELECT setval(pg_get_serial_sequence('enrolments', 'id'), 8)");
      });
      const store = await openStore(database.url, logger);
      try {
        await checkMigrated(store);
      } finally {
        await store.database.close();
      }
      const after = new pg.Client({ connectionString: database.url });
      await after.connect();
      try {
        expect(
          (await after.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'enrolments' AND column_name = 'next_nudge_at'"))
            .rows,
        ).toEqual([{ n: 0 }]);
        expect((await after.query('SELECT count(*)::int AS n FROM enrolment_nudges')).rows).toEqual([{ n: 7 }]);
      } finally {
        await after.end();
      }
    } finally {
      await database.drop();
    }
  });
});
