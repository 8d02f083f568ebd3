import type { MemoryCard, MemoryState, ReviewGrade, ReviewLogEntry } from '../../domain/review/memory.js';
import type { DueCard, LoggedReview, QuestionCard, ReviewDays, ReviewSource, ReviewsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { DUE_SETS } from './due-sets.js';
import { dateOrNull, iso, isoOrNull, type Synchronous } from './sync.js';

interface CardRow {
  question_id: string;
  due_at: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: MemoryState;
  last_review_at: string | null;
}

interface LogRow {
  question_id: string;
  source: ReviewSource;
  rating: ReviewGrade;
  state: MemoryState;
  due_at: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reviewed_at: string;
}

const CARD_COLUMNS = 'question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review_at';

const toCard = (r: CardRow): MemoryCard => ({
  due: new Date(r.due_at),
  stability: r.stability,
  difficulty: r.difficulty,
  elapsedDays: r.elapsed_days,
  scheduledDays: r.scheduled_days,
  learningSteps: r.learning_steps,
  reps: r.reps,
  lapses: r.lapses,
  state: r.state,
  lastReview: dateOrNull(r.last_review_at),
});

const toQuestionCard = (r: CardRow): QuestionCard => ({ questionId: r.question_id, card: toCard(r) });

/** A learner's due cards, each row what a DueCard holds, in DueTuple's order. */
export const DUE_CARDS_SQL = `SELECT question_id, due_at, state, stability, last_review_at, reps
  FROM memory_cards WHERE workspace_id = ? AND user_id = ? AND due_at <= ? ORDER BY due_at, question_id LIMIT ?`;
type DueTuple = [string, string, MemoryState, number, string | null, number];

const tupleToDueCard = ([questionId, due, state, stability, last, reps]: DueTuple): DueCard => ({
  questionId,
  card: { due: new Date(due), state, stability, lastReview: dateOrNull(last), reps },
});

const toLogged = (r: LogRow): LoggedReview => ({
  questionId: r.question_id,
  source: r.source,
  log: {
    rating: r.rating,
    state: r.state,
    due: new Date(r.due_at),
    stability: r.stability,
    difficulty: r.difficulty,
    elapsedDays: r.elapsed_days,
    lastElapsedDays: r.last_elapsed_days,
    scheduledDays: r.scheduled_days,
    learningSteps: r.learning_steps,
    review: new Date(r.reviewed_at),
  },
});

/** The statement of answerTallies (exported for the benchmark's query plan): parameters workspace, user, workspace, user. */
export const ANSWER_TALLIES_SQL = `SELECT question_id, CASE WHEN state = 'new' THEN NULL ELSE stability END,
    CASE WHEN state = 'new' THEN NULL ELSE CAST(round(unixepoch(last_review_at, 'subsec') * 1000) AS INTEGER) END, answered, right_answers
  FROM memory_cards WHERE workspace_id = ? AND user_id = ?
  UNION ALL
  SELECT p.question_id, NULL, NULL, p.answered, p.right_answers FROM users u JOIN pre_card_answers p ON p.learner = u.id
  WHERE u.workspace_id = ? AND u.user_id = ?
    AND NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.question_id = p.question_id)`;

export function sqliteReviews(db: Db): Synchronous<ReviewsRepository> {
  const card = db.prepare<[string, string, string], CardRow>(
    `SELECT ${CARD_COLUMNS} FROM memory_cards WHERE workspace_id = ? AND user_id = ? AND question_id = ?`,
  );
  const upsertCard = db.prepare(
    // `answered` and `right` add this review to the card's counts (0 for a regrade, which changes no answer).
    `INSERT INTO memory_cards (workspace_id, user_id, question_id, due_at, stability, difficulty, elapsed_days, scheduled_days, learning_steps,
       reps, lapses, state, last_review_at, updated_at, answered, right_answers)
     VALUES (@ws, @user, @question, @due, @stability, @difficulty, @elapsedDays, @scheduledDays, @learningSteps, @reps, @lapses, @state, @lastReview, @at,
       @answered, @right)
     ON CONFLICT (workspace_id, user_id, question_id) DO UPDATE SET
       due_at = excluded.due_at, stability = excluded.stability, difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days,
       scheduled_days = excluded.scheduled_days, learning_steps = excluded.learning_steps, reps = excluded.reps, lapses = excluded.lapses,
       state = excluded.state, last_review_at = excluded.last_review_at, updated_at = excluded.updated_at,
       answered = memory_cards.answered + excluded.answered, right_answers = memory_cards.right_answers + excluded.right_answers`,
  );
  const memoryOf = db.prepare<[string, string], CardRow & { answered: number; right_answers: number }>(
    `SELECT ${CARD_COLUMNS}, answered, right_answers FROM memory_cards WHERE workspace_id = ? AND user_id = ? ORDER BY question_id`,
  );
  // One row a question: each card (its stability only while it is not new), then each question answered before it
  // had a card, its quiz answers counted as they were recorded (pre_card_answers, migration 018): a row a question
  // rather than every answer. Arrays, not objects: thousands of rows a call. The last review comes as epoch milliseconds,
  // computed by SQLite from the stored ISO text (exact to the millisecond): a number, not a string to copy into
  // JavaScript and parse there, row after row.
  const answerTallies = db.prepare<[string, string, string, string], [string, number | null, number | null, number, number]>(ANSWER_TALLIES_SQL).raw(true);
  // A question's card exists from now on: its answers before the card no longer count (answerTallies), so the row goes.
  const forgetPreCard = db.prepare(
    'DELETE FROM pre_card_answers WHERE learner = (SELECT id FROM users WHERE workspace_id = ? AND user_id = ?) AND question_id = ?',
  );
  const appendLog = db.prepare(
    `INSERT INTO review_log (workspace_id, user_id, question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days,
       scheduled_days, learning_steps, reviewed_at)
     VALUES (@ws, @user, @question, @source, @rating, @state, @due, @stability, @difficulty, @elapsedDays, @lastElapsedDays, @scheduledDays,
       @learningSteps, @review)`,
  );
  const lastReview = db.prepare<[string, string, string], LogRow>(
    `SELECT question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, reviewed_at
     FROM review_log WHERE workspace_id = ? AND user_id = ? AND question_id = ? ORDER BY id DESC LIMIT 1`,
  );
  const rerate = db.prepare(
    `UPDATE review_log SET rating = ? WHERE id = (
       SELECT MAX(id) FROM review_log WHERE workspace_id = ? AND user_id = ? AND question_id = ?)`,
  );
  // Arrays, not objects: better-sqlite3 builds an object row key by key, which for the hundreds of due cards of a
  // learner behind costs more than reading them.
  const dueCards = db.prepare<[string, string, string, number], DueTuple>(DUE_CARDS_SQL).raw(true);
  const dueCount = db.prepare<[string, string, string], { n: number }>(
    'SELECT COUNT(*) AS n FROM memory_cards WHERE workspace_id = ? AND user_id = ? AND due_at <= ?',
  );
  const nextDue = db.prepare<[string, string, string], { due_at: string }>(
    'SELECT due_at FROM memory_cards WHERE workspace_id = ? AND user_id = ? AND due_at > ? ORDER BY due_at LIMIT 1',
  );
  const cardsOf = db.prepare<[string, string], CardRow>(`SELECT ${CARD_COLUMNS} FROM memory_cards WHERE workspace_id = ? AND user_id = ? ORDER BY question_id`);
  const newInReviews = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT COUNT(*) AS n FROM review_log
     WHERE workspace_id = ? AND user_id = ? AND reviewed_at >= ? AND reviewed_at < ? AND source = 'review' AND state = 'new'`,
  );
  const logOf = db.prepare<[string, string], LogRow>(
    `SELECT question_id, source, rating, state, due_at, stability, difficulty, elapsed_days, last_elapsed_days, scheduled_days, learning_steps, reviewed_at
     FROM review_log WHERE workspace_id = ? AND user_id = ? ORDER BY reviewed_at, id`,
  );

  const writeCard = (ws: string, user: string, question: string, c: MemoryCard, at: Date, counted?: ReviewGrade) =>
    upsertCard.run({
      ws,
      user,
      question,
      due: iso(c.due),
      stability: c.stability,
      difficulty: c.difficulty,
      elapsedDays: c.elapsedDays,
      scheduledDays: c.scheduledDays,
      learningSteps: c.learningSteps,
      reps: c.reps,
      lapses: c.lapses,
      state: c.state,
      lastReview: isoOrNull(c.lastReview),
      at: iso(at),
      answered: counted ? 1 : 0,
      right: counted && counted !== 'again' ? 1 : 0,
    });
  const saveReview = db.transaction((ws: string, user: string, question: string, c: MemoryCard, log: ReviewLogEntry, source: ReviewSource) => {
    writeCard(ws, user, question, c, log.review, log.rating);
    forgetPreCard.run(ws, user, question);
    appendLog.run({
      ws,
      user,
      question,
      source,
      rating: log.rating,
      state: log.state,
      due: iso(log.due),
      stability: log.stability,
      difficulty: log.difficulty,
      elapsedDays: log.elapsedDays,
      lastElapsedDays: log.lastElapsedDays,
      scheduledDays: log.scheduledDays,
      learningSteps: log.learningSteps,
      review: iso(log.review),
    });
  });

  const dueReminders = db.prepare<
    [{ now: string; limit: number }],
    {
      workspace_id: string;
      user_id: string;
      next_reminder_at: string;
      tz_override: string | null;
      slack_tz: string | null;
      nudge_time: string;
      review_days: ReviewDays;
      due_cards: number;
    }
  >(
    `SELECT u.workspace_id, u.user_id, u.next_reminder_at, u.tz_override, u.slack_tz, u.nudge_time, u.review_days,
       (SELECT COUNT(*) FROM memory_cards c WHERE c.workspace_id = u.workspace_id AND c.user_id = u.user_id AND c.due_at <= u.next_reminder_at) AS due_cards
     ${DUE_SETS['learner-daily']('@now')}
     ORDER BY u.next_reminder_at LIMIT @limit`,
  );
  const advanceReminder = db.prepare('UPDATE users SET next_reminder_at = ? WHERE workspace_id = ? AND user_id = ? AND next_reminder_at IS ?');
  const setNextReminder = db.prepare('UPDATE users SET next_reminder_at = ? WHERE workspace_id = ? AND user_id = ?');

  const regradeLast = db.transaction((ws: string, user: string, question: string, c: MemoryCard, rating: ReviewGrade) => {
    if (rerate.run(rating, ws, user, question).changes === 0) return;
    writeCard(ws, user, question, c, c.lastReview ?? c.due);
  });

  return {
    card(ws, user, questionId) {
      const row = card.get(ws, user, questionId);
      return row ? toCard(row) : undefined;
    },
    saveReview: (ws, user, questionId, c, log, source) => saveReview.immediate(ws, user, questionId, c, log, source),
    memoryOf: (ws, user) => memoryOf.all(ws, user).map((r) => Object.assign(toQuestionCard(r), { answered: r.answered, right: r.right_answers })),
    answerTallies: (ws, user) =>
      answerTallies
        .all(ws, user, ws, user)
        .map(([questionId, stability, lastReviewMs, answered, right]) => ({ questionId, stability, lastReviewMs, answered, right })),
    lastReview(ws, user, questionId) {
      const row = lastReview.get(ws, user, questionId);
      return row ? toLogged(row) : undefined;
    },
    regradeLast: (ws, user, questionId, c, rating) => regradeLast.immediate(ws, user, questionId, c, rating),
    dueReminders: (now, limit) =>
      dueReminders.all({ now: iso(now), limit }).map((r) => ({
        workspaceId: r.workspace_id,
        userId: r.user_id,
        nextReminderAt: new Date(r.next_reminder_at),
        tzOverride: r.tz_override,
        slackTz: r.slack_tz,
        nudgeTime: r.nudge_time,
        reviewDays: r.review_days,
        dueCards: r.due_cards,
      })),
    advanceReminder: (t, next) => advanceReminder.run(isoOrNull(next), t.workspaceId, t.userId, iso(t.nextReminderAt)).changes > 0,
    advanceReminders: (moves) =>
      moves.map(({ target: t, next }) => advanceReminder.run(isoOrNull(next), t.workspaceId, t.userId, iso(t.nextReminderAt)).changes > 0),
    setNextReminder: (ws, user, at) => void setNextReminder.run(isoOrNull(at), ws, user),
    dueCards: (ws, user, now, limit) => dueCards.all(ws, user, iso(now), limit).map(tupleToDueCard),
    dueCount: (ws, user, now) => dueCount.get(ws, user, iso(now))!.n,
    nextDue(ws, user, after) {
      const row = nextDue.get(ws, user, iso(after));
      return row ? new Date(row.due_at) : undefined;
    },
    cardsOf: (ws, user) => cardsOf.all(ws, user).map(toQuestionCard),
    newInReviews: (ws, user, period) => newInReviews.get(ws, user, iso(period.from), iso(period.to))!.n,
    logOf: (ws, user) => logOf.all(ws, user).map(toLogged),
  };
}
