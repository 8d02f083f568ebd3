import type { Db } from './db.js';

/** A kind registered in src/scheduler/kinds/index.ts. */
export type DeliveryKind = string;
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
  /** Wall-clock instant until which the owner's lease holds; renewed while it works. */
  lease_until: string | null;
  /** Fencing token: raised by every takeover, checked by the owner before it posts. */
  fence: number;
}

/** The claim a pass holds on a delivery: its row id and the fencing token it was given. */
export interface HeldClaim {
  id: number;
  fence: number;
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
    `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, lease_until, late, updated_at)
     VALUES (@ws, @kind, @target, @period, @dueAt, @status, @worker, @now, @leaseUntil, @late, @now)
     ON CONFLICT (workspace_id, kind, target, period) DO NOTHING`,
  );
  const byId = db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  const markSent = db.prepare(
    "UPDATE deliveries SET status = 'sent', claimed_by = NULL, channel = ?, message_ts = ?, content_id = ?, error = NULL, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'",
  );
  const markLate = db.prepare('UPDATE deliveries SET late = 1 WHERE id = ? AND late = 0');
  const markFailed = db.prepare(
    "UPDATE deliveries SET status = 'failed', claimed_by = NULL, error = ?, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'",
  );
  const setChannel = db.prepare("UPDATE deliveries SET channel = ?, content_id = ?, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'");
  const release = db.prepare(
    "UPDATE deliveries SET claimed_by = NULL, attempts = attempts + 1, error = ?, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'",
  );
  const putBack = db.prepare("UPDATE deliveries SET claimed_by = NULL, error = ?, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'");
  const markMissed = db.prepare(
    "UPDATE deliveries SET status = 'missed', claimed_by = NULL, error = ?, updated_at = ? WHERE id = ? AND fence = ? AND status = 'claimed'",
  );
  // Only claims that may be abandoned: given back, without a lease, a lease run out, or an owner on
  // this host (whose pid the caller checks). Claims of a workspace paused until its next probe wait.
  const open = db.prepare<{ claimedBefore: string; wallNow: string; host: string; probeBefore: string; limit: number }, DeliveryRow>(
    `SELECT * FROM deliveries d
     WHERE d.status = 'claimed' AND d.claimed_at < @claimedBefore
       AND (d.claimed_by IS NULL OR d.lease_until IS NULL OR d.lease_until < @wallNow OR d.claimed_by LIKE @host || '/%')
       AND NOT EXISTS (SELECT 1 FROM workspace_pauses p WHERE p.workspace_id = d.workspace_id AND p.probed_at > @probeBefore)
     ORDER BY d.claimed_at LIMIT @limit`,
  );
  const reclaim = db.prepare(
    "UPDATE deliveries SET claimed_by = ?, claimed_at = ?, lease_until = ?, fence = fence + 1, updated_at = ? WHERE id = ? AND status = 'claimed' AND fence = ?",
  );
  const confirm = db.prepare("UPDATE deliveries SET lease_until = ? WHERE id = ? AND fence = ? AND claimed_by = ? AND status = 'claimed'");
  const renewAll = db.prepare("UPDATE deliveries SET lease_until = ? WHERE claimed_by = ? AND status = 'claimed'");
  const contentCounts = db.prepare<[string, string, string], { content_id: string; n: number }>(
    "SELECT content_id, COUNT(*) AS n FROM deliveries WHERE workspace_id = ? AND target = ? AND kind = ? AND status = 'sent' AND content_id IS NOT NULL GROUP BY content_id",
  );

  return {
    /** Records a delivery as claimed by `owner` (or missed) unless one exists for the key; returns the new row. */
    insert(key: DeliveryKey, dueAt: string, status: 'claimed' | 'missed', late: boolean, owner: string, leaseUntil: Date, now: Date): DeliveryRow | undefined {
      const info = insert.run({
        ...key,
        dueAt,
        status,
        worker: status === 'claimed' ? owner : null,
        leaseUntil: leaseUntil.toISOString(),
        now: now.toISOString(),
        late: late ? 1 : 0,
      });
      return info.changes > 0 ? byId.get(Number(info.lastInsertRowid)) : undefined;
    },
    // Every write below names the fencing token: an owner whose claim was taken over writes nothing.
    markSent: (c: HeldClaim, channel: string, ts: string, contentId: string | null, now: Date) =>
      markSent.run(channel, ts, contentId, now.toISOString(), c.id, c.fence).changes > 0,
    markLate: (id: number): boolean => markLate.run(id).changes > 0,
    markFailed: (c: HeldClaim, error: string, now: Date) => markFailed.run(error, now.toISOString(), c.id, c.fence).changes > 0,
    /** Where the message is about to go and what it is, so that recovery after a crash knows both. */
    setChannel: (c: HeldClaim, channel: string, contentId: string | null, now: Date) =>
      setChannel.run(channel, contentId, now.toISOString(), c.id, c.fence).changes > 0,
    /** Gives a claim back after a failed attempt; a later pass retries it after its back-off. */
    release: (c: HeldClaim, error: string | null, now: Date) => void release.run(error, now.toISOString(), c.id, c.fence),
    /** Gives a claim back untried (its workspace is paused): no attempt is counted. */
    putBack: (c: HeldClaim, error: string, now: Date) => void putBack.run(error, now.toISOString(), c.id, c.fence),
    /** Records a claim that can no longer go out in time. */
    markMissed: (c: HeldClaim, error: string, now: Date) => markMissed.run(error, now.toISOString(), c.id, c.fence).changes > 0,
    /** Claims that may have been abandoned, oldest first; the caller checks this host's pids and the back-off. */
    openClaims: (q: { claimedBefore: Date; wallNow: Date; host: string; probeBefore: Date; limit: number }): DeliveryRow[] =>
      open.all({
        claimedBefore: q.claimedBefore.toISOString(),
        wallNow: q.wallNow.toISOString(),
        host: q.host,
        probeBefore: q.probeBefore.toISOString(),
        limit: q.limit,
      }),
    /** Takes over an abandoned claim; returns the new fencing token, or undefined if another process took it first. */
    reclaim: (row: DeliveryRow, owner: string, leaseUntil: Date, now: Date): number | undefined =>
      reclaim.run(owner, now.toISOString(), leaseUntil.toISOString(), now.toISOString(), row.id, row.fence).changes > 0 ? row.fence + 1 : undefined,
    /** The fencing check right before a post: true (and the lease renewed) only while `owner` still holds the claim. */
    confirm: (c: HeldClaim, owner: string, leaseUntil: Date): boolean => confirm.run(leaseUntil.toISOString(), c.id, c.fence, owner).changes > 0,
    /** Extends the lease of every open claim `owner` holds. */
    renewAll: (owner: string, leaseUntil: Date): number => renewAll.run(leaseUntil.toISOString(), owner).changes,
    contentCounts: (ws: string, target: string, kind: DeliveryKind): Map<string, number> =>
      new Map(contentCounts.all(ws, target, kind).map((r) => [r.content_id, r.n])),
  };
}
