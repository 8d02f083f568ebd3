/**
 * The migration that keys answers and points by learner and brings running totals of leaderboards (SQLite 014,
 * PostgreSQL 008), on a database that already has learners, answers, points and a subscribed channel: every answer
 * and point is still there, to the millisecond, read through the store; and opening the store right after builds the
 * totals of the default timezone and the channel's, which then equal the points summed, week by week and month by month.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { periodBounds } from '../../src/domain/due.js';
import { createLogger } from '../../src/log.js';
import type { Period, Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { openDatabase } from '../../src/store/sqlite/connection.js';
import { MIGRATIONS_DIR, migrate } from '../../src/store/sqlite/migrate.js';
import { migrationFolders } from '../support/migration-folders.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const logger = createLogger('error');
const { tempDir, migrationsBefore, seedPostgresBefore } = migrationFolders('aipath-totals-');

const WS = 'T0MIGRATE1';
const OTHER = 'T0MIGRATE2';
const DEFAULT_ZONE = 'Europe/London';
const CHANNEL_ZONE = 'Asia/Tokyo';

/** Rows as the schema before the migration holds them; instants in ISO-8601 with milliseconds. */
const USERS = [
  [WS, 'U1'],
  [WS, 'U2'],
  [WS, 'U3'],
  [OTHER, 'U1'],
] as const;
const POSTS = [
  { id: 1, ws: WS, channel: 'C1', question: 'q-1', at: '2026-11-02T09:00:00.000Z' },
  { id: 2, ws: WS, channel: 'C1', question: 'q-2', at: '2026-11-30T09:00:00.000Z' },
];
const ANSWERS = [
  { ws: WS, user: 'U1', question: 'q-1', post: 1, option: 0, correct: 1, at: '2026-11-02T10:00:00.123Z', response: null },
  { ws: WS, user: 'U2', question: 'q-1', post: 1, option: 1, correct: 0, at: '2026-11-02T10:00:01.999Z', response: null },
  { ws: WS, user: 'U1', question: 'q-2', post: 2, option: 0, correct: 1, at: '2026-11-30T15:30:00.000Z', response: null },
  { ws: WS, user: 'U1', question: 'q-9', post: null, option: 0, correct: 1, at: '2026-11-29T23:59:59.999Z', response: '[0,2]' },
  { ws: OTHER, user: 'U1', question: 'q-9', post: null, option: 2, correct: 0, at: '2026-11-03T08:00:00.000Z', response: null },
];
const POINTS = [
  { ws: WS, user: 'U1', kind: 'channel_quiz', ref: 'post:1', points: 10, channel: 'C1', at: '2026-11-02T10:00:00.123Z' },
  { ws: WS, user: 'U1', kind: 'channel_quiz', ref: 'post:2', points: 10, channel: 'C1', at: '2026-11-30T15:30:00.000Z' },
  { ws: WS, user: 'U1', kind: 'personal_quiz', ref: 'q-9', points: 5, channel: null, at: '2026-11-29T23:59:59.999Z' },
  // Sunday 29 November, 20:00 in London is already Monday in Tokyo: another week, and 31 October, 16:00 UTC is
  // 1 November in Tokyo: another month.
  { ws: WS, user: 'U2', kind: 'milestone', ref: 'e1:1', points: 25, channel: null, at: '2026-11-29T20:00:00.000Z' },
  { ws: WS, user: 'U3', kind: 'milestone', ref: 'e2:1', points: 25, channel: null, at: '2026-10-31T16:00:00.000Z' },
  { ws: WS, user: 'U3', kind: 'streak_7', ref: '2026-11-08', points: 20, channel: null, at: '2026-11-08T10:00:00.000Z' },
  { ws: OTHER, user: 'U1', kind: 'milestone', ref: 'e3:1', points: 25, channel: null, at: '2026-11-03T08:00:00.000Z' },
];

/** Everything the store reads back of the answers and points, and the boards of both zones against the points summed. */
async function checkMigrated(store: Store): Promise<void> {
  const answers = await store.quiz.answersOf(WS, 'U1');
  expect(answers).toEqual([
    { questionId: 'q-1', postId: 1, response: [0], correct: true, answeredAt: new Date('2026-11-02T10:00:00.123Z') },
    { questionId: 'q-9', postId: null, response: [0, 2], correct: true, answeredAt: new Date('2026-11-29T23:59:59.999Z') },
    { questionId: 'q-2', postId: 2, response: [0], correct: true, answeredAt: new Date('2026-11-30T15:30:00.000Z') },
  ]);
  expect(await store.quiz.answersOf(OTHER, 'U1')).toEqual([
    { questionId: 'q-9', postId: null, response: [2], correct: false, answeredAt: new Date('2026-11-03T08:00:00.000Z') },
  ]);
  expect(await store.quiz.tally(1)).toEqual({ answered: 2, correct: 1 });
  // Answered before the migration, still answered once: a second answer changes nothing.
  const post = (await store.quiz.post(1))!;
  expect((await store.quiz.answer(WS, 'U2', 'q-1', post, [0], true, new Date('2026-12-01T00:00:00.000Z'))).first).toBe(false);
  expect((await store.quiz.answer(WS, 'U1', 'q-9', null, [1], false, new Date('2026-12-01T00:00:00.000Z'))).first).toBe(false);
  expect((await store.points.earnedBy(WS, 'U1')).map((p) => [p.kind, p.ref, p.points, p.channelId, p.earnedAt.toISOString()])).toEqual([
    ['channel_quiz', 'post:1', 10, 'C1', '2026-11-02T10:00:00.123Z'],
    ['personal_quiz', 'q-9', 5, null, '2026-11-29T23:59:59.999Z'],
    ['channel_quiz', 'post:2', 10, 'C1', '2026-11-30T15:30:00.000Z'],
  ]);
  expect(await store.points.award(WS, 'U1', 'channel_quiz', 'post:1', 10, new Date('2026-12-01T00:00:00.000Z'), 'C1')).toBe(false);

  // The totals were built when the store opened: building them again finds nothing to do.
  expect(await store.points.keepZone(WS, DEFAULT_ZONE)).toBe(false);
  expect(await store.points.keepZone(WS, CHANNEL_ZONE)).toBe(false);
  expect(await store.points.keepZone(OTHER, DEFAULT_ZONE)).toBe(false);
  const periods: Period[] = [];
  for (const zone of [DEFAULT_ZONE, CHANNEL_ZONE])
    for (const p of POINTS)
      for (const unit of ['week', 'month'] as const) {
        const { from, to } = periodBounds(unit, new Date(p.at), zone);
        periods.push({ from, to, zone });
      }
  for (const p of periods)
    for (const ws of [WS, OTHER])
      for (const me of ['U1', 'U2', 'U3']) {
        const board = await store.points.board(ws, p, { me, limit: 10 });
        expect(board).toEqual(await store.points.board(ws, { from: p.from, to: p.to }, { me, limit: 10 }));
      }
  const tokyoWeek = periodBounds('week', new Date('2026-11-30T12:00:00.000Z'), CHANNEL_ZONE);
  expect((await store.points.board(WS, { ...tokyoWeek, zone: CHANNEL_ZONE }, { me: 'U2', limit: 10 })).top).toEqual([
    { userId: 'U2', points: 25, rank: 1 },
    // 10 for post 2, and 5 for the practice answer at 23:59 UTC on Sunday, Monday morning in Tokyo.
    { userId: 'U1', points: 15, rank: 2 },
  ]);
}

it('SQLite 014 keeps every answer and point, and the store opened after it builds running totals that equal the points', async () => {
  const path = join(tempDir(), 'before.db');
  const db = openDatabase(path);
  migrate(db, migrationsBefore(MIGRATIONS_DIR, '014'));
  const now = '2026-11-01T00:00:00.000Z';
  for (const [ws, user] of USERS) db.prepare('INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, ?)').run(ws, user, now);
  db.prepare("INSERT INTO subscriptions (workspace_id, channel_id, tz, created_by, created_at, updated_at) VALUES (?, 'C1', ?, 'U1', ?, ?)").run(
    WS,
    CHANNEL_ZONE,
    now,
    now,
  );
  for (const p of POSTS)
    db.prepare('INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      p.id,
      p.ws,
      p.channel,
      p.question,
      `${p.id}.0`,
      p.at,
    );
  for (const a of ANSWERS)
    db.prepare(
      'INSERT INTO quiz_answers (workspace_id, user_id, question_id, quiz_post_id, option_index, correct, answered_at, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(a.ws, a.user, a.question, a.post, a.option, a.correct, a.at, a.response);
  for (const p of POINTS)
    db.prepare('INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      p.ws,
      p.user,
      p.kind,
      p.ref,
      p.points,
      p.channel,
      p.at,
    );
  db.close();

  const store = await openStore(path, logger, { boardZone: DEFAULT_ZONE });
  try {
    await checkMigrated(store);
  } finally {
    await store.database.close();
  }
  const after = openDatabase(path);
  try {
    expect(after.prepare('SELECT typeof(answered_at) AS t, COUNT(*) AS n FROM quiz_answers GROUP BY 1').all()).toEqual([{ t: 'integer', n: 5 }]);
    expect(after.prepare('SELECT workspace_id, user_id, id FROM users ORDER BY id').all()).toEqual([
      { workspace_id: WS, user_id: 'U1', id: 1 },
      { workspace_id: WS, user_id: 'U2', id: 2 },
      { workspace_id: WS, user_id: 'U3', id: 3 },
      { workspace_id: OTHER, user_id: 'U1', id: 4 },
    ]);
    // A learner added afterwards gets the next number.
    after.prepare("INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, 'U9', ?)").run(WS, '2026-12-01T00:00:00.000Z');
    expect(after.prepare("SELECT id FROM users WHERE user_id = 'U9'").get()).toEqual({ id: 5 });
    expect(after.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  } finally {
    after.close();
  }
});

describeWithPostgres('PostgreSQL 008', (serverUrl) => {
  it('keeps every answer and point, and the store opened after it builds running totals that equal the points', async () => {
    const database = await freshDatabase(serverUrl, 'totals_migration');
    try {
      await seedPostgresBefore(database.url, '008', async (client) => {
        const now = '2026-11-01T00:00:00.000Z';
        for (const [ws, user] of USERS) await client.query('INSERT INTO users (workspace_id, user_id, created_at) VALUES ($1, $2, $3)', [ws, user, now]);
        await client.query("INSERT INTO subscriptions (workspace_id, channel_id, tz, created_by, created_at, updated_at) VALUES ($1, 'C1', $2, 'U1', $3, $3)", [
          WS,
          CHANNEL_ZONE,
          now,
        ]);
        for (const p of POSTS)
          await client.query('INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at) VALUES ($1, $2, $3, $4, $5, $6)', [
            p.id,
            p.ws,
            p.channel,
            p.question,
            `${p.id}.0`,
            p.at,
          ]);
        for (const a of ANSWERS)
          await client.query(
            `INSERT INTO quiz_answers (workspace_id, user_id, question_id, quiz_post_id, option_index, correct, answered_at, response)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [a.ws, a.user, a.question, a.post, a.option, a.correct === 1, a.at, a.response],
          );
        for (const p of POINTS)
          await client.query('INSERT INTO points (workspace_id, user_id, kind, ref, points, channel_id, earned_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
            p.ws,
            p.user,
            p.kind,
            p.ref,
            p.points,
            p.channel,
            p.at,
          ]);
      });
      const store = await openStore(database.url, logger, { boardZone: DEFAULT_ZONE });
      try {
        await checkMigrated(store);
      } finally {
        await store.database.close();
      }
    } finally {
      await database.drop();
    }
  });
});
