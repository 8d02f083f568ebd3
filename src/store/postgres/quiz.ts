import type { QuizPost, QuizRepository } from '../../ports/store.js';
import { first, type Queryable } from './connection.js';

interface QuizPostRow {
  id: number;
  workspace_id: string;
  channel_id: string;
  question_id: string;
  delivery_id: number | null;
  message_ts: string | null;
  posted_at: Date;
  closed_at: Date | null;
}

const toPost = (r: QuizPostRow): QuizPost => ({
  id: r.id,
  workspaceId: r.workspace_id,
  channelId: r.channel_id,
  questionId: r.question_id,
  deliveryId: r.delivery_id,
  messageTs: r.message_ts,
  postedAt: r.posted_at,
  closedAt: r.closed_at,
});

type StoredAnswer = { option_index: number; response: string | null; correct: boolean };
/** A one-option answer keeps only option_index; others keep the whole response as JSON (as in SQLite). */
const storedResponse = (a: StoredAnswer): number[] => (a.response ? (JSON.parse(a.response) as number[]) : [a.option_index]);

// The answer, unless the learner answered this post (or this personal question) before: the primary key (learner,
// question, post or 0) and the unique index on (post, learner) decide, and a second click waits for the first's transaction before it does nothing. A channel
// post's answerer joins the channel's team either way. An answer recorded to a question the learner has no card for
// is counted for readiness (pre_card_answers, migration 013). One statement: all or nothing.
const ANSWER = `WITH ins AS (
    INSERT INTO quiz_answers (learner, question_id, post_key, quiz_post_id, option_index, response, correct, answered_at)
    VALUES ((SELECT id FROM users WHERE workspace_id = $1 AND user_id = $2), $3, coalesce($4::bigint, 0), $4, $5, $6, $7, $8)
    ON CONFLICT DO NOTHING RETURNING learner
  ), pre_card AS (
    INSERT INTO pre_card_answers (learner, question_id, answered, right_answers)
    SELECT ins.learner, $3, 1, CASE WHEN $7::boolean THEN 1 ELSE 0 END FROM ins
    WHERE NOT EXISTS (SELECT 1 FROM memory_cards c WHERE c.workspace_id = $1 AND c.user_id = $2 AND c.question_id = $3)
    ON CONFLICT (learner, question_id) DO UPDATE SET
      answered = pre_card_answers.answered + 1, right_answers = pre_card_answers.right_answers + excluded.right_answers
  ), team AS (
    INSERT INTO quiz_team (workspace_id, channel_id, user_id) SELECT $1::text, $9::text, $2::text WHERE $9::text IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING 1
  )
  SELECT count(*) AS n FROM ins`;

export function postgresQuiz(q: Queryable): QuizRepository {
  const post = async (id: number) => {
    const row = first(await q.rows<QuizPostRow>('SELECT * FROM quiz_posts WHERE id = $1', [id]));
    return row ? toPost(row) : undefined;
  };
  const postForDelivery = async (deliveryId: number) => {
    const row = first(await q.rows<QuizPostRow>('SELECT * FROM quiz_posts WHERE delivery_id = $1 ORDER BY id LIMIT 1', [deliveryId]));
    return row ? toPost(row) : undefined;
  };

  return {
    async createPost(ws, channel, questionId, deliveryId, now) {
      const existing = await postForDelivery(deliveryId);
      if (existing) return existing;
      const [row] = await q.rows<QuizPostRow>(
        'INSERT INTO quiz_posts (workspace_id, channel_id, question_id, delivery_id, posted_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [ws, channel, questionId, deliveryId, now],
      );
      return toPost(row!);
    },
    post,
    postForDelivery,
    async setMessageTs(id, ts) {
      await q.run('UPDATE quiz_posts SET message_ts = $1 WHERE id = $2', [ts, id]);
    },
    async openBefore(ws, channel, postId) {
      const rows = await q.rows<QuizPostRow>(
        'SELECT * FROM quiz_posts WHERE workspace_id = $1 AND channel_id = $2 AND closed_at IS NULL AND id < $3 AND message_ts IS NOT NULL ORDER BY id',
        [ws, channel, postId],
      );
      return rows.map(toPost);
    },
    async close(id, now) {
      return (await q.run('UPDATE quiz_posts SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL', [now, id])) > 0;
    },
    async answer(ws, user, questionId, p, response, correct, now) {
      const postId = p?.id ?? null;
      const whole = response.length === 1 ? null : JSON.stringify(response);
      const [row] = await q.rows<{ n: number }>(ANSWER, [ws, user, questionId, postId, response[0] ?? 0, whole, correct, now, p?.channelId ?? null]);
      if ((row?.n ?? 0) > 0) return { first: true, correct, response: [...response] };
      const earlier = first(
        postId === null
          ? await q.rows<StoredAnswer>(
              `SELECT option_index, response, correct FROM quiz_answers
               WHERE learner = (SELECT id FROM users WHERE workspace_id = $1 AND user_id = $2) AND question_id = $3 AND post_key = 0`,
              [ws, user, questionId],
            )
          : await q.rows<StoredAnswer>(
              'SELECT option_index, response, correct FROM quiz_answers WHERE quiz_post_id = $1 AND learner = (SELECT id FROM users WHERE workspace_id = $2 AND user_id = $3)',
              [postId, ws, user],
            ),
      );
      return { first: false, correct: earlier?.correct === true, response: earlier ? storedResponse(earlier) : [...response] };
    },
    async tally(postId) {
      const [row] = await q.rows<{ answered: number; correct: number }>(
        'SELECT count(*) AS answered, count(*) FILTER (WHERE correct) AS correct FROM quiz_answers WHERE quiz_post_id = $1',
        [postId],
      );
      return { answered: row!.answered, correct: row!.correct };
    },
    async answersOf(ws, user) {
      const rows = await q.rows<StoredAnswer & { question_id: string; quiz_post_id: number | null; answered_at: Date }>(
        `SELECT a.question_id, a.quiz_post_id, a.option_index, a.response, a.correct, a.answered_at FROM users u JOIN quiz_answers a ON a.learner = u.id
         WHERE u.workspace_id = $1 AND u.user_id = $2 ORDER BY a.answered_at, a.question_id COLLATE "C", a.post_key`,
        [ws, user],
      );
      return rows.map((a) => ({
        questionId: a.question_id,
        postId: a.quiz_post_id,
        response: storedResponse(a),
        correct: a.correct,
        answeredAt: a.answered_at,
      }));
    },
    async answeredQuestions(ws, user) {
      const rows = await q.rows<{ question_id: string }>(
        'SELECT DISTINCT a.question_id FROM users u JOIN quiz_answers a ON a.learner = u.id WHERE u.workspace_id = $1 AND u.user_id = $2',
        [ws, user],
      );
      return new Set(rows.map((r) => r.question_id));
    },
    async postCounts(ws, channel) {
      const rows = await q.rows<{ question_id: string; n: number }>(
        'SELECT question_id, count(*) AS n FROM quiz_posts WHERE workspace_id = $1 AND channel_id = $2 GROUP BY question_id',
        [ws, channel],
      );
      return new Map(rows.map((r) => [r.question_id, r.n]));
    },
    async teamAnswers(ws, channel, since) {
      const rows = await q.rows<{ question_id: string; answered: number; correct: number }>(
        `SELECT q.question_id, count(*) AS answered, count(*) FILTER (WHERE a.correct) AS correct
         FROM quiz_posts q JOIN quiz_answers a ON a.quiz_post_id = q.id
         WHERE q.workspace_id = $1 AND q.channel_id = $2 AND a.answered_at >= $3 GROUP BY q.question_id`,
        [ws, channel, since],
      );
      return new Map(rows.map((r) => [r.question_id, { answered: r.answered, correct: r.correct }]));
    },
  };
}
