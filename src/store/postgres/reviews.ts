import type { MemoryCard, MemoryState, ReviewGrade } from '../../domain/review/memory.js';
import type { DueCard, LoggedReview, QuestionCard, ReminderTarget, ReviewDays, ReviewSource, ReviewsRepository } from '../../ports/store.js';
import { first, isoArray, movedFlags, type Queryable } from './connection.js';
import { claimLock, DUE_SETS } from './due-sets.js';

interface CardRow {
  question_id: string;
  due_at: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: MemoryState;
  last_review_at: Date | null;
}

interface LogRow {
  question_id: string;
  source: ReviewSource;
  rating: ReviewGrade;
  state: MemoryState;
  due_at: Date;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reviewed_at: Date;
}

const CARD_COLUMNS = 'question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review_at';

// double precision comes back as the exact JavaScript number that went in (PostgreSQL prints the shortest
// representation that reads back the same), so FSRS's fractional stability and difficulty survive the trip.
const toCard = (r: CardRow): MemoryCard => ({
  due: r.due_at,
  stability: r.stability,
  difficulty: r.difficulty,
  elapsedDays: r.elapsed_days,
  scheduledDays: r.scheduled_days,
  learningSteps: r.learning_steps,
  reps: r.reps,
  lapses: r.lapses,
  state: r.state,
  lastReview: r.last_review_at,
});

const toQuestionCard = (r: CardRow): QuestionCard => ({ questionId: r.question_id, card: toCard(r) });

/** A due card's row, its instants as epoch milliseconds (DUE_CARDS). */
interface DueRow {
  question_id: string;
  due_ms: number;
  state: MemoryState;
  stability: number;
  last_review_ms: number | null;
  reps: number;
}

// The due cards of a review session, hundreds a call for a learner behind: their instants come as epoch milliseconds
// (date_part's double, rounded: exact for the millisecond instants the app writes, see ANSWER_TALLIES_SQL; extract()
// would compute in numeric) rather than timestamptz text, which
// node-postgres parses with a regular expression into a Date field by field, a few microseconds apiece (most of the
// call's time). Prepared (named): planned once per connection.
const DUE_CARDS = `SELECT question_id, round(date_part('epoch', due_at) * 1000) AS due_ms, state, stability,
    round(date_part('epoch', last_review_at) * 1000) AS last_review_ms, reps
  FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 AND due_at <= $3
  ORDER BY due_at, question_id COLLATE "C" LIMIT $4`;

const toDueCard = (r: DueRow): DueCard => ({
  questionId: r.question_id,
  card: {
    due: new Date(r.due_ms),
    state: r.state,
    stability: r.stability,
    lastReview: r.last_review_ms === null ? null : new Date(r.last_review_ms),
    reps: r.reps,
  },
});

const toLogged = (r: LogRow): LoggedReview => ({
  questionId: r.question_id,
  source: r.source,
  log: {
    rating: r.rating,
    state: r.state,
    due: r.due_at,
    stability: r.stability,
    difficulty: r.difficulty,
    elapsedDays: r.elapsed_days,
    lastElapsedDays: r.last_elapsed_days,
    scheduledDays: r.scheduled_days,
    learningSteps: r.learning_steps,
    review: r.reviewed_at,
  },
});

const UPSERT_CARD = `ON CONFLICT (workspace_id, user_id, question_id) DO UPDATE SET
    due_at = excluded.due_at, stability = excluded.stability, difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days,
    scheduled_days = excluded.scheduled_days, learning_steps = excluded.learning_steps, reps = excluded.reps, lapses = excluded.lapses,
    state = excluded.state, last_review_at = excluded.last_review_at, updated_at = excluded.updated_at`;
const CARD_INSERT = `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days,
    learning_steps, reps, lapses, state, last_review_at, updated_at)`;
/** The card's parameters ($4 … $13) in CARD_INSERT's order, after workspace, user and question ($1 … $3). */
const cardValues = (c: MemoryCard) => [
  c.due,
  c.stability,
  c.difficulty,
  c.elapsedDays,
  c.scheduledDays,
  c.learningSteps,
  c.reps,
  c.lapses,
  c.state,
  c.lastReview,
];

// The card as it is after the review and the review in the log: one statement, so both or neither (a data-
// modifying WITH runs to completion whether or not the main statement reads it; a failure anywhere undoes all).
// The card counts the answer too (answered, and right unless Again), for readiness; the question's answers from
// before it had a card no longer count (answerTallies), so their row goes.
const SAVE_REVIEW = `WITH card AS (
    INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days,
      learning_steps, reps, lapses, state, last_review_at, updated_at, answered, right_answers)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $24, 1, CASE WHEN $15 <> 'again' THEN 1 ELSE 0 END)
    ${UPSERT_CARD}, answered = memory_cards.answered + 1, right_answers = memory_cards.right_answers + excluded.right_answers
    RETURNING 1
  ), pre_card AS (
    DELETE FROM pre_card_answers WHERE learner = (SELECT id FROM users WHERE workspace_id = $1 AND user_id = $2) AND question_id = $3
  )
  INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days,
    scheduled_days, learning_steps, reviewed_at)
  VALUES ($1, $2, $3, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`;

const LOG_COLUMNS =
  'question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, reviewed_at';

// The latest review's new rating and the card, in one statement: both, or (no review of the question) neither.
const REGRADE_LAST = `WITH rated AS (
    UPDATE review_log SET rating = $15
    WHERE id = (SELECT max(id) FROM review_log WHERE workspace_id = $1 AND user_id = $2 AND question_id = $3)
    RETURNING 1
  )
  ${CARD_INSERT}
  SELECT $1::text, $2::text, $3::text, $4::timestamptz, $5::double precision, $6::double precision, $7::integer, $8::integer, $9::integer,
    $10::integer, $11::integer, $12::text, $13::timestamptz, $14::timestamptz
  WHERE EXISTS (SELECT 1 FROM rated)
  ${UPSERT_CARD}`;

// One row a question: each card (its stability only while it is not new), then each question answered before it had
// a card, its quiz answers counted as they were recorded (pre_card_answers, migration 013): a row a question rather
// than every answer. The last review as epoch milliseconds, so thousands of rows need no Date parsing: date_part's
// double (the stored microseconds / 10⁶, correctly rounded) × 1000, rounded, which is exact for the instants written
// (whole milliseconds; the error is below 10⁻³ ms until the year 2255). extract() would compute in numeric, which took
// about a millisecond of the server's time for 2,000 rows.
export const ANSWER_TALLIES_SQL = `SELECT question_id, CASE WHEN state = 'new' THEN NULL ELSE stability END AS stability,
    CASE WHEN state = 'new' THEN NULL ELSE round(date_part('epoch', last_review_at) * 1000) END AS last_review_ms,
    answered, right_answers
  FROM memory_cards WHERE workspace_id = $1 AND user_id = $2
  UNION ALL
  SELECT p.question_id, NULL, NULL, p.answered, p.right_answers FROM users u JOIN pre_card_answers p ON p.learner = u.id
  WHERE u.workspace_id = $1 AND u.user_id = $2
    AND NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.question_id = p.question_id)`;

interface ReminderRow {
  workspace_id: string;
  user_id: string;
  next_reminder_at: Date;
  tz_override: string | null;
  slack_tz: string | null;
  nudge_time: string;
  review_days: ReviewDays;
  due_cards: number;
}

// Ties in due time come in key order (bytewise), as from SQLite's index on the table keyed by workspace and user.
const DUE_REMINDERS = `SELECT u.workspace_id, u.user_id, u.next_reminder_at, u.tz_override, u.slack_tz, u.nudge_time, u.review_days,
    (SELECT count(*) FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.due_at <= u.next_reminder_at) AS due_cards
  ${DUE_SETS['learner-daily']('$1')}
  ORDER BY u.next_reminder_at, u.workspace_id COLLATE "C", u.user_id COLLATE "C" LIMIT $2`;

// Compare-and-set for many at once (distinct learners): `m.i` says which of the moves given took.
const ADVANCE_REMINDERS = `UPDATE users u SET next_reminder_at = m.next
  FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS m(ws, usr, prev, next, i)
  WHERE u.workspace_id = m.ws AND u.user_id = m.usr AND u.next_reminder_at IS NOT DISTINCT FROM m.prev
  RETURNING m.i`;

export function postgresReviews(q: Queryable): ReviewsRepository {
  return {
    async card(ws, user, questionId) {
      const row = first(
        await q.rows<CardRow>(`SELECT ${CARD_COLUMNS} FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 AND question_id = $3`, [ws, user, questionId]),
      );
      return row ? toCard(row) : undefined;
    },
    async saveReview(ws, user, questionId, c, log, source) {
      await q.run(SAVE_REVIEW, [
        ws,
        user,
        questionId,
        ...cardValues(c),
        source,
        log.rating,
        log.state,
        log.due,
        log.stability,
        log.difficulty,
        log.elapsedDays,
        log.lastElapsedDays,
        log.scheduledDays,
        log.learningSteps,
        log.review,
      ]);
    },
    async lastReview(ws, user, questionId) {
      const row = first(
        await q.rows<LogRow>(`SELECT ${LOG_COLUMNS} FROM review_log WHERE workspace_id = $1 AND user_id = $2 AND question_id = $3 ORDER BY id DESC LIMIT 1`, [
          ws,
          user,
          questionId,
        ]),
      );
      return row ? toLogged(row) : undefined;
    },
    async regradeLast(ws, user, questionId, c, rating) {
      await q.run(REGRADE_LAST, [ws, user, questionId, ...cardValues(c), c.lastReview ?? c.due, rating]);
    },
    async dueReminders(now, limit) {
      const rows = await q.rows<ReminderRow>(DUE_REMINDERS + claimLock(q, 'u'), [now, limit]);
      return rows.map(
        (r): ReminderTarget => ({
          workspaceId: r.workspace_id,
          userId: r.user_id,
          nextReminderAt: r.next_reminder_at,
          tzOverride: r.tz_override,
          slackTz: r.slack_tz,
          nudgeTime: r.nudge_time,
          reviewDays: r.review_days,
          dueCards: r.due_cards,
        }),
      );
    },
    // Compare-and-set, correct under READ COMMITTED: a second writer re-checks the WHERE once the first commits.
    async advanceReminder(t, next) {
      return (
        (await q.run('UPDATE users SET next_reminder_at = $1 WHERE workspace_id = $2 AND user_id = $3 AND next_reminder_at IS NOT DISTINCT FROM $4', [
          next,
          t.workspaceId,
          t.userId,
          t.nextReminderAt,
        ])) > 0
      );
    },
    async advanceReminders(moves) {
      if (moves.length === 0) return [];
      const targets = moves.map((m) => m.target);
      const moved = await q.rows<{ i: number }>(ADVANCE_REMINDERS, [
        targets.map((t) => t.workspaceId),
        targets.map((t) => t.userId),
        isoArray(targets.map((t) => t.nextReminderAt)),
        isoArray(moves.map((m) => m.next)),
      ]);
      return movedFlags(moves.length, moved);
    },
    async setNextReminder(ws, user, at) {
      await q.run('UPDATE users SET next_reminder_at = $1 WHERE workspace_id = $2 AND user_id = $3', [at, ws, user]);
    },
    async dueCards(ws, user, now, limit) {
      const rows = await q.rows<DueRow>(DUE_CARDS, [ws, user, now, limit], 'aipath_due_cards');
      return rows.map(toDueCard);
    },
    async dueCount(ws, user, now) {
      const [row] = await q.rows<{ n: number }>('SELECT count(*) AS n FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 AND due_at <= $3', [
        ws,
        user,
        now,
      ]);
      return row!.n;
    },
    async nextDue(ws, user, after) {
      const [row] = await q.rows<{ due_at: Date | null }>(
        'SELECT min(due_at) AS due_at FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 AND due_at > $3',
        [ws, user, after],
      );
      return row?.due_at ?? undefined;
    },
    async cardsOf(ws, user) {
      const rows = await q.rows<CardRow>(`SELECT ${CARD_COLUMNS} FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 ORDER BY question_id COLLATE "C"`, [
        ws,
        user,
      ]);
      return rows.map(toQuestionCard);
    },
    async memoryOf(ws, user) {
      const rows = await q.rows<CardRow & { answered: number; right_answers: number }>(
        `SELECT ${CARD_COLUMNS}, answered, right_answers FROM memory_cards WHERE workspace_id = $1 AND user_id = $2 ORDER BY question_id COLLATE "C"`,
        [ws, user],
      );
      return rows.map((r) => Object.assign(toQuestionCard(r), { answered: r.answered, right: r.right_answers }));
    },
    async answerTallies(ws, user) {
      const rows = await q.rows<{ question_id: string; stability: number | null; last_review_ms: number | null; answered: number; right_answers: number }>(
        ANSWER_TALLIES_SQL,
        [ws, user],
        'aipath_answer_tallies',
      );
      return rows.map((r) => ({
        questionId: r.question_id,
        stability: r.stability,
        lastReviewMs: r.last_review_ms,
        answered: r.answered,
        right: r.right_answers,
      }));
    },
    async newInReviews(ws, user, period) {
      const [row] = await q.rows<{ n: number }>(
        `SELECT count(*) AS n FROM review_log
         WHERE workspace_id = $1 AND user_id = $2 AND reviewed_at >= $3 AND reviewed_at < $4 AND source = 'review' AND state = 'new'`,
        [ws, user, period.from, period.to],
      );
      return row!.n;
    },
    async logOf(ws, user) {
      const rows = await q.rows<LogRow>(
        `SELECT ${LOG_COLUMNS}
         FROM review_log WHERE workspace_id = $1 AND user_id = $2 ORDER BY reviewed_at, id`,
        [ws, user],
      );
      return rows.map(toLogged);
    },
  };
}
