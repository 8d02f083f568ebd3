import type { Db } from './db.js';

export interface QuizPostRow {
  id: number;
  workspace_id: string;
  channel_id: string;
  question_id: string;
  delivery_id: number | null;
  message_ts: string | null;
  posted_at: string;
  closed_at: string | null;
}

export interface AnswerResult {
  /** True when this click was the learner's first (and only scored) answer. */
  first: boolean;
  correct: boolean;
  /** The answer that counts: this one if first, else the learner's earlier one. */
  response: number[];
}

export type QuizStore = ReturnType<typeof createQuizStore>;

export function createQuizStore(db: Db) {
  const insertPost = db.prepare('INSERT INTO quiz_posts (workspace_id, channel_id, question_id, delivery_id, posted_at) VALUES (?, ?, ?, ?, ?)');
  const postById = db.prepare<[number], QuizPostRow>('SELECT * FROM quiz_posts WHERE id = ?');
  const postByDelivery = db.prepare<[number], QuizPostRow>('SELECT * FROM quiz_posts WHERE delivery_id = ?');
  const setTs = db.prepare('UPDATE quiz_posts SET message_ts = ? WHERE id = ?');
  const openBefore = db.prepare<[string, string, number], QuizPostRow>(
    'SELECT * FROM quiz_posts WHERE workspace_id = ? AND channel_id = ? AND closed_at IS NULL AND id < ? AND message_ts IS NOT NULL ORDER BY id',
  );
  const close = db.prepare('UPDATE quiz_posts SET closed_at = ? WHERE id = ? AND closed_at IS NULL');
  const insertAnswer = db.prepare(
    `INSERT INTO quiz_answers (workspace_id, user_id, question_id, quiz_post_id, option_index, response, correct, answered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const joinTeam = db.prepare('INSERT INTO quiz_team (workspace_id, channel_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  type StoredAnswer = { option_index: number; response: string | null; correct: number };
  const postAnswer = db.prepare<[number, string], StoredAnswer>(
    'SELECT option_index, response, correct FROM quiz_answers WHERE quiz_post_id = ? AND user_id = ?',
  );
  const personalAnswer = db.prepare<[string, string, string], StoredAnswer>(
    'SELECT option_index, response, correct FROM quiz_answers WHERE workspace_id = ? AND user_id = ? AND question_id = ? AND quiz_post_id IS NULL',
  );
  const storedResponse = (a: StoredAnswer): number[] => (a.response ? (JSON.parse(a.response) as number[]) : [a.option_index]);
  const tally = db.prepare<[number], { answered: number; correct: number }>(
    'SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM quiz_answers WHERE quiz_post_id = ?',
  );
  const answeredQuestions = db.prepare<[string, string], { question_id: string }>(
    'SELECT DISTINCT question_id FROM quiz_answers WHERE workspace_id = ? AND user_id = ?',
  );
  const postCounts = db.prepare<[string, string], { question_id: string; n: number }>(
    'SELECT question_id, COUNT(*) AS n FROM quiz_posts WHERE workspace_id = ? AND channel_id = ? GROUP BY question_id',
  );

  const answer = (
    ws: string,
    user: string,
    questionId: string,
    post: QuizPostRow | null,
    response: readonly number[],
    correct: boolean,
    now: Date,
  ): AnswerResult => {
    const postId = post?.id ?? null;
    const whole = response.length === 1 ? null : JSON.stringify(response);
    const inserted = insertAnswer.run(ws, user, questionId, postId, response[0] ?? 0, whole, correct ? 1 : 0, now.toISOString()).changes > 0;
    if (post) joinTeam.run(ws, post.channel_id, user);
    if (inserted) return { first: true, correct, response: [...response] };
    const earlier = postId === null ? personalAnswer.get(ws, user, questionId) : postAnswer.get(postId, user);
    return { first: false, correct: earlier?.correct === 1, response: earlier ? storedResponse(earlier) : [...response] };
  };

  return {
    createPost(ws: string, channel: string, questionId: string, deliveryId: number, now: Date): QuizPostRow {
      return postByDelivery.get(deliveryId) ?? postById.get(Number(insertPost.run(ws, channel, questionId, deliveryId, now.toISOString()).lastInsertRowid))!;
    },
    post: (id: number): QuizPostRow | undefined => postById.get(id),
    postForDelivery: (deliveryId: number): QuizPostRow | undefined => postByDelivery.get(deliveryId),
    setMessageTs: (id: number, ts: string) => void setTs.run(ts, id),
    /** Posts in the channel still open from before `postId`: the ones the new post closes. */
    openBefore: (ws: string, channel: string, postId: number): QuizPostRow[] => openBefore.all(ws, channel, postId),
    close: (id: number, now: Date): boolean => close.run(now.toISOString(), id).changes > 0,
    answer,
    tally: (postId: number) => tally.get(postId)!,
    answeredQuestions: (ws: string, user: string): Set<string> => new Set(answeredQuestions.all(ws, user).map((r) => r.question_id)),
    postCounts: (ws: string, channel: string): Map<string, number> => new Map(postCounts.all(ws, channel).map((r) => [r.question_id, r.n])),
  };
}
