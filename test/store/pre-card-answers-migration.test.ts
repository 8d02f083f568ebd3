/**
 * The migration that counts quiz answers to questions without a memory card per learner and question (SQLite 018,
 * PostgreSQL 013), on a database that already has learners, channel and personal answers, and cards: readiness's
 * tallies read through the store right after it are those of the answers counted one by one (the computation the
 * table replaces), to the answer; and the store keeps them from there.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { newCard, review } from '../../src/domain/review/memory.js';
import { createLogger } from '../../src/log.js';
import type { AnswerTally } from '../../src/domain/review/readiness.js';
import type { Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';
import { openDatabase } from '../../src/store/sqlite/connection.js';
import { MIGRATIONS_DIR, migrate } from '../../src/store/sqlite/migrate.js';
import { migrationFolders } from '../support/migration-folders.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';

const logger = createLogger('error');
const { tempDir, migrationsBefore, seedPostgresBefore } = migrationFolders('aipath-precard-');

const WS = 'T0PRECARD1';
const OTHER = 'T0PRECARD2';
const CREATED = '2026-11-01T00:00:00.000Z';
const USERS = [
  [WS, 'U1'],
  [WS, 'U2'],
  [OTHER, 'U1'],
] as const;
const POSTS = [
  { id: 1, ws: WS, question: 'q-a', at: '2026-11-02T09:00:00.000Z' },
  { id: 2, ws: WS, question: 'q-c', at: '2026-11-03T09:00:00.000Z' },
  { id: 3, ws: OTHER, question: 'q-a', at: '2026-11-02T09:00:00.000Z' },
];
/** Answers as the schema before the migration holds them; post null is a personal question. */
const ANSWERS = [
  { ws: WS, user: 'U1', question: 'q-a', post: null, correct: true, at: '2026-11-02T08:00:00.000Z' },
  { ws: WS, user: 'U1', question: 'q-a', post: 1, correct: false, at: '2026-11-02T10:00:00.000Z' },
  { ws: WS, user: 'U1', question: 'q-b', post: null, correct: false, at: '2026-11-02T11:00:00.000Z' },
  // U1 has a card for q-c: its quiz answer counts in the card, not here.
  { ws: WS, user: 'U1', question: 'q-c', post: 2, correct: true, at: '2026-11-03T10:00:00.000Z' },
  { ws: WS, user: 'U2', question: 'q-a', post: 1, correct: true, at: '2026-11-02T10:00:01.000Z' },
  { ws: OTHER, user: 'U1', question: 'q-a', post: 3, correct: false, at: '2026-11-02T10:00:00.000Z' },
];
const CARD_AT = new Date('2026-11-03T10:00:00.000Z');
const CARD = review(newCard(CARD_AT), 'good', CARD_AT).card;
/** U1's card for q-c, with the counts migration 012 (PostgreSQL 006) gave it from its reviews. */
const CARDS = [{ ws: WS, user: 'U1', question: 'q-c', answered: 3, right: 2 }];

const byQuestion = (a: AnswerTally, b: AnswerTally) => (a.questionId < b.questionId ? -1 : 1);
const pre = (questionId: string, answered: number, right: number): AnswerTally => ({ questionId, stability: null, lastReviewMs: null, answered, right });

/** The tallies as the reference computes them: the cards, and the quiz answers of questions without one counted one by one. */
async function countedOneByOne(store: Store, ws: string, user: string): Promise<AnswerTally[]> {
  const cards = await store.reviews.memoryOf(ws, user);
  const tallies = new Map<string, AnswerTally>(
    cards.map((c) => [
      c.questionId,
      {
        questionId: c.questionId,
        stability: c.card.state === 'new' ? null : c.card.stability,
        lastReviewMs: c.card.state === 'new' ? null : (c.card.lastReview?.getTime() ?? null),
        answered: c.answered,
        right: c.right,
      },
    ]),
  );
  for (const a of await store.quiz.answersOf(ws, user)) {
    if (cards.some((c) => c.questionId === a.questionId)) continue;
    const t = tallies.get(a.questionId) ?? pre(a.questionId, 0, 0);
    tallies.set(a.questionId, { ...t, answered: t.answered + 1, right: t.right + (a.correct ? 1 : 0) });
  }
  return [...tallies.values()].sort(byQuestion);
}

async function checkMigrated(store: Store): Promise<void> {
  const tallies = async (ws: string, user: string) => [...(await store.reviews.answerTallies(ws, user))].sort(byQuestion);
  const card = { questionId: 'q-c', stability: CARD.stability, lastReviewMs: CARD_AT.getTime(), answered: 3, right: 2 };
  expect(await tallies(WS, 'U1')).toEqual([pre('q-a', 2, 1), pre('q-b', 1, 0), card]);
  expect(await tallies(WS, 'U2')).toEqual([pre('q-a', 1, 1)]);
  expect(await tallies(OTHER, 'U1')).toEqual([pre('q-a', 1, 0)]);
  for (const [ws, user] of USERS) expect(await tallies(ws, user)).toEqual(await countedOneByOne(store, ws, user));

  // From here the store keeps the counts: a new answer to a question without a card adds to them; a card replaces them.
  const post = await store.quiz.createPost(
    WS,
    'C1',
    'q-b',
    (await store.ledger.insert({ ws: WS, kind: 'daily_quiz', target: 'C1', period: 'p-9' }, CARD_AT, 'claimed', false, 'o', CARD_AT, CARD_AT))!.id,
    CARD_AT,
  );
  expect((await store.quiz.answer(WS, 'U1', 'q-b', post, [0], true, CARD_AT)).first).toBe(true);
  const reviewed = review(newCard(CARD_AT), 'again', CARD_AT);
  await store.reviews.saveReview(WS, 'U1', 'q-a', reviewed.card, reviewed.log, 'review');
  expect(await tallies(WS, 'U1')).toEqual([
    { questionId: 'q-a', stability: reviewed.card.stability, lastReviewMs: CARD_AT.getTime(), answered: 1, right: 0 },
    pre('q-b', 2, 1),
    card,
  ]);
  expect(await tallies(WS, 'U1')).toEqual(await countedOneByOne(store, WS, 'U1'));
}

it('SQLite 018 counts every answer to a question without a card, as the answers counted one by one', async () => {
  const path = join(tempDir(), 'before.db');
  const db = openDatabase(path);
  migrate(db, migrationsBefore(MIGRATIONS_DIR, '018'));
  for (const [ws, user] of USERS) db.prepare('INSERT INTO users (workspace_id, user_id, created_at) VALUES (?, ?, ?)').run(ws, user, CREATED);
  for (const p of POSTS)
    db.prepare("INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at) VALUES (?, ?, 'C1', ?, ?, ?)").run(
      p.id,
      p.ws,
      p.question,
      `${p.id}.0`,
      p.at,
    );
  for (const a of ANSWERS)
    db.prepare(
      `INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, correct, answered_at)
       VALUES ((SELECT id FROM users WHERE workspace_id = ? AND user_id = ?), ?, ?, ?, 0, ?, ?)`,
    ).run(a.ws, a.user, a.question, a.post ?? 0, a.post, a.correct ? 1 : 0, Date.parse(a.at));
  for (const c of CARDS)
    db.prepare(
      `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
         reps, lapses, state, last_review_at, updated_at, answered, right_answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.ws,
      c.user,
      c.question,
      CARD.due.toISOString(),
      CARD.stability,
      CARD.difficulty,
      CARD.elapsedDays,
      CARD.scheduledDays,
      CARD.learningSteps,
      CARD.reps,
      CARD.lapses,
      CARD.state,
      CARD_AT.toISOString(),
      CARD_AT.toISOString(),
      c.answered,
      c.right,
    );
  db.close();

  const store = await openStore(path, logger);
  try {
    await checkMigrated(store);
  } finally {
    await store.database.close();
  }
  const after = openDatabase(path);
  try {
    expect(after.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  } finally {
    after.close();
  }
});

describeWithPostgres('PostgreSQL 013', (serverUrl) => {
  it('counts every answer to a question without a card, as the answers counted one by one', async () => {
    const database = await freshDatabase(serverUrl, 'precard_migration');
    try {
      await seedPostgresBefore(database.url, '013', async (client) => {
        for (const [ws, user] of USERS) await client.query('INSERT INTO users (workspace_id, user_id, created_at) VALUES ($1, $2, $3)', [ws, user, CREATED]);
        for (const p of POSTS)
          await client.query("INSERT INTO quiz_posts (id, workspace_id, channel_id, question_id, message_ts, posted_at) VALUES ($1, $2, 'C1', $3, $4, $5)", [
            p.id,
            p.ws,
            p.question,
            `${p.id}.0`,
            p.at,
          ]);
        // Ids given here, so that the sequence gives the next post a fresh one.
        await client.query("SELECT setval(pg_get_serial_sequence('quiz_posts', 'id'), 3)");
        for (const a of ANSWERS)
          await client.query(
            `INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, correct, answered_at)
             VALUES ((SELECT id FROM users WHERE workspace_id = $1 AND user_id = $2), $3, $4, $5, 0, $6, $7)`,
            [a.ws, a.user, a.question, a.post ?? 0, a.post, a.correct, a.at],
          );
        for (const c of CARDS)
          await client.query(
            `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
               reps, lapses, state, last_review_at, updated_at, answered, right_answers)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15)`,
            [
              c.ws,
              c.user,
              c.question,
              CARD.due,
              CARD.stability,
              CARD.difficulty,
              CARD.elapsedDays,
              CARD.scheduledDays,
              CARD.learningSteps,
              CARD.reps,
              CARD.lapses,
              CARD.state,
              CARD_AT,
              c.answered,
              c.right,
            ],
          );
      });
      const store = await openStore(database.url, logger);
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
