import type { QuizPost, QuizRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface QuizPostRow {
  id: number;
  workspace_id: string;
  channel_id: string;
  question_id: string;
  delivery_id: number | null;
  message_ts: string | null;
  posted_at: string;
  closed_at: string | null;
}

const toPost = (r: QuizPostRow): QuizPost => ({
  id: r.id,
  workspaceId: r.workspace_id,
  channelId: r.channel_id,
  questionId: r.question_id,
  deliveryId: r.delivery_id,
  messageTs: r.message_ts,
  postedAt: new Date(r.posted_at),
  closedAt: dateOrNull(r.closed_at),
});

type StoredAnswer = { option_index: number; response: string | null; correct: number };
/** A one-option answer keeps only option_index; others keep the whole response as JSON. */
const storedResponse = (a: StoredAnswer): number[] => (a.response ? (JSON.parse(a.response) as number[]) : [a.option_index]);

export function sqliteQuiz(db: Db): Synchronous<QuizRepository> {
  const insertPost = db.prepare('INSERT INTO quiz_posts (workspace_id, channel_id, question_id, delivery_id, posted_at) VALUES (?, ?, ?, ?, ?)');
  const postById = db.prepare<[number], QuizPostRow>('SELECT * FROM quiz_posts WHERE id = ?');
  const postByDelivery = db.prepare<[number], QuizPostRow>('SELECT * FROM quiz_posts WHERE delivery_id = ?');
  const setTs = db.prepare('UPDATE quiz_posts SET message_ts = ? WHERE id = ?');
  const openBefore = db.prepare<[string, string, number], QuizPostRow>(
    'SELECT * FROM quiz_posts WHERE workspace_id = ? AND channel_id = ? AND closed_at IS NULL AND id < ? AND message_ts IS NOT NULL ORDER BY id',
  );
  const close = db.prepare('UPDATE quiz_posts SET closed_at = ? WHERE id = ? AND closed_at IS NULL');
  // Answers are keyed by learner number and instants are milliseconds since 1970, UTC (migration 014); post_key is
  // the post, or 0 for a personal question, so that the primary key keeps a personal question answered once.
  const insertAnswer = db.prepare<
    [{ ws: string; user: string; question: string; post: number | null; option: number; response: string | null; correct: number; at: number }]
  >(
    `INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, response, correct, answered_at)
     VALUES ((SELECT id FROM users WHERE workspace_id = @ws AND user_id = @user), @question, coalesce(@post, 0), @post, @option, @response, @correct, @at)
     ON CONFLICT DO NOTHING`,
  );
  // An answer to a question the learner has no card for is counted for readiness (pre_card_answers, migration 018).
  const countPreCard = db.prepare<[{ ws: string; user: string; question: string; correct: number }]>(
    `INSERT INTO pre_card_answers (learner, question_id, answered, right_answers)
     SELECT u.id, @question, 1, @correct FROM users u
     WHERE u.workspace_id = @ws AND u.user_id = @user
       AND NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = @ws AND c.user_id = @user AND c.question_id = @question)
     ON CONFLICT (learner, question_id) DO UPDATE SET
       answered = pre_card_answers.answered + 1, right_answers = pre_card_answers.right_answers + excluded.right_answers`,
  );
  const joinTeam = db.prepare('INSERT INTO quiz_team (workspace_id, channel_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const postAnswer = db.prepare<[number, string, string], StoredAnswer>(
    `SELECT option_index, response, correct FROM quiz_answers
     WHERE quiz_post_id = ? AND learner = (SELECT id FROM users WHERE workspace_id = ? AND user_id = ?)`,
  );
  const personalAnswer = db.prepare<[string, string, string], StoredAnswer>(
    `SELECT option_index, response, correct FROM quiz_answers
     WHERE learner = (SELECT id FROM users WHERE workspace_id = ? AND user_id = ?) AND question_id = ? AND post_key = 0`,
  );
  const answersOf = db.prepare<[string, string], StoredAnswer & { question_id: string; quiz_post_id: number | null; answered_at: number }>(
    `SELECT a.question_id, a.quiz_post_id, a.option_index, a.response, a.correct, a.answered_at FROM users u JOIN quiz_answers a ON a.learner = u.id
     WHERE u.workspace_id = ? AND u.user_id = ? ORDER BY a.answered_at, a.question_id, a.post_key`,
  );
  const tally = db.prepare<[number], { answered: number; correct: number }>(
    'SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM quiz_answers WHERE quiz_post_id = ?',
  );
  const answeredQuestions = db.prepare<[string, string], { question_id: string }>(
    'SELECT DISTINCT a.question_id FROM users u JOIN quiz_answers a ON a.learner = u.id WHERE u.workspace_id = ? AND u.user_id = ?',
  );
  const teamAnswers = db.prepare<[string, string, number], { question_id: string; answered: number; correct: number }>(
    `SELECT q.question_id, COUNT(*) AS answered, SUM(a.correct) AS correct FROM quiz_posts q JOIN quiz_answers a ON a.quiz_post_id = q.id
     WHERE q.workspace_id = ? AND q.channel_id = ? AND a.answered_at >= ? GROUP BY q.question_id`,
  );
  const postCounts = db.prepare<[string, string], { question_id: string; n: number }>(
    'SELECT question_id, COUNT(*) AS n FROM quiz_posts WHERE workspace_id = ? AND channel_id = ? GROUP BY question_id',
  );

  // The answer, its count for readiness and the team: all or nothing.
  const recordAnswer = db.transaction(
    (ws: string, user: string, question: string, post: QuizPost | null, response: readonly number[], correct: boolean, now: Date): boolean => {
      const postId = post?.id ?? null;
      const inserted =
        insertAnswer.run({
          ws,
          user,
          question,
          post: postId,
          option: response[0] ?? 0,
          response: response.length === 1 ? null : JSON.stringify(response),
          correct: correct ? 1 : 0,
          at: now.getTime(),
        }).changes > 0;
      if (inserted) countPreCard.run({ ws, user, question, correct: correct ? 1 : 0 });
      if (post) joinTeam.run(ws, post.channelId, user);
      return inserted;
    },
  );

  return {
    createPost(ws, channel, questionId, deliveryId, now) {
      const existing = postByDelivery.get(deliveryId);
      if (existing) return toPost(existing);
      const id = Number(insertPost.run(ws, channel, questionId, deliveryId, iso(now)).lastInsertRowid);
      return toPost(postById.get(id)!);
    },
    post(id) {
      const row = postById.get(id);
      return row ? toPost(row) : undefined;
    },
    postForDelivery(deliveryId) {
      const row = postByDelivery.get(deliveryId);
      return row ? toPost(row) : undefined;
    },
    setMessageTs: (id, ts) => void setTs.run(ts, id),
    openBefore: (ws, channel, postId) => openBefore.all(ws, channel, postId).map(toPost),
    close: (id, now) => close.run(iso(now), id).changes > 0,
    answer(ws, user, questionId, post, response, correct, now) {
      const postId = post?.id ?? null;
      const inserted = recordAnswer.immediate(ws, user, questionId, post, response, correct, now);
      if (inserted) return { first: true, correct, response: [...response] };
      const earlier = postId === null ? personalAnswer.get(ws, user, questionId) : postAnswer.get(postId, ws, user);
      return { first: false, correct: earlier?.correct === 1, response: earlier ? storedResponse(earlier) : [...response] };
    },
    tally: (postId) => tally.get(postId)!,
    answersOf: (ws, user) =>
      answersOf.all(ws, user).map((a) => ({
        questionId: a.question_id,
        postId: a.quiz_post_id,
        response: storedResponse(a),
        correct: a.correct === 1,
        answeredAt: new Date(a.answered_at),
      })),
    answeredQuestions: (ws, user) => new Set(answeredQuestions.all(ws, user).map((r) => r.question_id)),
    postCounts: (ws, channel) => new Map(postCounts.all(ws, channel).map((r) => [r.question_id, r.n])),
    teamAnswers: (ws, channel, since) =>
      new Map(teamAnswers.all(ws, channel, since.getTime()).map((r) => [r.question_id, { answered: r.answered, correct: r.correct }])),
  };
}
