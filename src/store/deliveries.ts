import type { Db } from './db.js';

export type DeliveryKind = 'daily_tip' | 'daily_quiz' | 'weekly_nudge' | 'weekly_leaderboard';
export type DeliveryStatus = 'claimed' | 'sent' | 'missed' | 'failed';

export interface DeliveryRow {
  id: number;
  workspace_id: string;
  kind: DeliveryKind;
  target: string;
  period: string;
  due_at: string;
  status: DeliveryStatus;
  claimed_by: string | null;
  claimed_at: string | null;
  attempts: number;
  late: number;
  content_id: string | null;
  channel: string | null;
  message_ts: string | null;
  error: string | null;
  updated_at: string;
}

export interface DeliveryKey {
  ws: string;
  kind: DeliveryKind;
  target: string;
  period: string;
}

export type DeliveriesStore = ReturnType<typeof createDeliveriesStore>;

export function createDeliveriesStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, late, updated_at)
     VALUES (@ws, @kind, @target, @period, @dueAt, @status, @worker, @now, @late, @now)
     ON CONFLICT (workspace_id, kind, target, period) DO NOTHING`,
  );
  const byId = db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  const markSent = db.prepare("UPDATE deliveries SET status = 'sent', channel = ?, message_ts = ?, content_id = ?, error = NULL, updated_at = ? WHERE id = ? AND status = 'claimed'");
  const markLate = db.prepare('UPDATE deliveries SET late = 1 WHERE id = ? AND late = 0');
  const markFailed = db.prepare("UPDATE deliveries SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND status = 'claimed'");
  const setChannel = db.prepare('UPDATE deliveries SET channel = ?, updated_at = ? WHERE id = ?');
  const noteAttempt = db.prepare('UPDATE deliveries SET attempts = attempts + 1, content_id = ?, error = ?, updated_at = ? WHERE id = ?');
  const stale = db.prepare<[string, number], DeliveryRow>("SELECT * FROM deliveries WHERE status = 'claimed' AND claimed_at < ? ORDER BY id LIMIT ?");
  const reclaim = db.prepare("UPDATE deliveries SET claimed_by = ?, claimed_at = ?, updated_at = ? WHERE id = ? AND status = 'claimed' AND claimed_at = ?");
  const contentCounts = db.prepare<[string, string, string], { content_id: string; n: number }>(
    "SELECT content_id, COUNT(*) AS n FROM deliveries WHERE workspace_id = ? AND target = ? AND kind = ? AND status = 'sent' AND content_id IS NOT NULL GROUP BY content_id",
  );

  return {
    /** Records a delivery as claimed (or missed) unless one exists for the key; returns the new row. */
    insert(key: DeliveryKey, dueAt: string, status: 'claimed' | 'missed', late: boolean, worker: string, now: Date): DeliveryRow | undefined {
      const info = insert.run({ ...key, dueAt, status, worker, now: now.toISOString(), late: late ? 1 : 0 });
      return info.changes > 0 ? byId.get(Number(info.lastInsertRowid)) : undefined;
    },
    markSent: (id: number, channel: string, ts: string, contentId: string | null, now: Date) => markSent.run(channel, ts, contentId, now.toISOString(), id).changes > 0,
    markLate: (id: number): boolean => markLate.run(id).changes > 0,
    markFailed: (id: number, error: string, now: Date) => markFailed.run(error, now.toISOString(), id).changes > 0,
    /** Where the message is about to go, so that recovery after a crash knows where to look. */
    setChannel: (id: number, channel: string, now: Date) => void setChannel.run(channel, now.toISOString(), id),
    noteAttempt: (id: number, contentId: string | null, error: string | null, now: Date) => void noteAttempt.run(contentId, error, now.toISOString(), id),
    /** Claims left behind by a process that stopped mid-delivery. */
    staleClaims: (claimedBefore: Date, limit: number): DeliveryRow[] => stale.all(claimedBefore.toISOString(), limit),
    /** Takes over a stale claim; false if another process took it first. */
    reclaim: (row: DeliveryRow, worker: string, now: Date): boolean => reclaim.run(worker, now.toISOString(), now.toISOString(), row.id, row.claimed_at).changes > 0,
    contentCounts: (ws: string, target: string, kind: DeliveryKind): Map<string, number> => new Map(contentCounts.all(ws, target, kind).map((r) => [r.content_id, r.n])),
  };
}
