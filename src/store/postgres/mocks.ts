import type { MockAnswer, MockExam, MockExamsRepository } from '../../ports/store.js';
import { first, movedFlags, type Queryable } from './connection.js';
import { claimLock, DUE_SETS } from './due-sets.js';

interface MockRow {
  id: number;
  workspace_id: string;
  user_id: string;
  cert: string;
  question_ids: string;
  started_at: Date;
  ends_at: Date;
  finished_at: Date | null;
  message_channel: string | null;
  message_ts: string | null;
}

interface AnswerRow {
  question_id: string;
  response: string;
  correct: boolean;
  answered_at: Date;
}

const toMock = (r: MockRow): MockExam => ({
  id: r.id,
  workspaceId: r.workspace_id,
  userId: r.user_id,
  cert: r.cert,
  questionIds: JSON.parse(r.question_ids) as string[],
  startedAt: r.started_at,
  endsAt: r.ends_at,
  finishedAt: r.finished_at,
  message: r.message_channel !== null && r.message_ts !== null ? { channel: r.message_channel, ts: r.message_ts } : null,
});

const toAnswer = (r: AnswerRow): MockAnswer => ({
  questionId: r.question_id,
  response: JSON.parse(r.response) as number[],
  correct: r.correct,
  answeredAt: r.answered_at,
});

// Only while the exam is unfinished, and only the first answer to each question. FOR SHARE makes an answer and
// a concurrent `finish` take turns on the exam's row (under READ COMMITTED the answer re-checks finished_at
// after a finish commits), so no answer lands in an exam that was finished before it.
const ANSWER = `INSERT INTO mock_answers (mock_id, question_id, response, correct, answered_at)
  SELECT id, $1::text, $2::text, $3::boolean, $4::timestamptz FROM mock_exams WHERE id = $5 AND finished_at IS NULL FOR SHARE
  ON CONFLICT (mock_id, question_id) DO NOTHING`;

const DUE_TIME_UPS = `SELECT * ${DUE_SETS['mock-time-up']('$1')} ORDER BY ends_at, id LIMIT $2`;

// Compare-and-set for many at once (distinct ids): `m.i` says which of the exams given this call finished.
const FINISH_MANY = `UPDATE mock_exams x SET finished_at = $2
  FROM unnest($1::bigint[]) WITH ORDINALITY AS m(id, i)
  WHERE x.id = m.id AND x.finished_at IS NULL
  RETURNING m.i`;

export function postgresMocks(q: Queryable): MockExamsRepository {
  return {
    async start(ws, user, cert, questionIds, startedAt, endsAt) {
      const [row] = await q.rows<MockRow>(
        'INSERT INTO mock_exams (workspace_id, user_id, cert, question_ids, started_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [ws, user, cert, JSON.stringify(questionIds), startedAt, endsAt],
      );
      return toMock(row!);
    },
    async get(id) {
      const row = first(await q.rows<MockRow>('SELECT * FROM mock_exams WHERE id = $1', [id]));
      return row ? toMock(row) : undefined;
    },
    async unfinished(ws, user, now) {
      const row = first(
        await q.rows<MockRow>(
          `SELECT * FROM mock_exams WHERE workspace_id = $1 AND user_id = $2 AND finished_at IS NULL AND started_at <= $3
           ORDER BY started_at DESC, id DESC LIMIT 1`,
          [ws, user, now],
        ),
      );
      return row ? toMock(row) : undefined;
    },
    // An answer arriving meanwhile either lands first (and the exam stays) or finds it gone (and records nothing).
    async discard(id) {
      return (await q.run('DELETE FROM mock_exams WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM mock_answers WHERE mock_id = $1)', [id])) > 0;
    },
    async answer(mockId, questionId, response, correct, at) {
      return (await q.run(ANSWER, [questionId, JSON.stringify(response), correct, at, mockId])) > 0;
    },
    async answers(mockId) {
      const rows = await q.rows<AnswerRow>(
        'SELECT question_id, response, correct, answered_at FROM mock_answers WHERE mock_id = $1 ORDER BY answered_at, question_id COLLATE "C"',
        [mockId],
      );
      return rows.map(toAnswer);
    },
    // Compare-and-set: of two calls, the second re-checks finished_at after the first commits and changes nothing.
    async finish(id, at) {
      return (await q.run('UPDATE mock_exams SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL', [at, id])) > 0;
    },
    async setMessage(id, channel, ts) {
      await q.run('UPDATE mock_exams SET message_channel = $1, message_ts = $2 WHERE id = $3', [channel, ts, id]);
    },
    async finishMany(ids, at) {
      if (ids.length === 0) return [];
      return movedFlags(ids.length, await q.rows<{ i: number }>(FINISH_MANY, [ids, at]));
    },
    async dueTimeUps(now, limit) {
      return (await q.rows<MockRow>(DUE_TIME_UPS + claimLock(q), [now, limit])).map(toMock);
    },
  };
}
