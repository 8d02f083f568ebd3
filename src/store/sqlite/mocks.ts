import type { MockAnswer, MockExam, MockExamsRepository } from '../../ports/store.js';
import type { Db } from './connection.js';
import { DUE_SETS } from './due-sets.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface MockRow {
  id: number;
  workspace_id: string;
  user_id: string;
  cert: string;
  question_ids: string;
  started_at: string;
  ends_at: string;
  finished_at: string | null;
  message_channel: string | null;
  message_ts: string | null;
}

interface AnswerRow {
  question_id: string;
  response: string;
  correct: number;
  answered_at: string;
}

const toMock = (r: MockRow): MockExam => ({
  id: r.id,
  workspaceId: r.workspace_id,
  userId: r.user_id,
  cert: r.cert,
  questionIds: JSON.parse(r.question_ids) as string[],
  startedAt: new Date(r.started_at),
  endsAt: new Date(r.ends_at),
  finishedAt: dateOrNull(r.finished_at),
  message: r.message_channel !== null && r.message_ts !== null ? { channel: r.message_channel, ts: r.message_ts } : null,
});

const toAnswer = (r: AnswerRow): MockAnswer => ({
  questionId: r.question_id,
  response: JSON.parse(r.response) as number[],
  correct: r.correct === 1,
  answeredAt: new Date(r.answered_at),
});

export function sqliteMocks(db: Db): Synchronous<MockExamsRepository> {
  const insert = db.prepare('INSERT INTO mock_exams (workspace_id, user_id, cert, question_ids, started_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)');
  const get = db.prepare<[number], MockRow>('SELECT * FROM mock_exams WHERE id = ?');
  const unfinished = db.prepare<[string, string, string], MockRow>(
    `SELECT * FROM mock_exams WHERE workspace_id = ? AND user_id = ? AND finished_at IS NULL AND started_at <= ?
     ORDER BY started_at DESC, id DESC LIMIT 1`,
  );
  const discard = db.prepare('DELETE FROM mock_exams WHERE id = ? AND NOT EXISTS (SELECT 1 FROM mock_answers WHERE mock_id = ?)');
  // Only while the exam is unfinished, and only the first answer to each question.
  const answer = db.prepare(
    `INSERT INTO mock_answers (mock_id, question_id, response, correct, answered_at)
     SELECT id, ?, ?, ?, ? FROM mock_exams WHERE id = ? AND finished_at IS NULL
     ON CONFLICT (mock_id, question_id) DO NOTHING`,
  );
  const answers = db.prepare<[number], AnswerRow>(
    'SELECT question_id, response, correct, answered_at FROM mock_answers WHERE mock_id = ? ORDER BY answered_at, question_id',
  );
  const setMessage = db.prepare('UPDATE mock_exams SET message_channel = ?, message_ts = ? WHERE id = ?');
  const finish = db.prepare('UPDATE mock_exams SET finished_at = ? WHERE id = ? AND finished_at IS NULL');
  // SQLite runs one writer at a time: a claim's transaction needs no row locks to keep other passes off these.
  const dueTimeUps = db.prepare<{ now: string; limit: number }, MockRow>(`SELECT * ${DUE_SETS['mock-time-up']('@now')} ORDER BY ends_at, id LIMIT @limit`);

  return {
    start(ws, user, cert, questionIds, startedAt, endsAt) {
      const id = Number(insert.run(ws, user, cert, JSON.stringify(questionIds), iso(startedAt), iso(endsAt)).lastInsertRowid);
      return toMock(get.get(id)!);
    },
    get(id) {
      const row = get.get(id);
      return row ? toMock(row) : undefined;
    },
    unfinished(ws, user, now) {
      const row = unfinished.get(ws, user, iso(now));
      return row ? toMock(row) : undefined;
    },
    discard: (id) => discard.run(id, id).changes > 0,
    answer: (mockId, questionId, response, correct, at) => answer.run(questionId, JSON.stringify(response), correct ? 1 : 0, iso(at), mockId).changes > 0,
    answers: (mockId) => answers.all(mockId).map(toAnswer),
    finish: (id, at) => finish.run(iso(at), id).changes > 0,
    setMessage: (id, channel, ts) => void setMessage.run(channel, ts, id),
    finishMany: (ids, at) => ids.map((id) => finish.run(iso(at), id).changes > 0),
    dueTimeUps: (now, limit) => dueTimeUps.all({ now: iso(now), limit }).map(toMock),
  };
}
