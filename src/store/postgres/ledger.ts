import type { Delivery, DeliveryKey, DeliveryLedger, DeliveryStatus, DueSet } from '../../ports/store.js';
import { newDelivery } from '../new-delivery.js';
import { first, isoArray, type Queryable } from './connection.js';
import { EARLIEST_DUE } from './due-sets.js';

interface DeliveryRow {
  id: number;
  workspace_id: string;
  kind: string;
  target: string;
  period: string;
  due_at: Date;
  status: DeliveryStatus;
  claimed_by: string | null;
  claimed_at: Date | null;
  attempts: number;
  late: boolean;
  content_id: string | null;
  channel: string | null;
  message_ts: string | null;
  error: string | null;
  updated_at: Date;
  lease_until: Date | null;
  fence: number;
}

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  workspaceId: r.workspace_id,
  kind: r.kind,
  target: r.target,
  period: r.period,
  dueAt: r.due_at,
  status: r.status,
  claimedBy: r.claimed_by,
  claimedAt: r.claimed_at,
  attempts: r.attempts,
  late: r.late,
  contentId: r.content_id,
  channel: r.channel,
  messageTs: r.message_ts,
  error: r.error,
  updatedAt: r.updated_at,
  leaseUntil: r.lease_until,
  fence: r.fence,
});

// Exactly once across processes: the unique key decides. A second inserter of the same key waits for the
// first's transaction and then does nothing (or inserts, if the first rolled back).
const INSERT = `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, lease_until, late, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $8)
  ON CONFLICT (workspace_id, kind, target, period) DO NOTHING
  RETURNING *`;

// The same for many keys in one statement, rows inserted in the order given (so ids rise in it). Two claimers never
// insert overlapping keys at once: each holds the locks on its targets (the due queries' claim lock) while it inserts.
const INSERT_MANY = `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, lease_until, late, updated_at)
  SELECT r.ws, r.kind, r.target, r.period, r.due_at, r.status, CASE WHEN r.status = 'claimed' THEN $7::text END, $8::timestamptz, $9::timestamptz, r.late,
         $8::timestamptz
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $10::boolean[])
       WITH ORDINALITY AS r(ws, kind, target, period, due_at, status, late, i)
  ORDER BY r.i
  ON CONFLICT (workspace_id, kind, target, period) DO NOTHING
  RETURNING id, fence, attempts, workspace_id, kind, target, period`;

// Every write after a claim names the fence and needs the claim still open. These are compare-and-set updates:
// under READ COMMITTED, a writer that waited for another's row lock re-checks the WHERE against the row as the
// other committed it, so a claim taken over in between is left alone.
const MARK_SENT = `UPDATE deliveries SET status = 'sent', claimed_by = NULL, channel = $1, message_ts = $2, content_id = $3, error = NULL, updated_at = $4
  WHERE id = $5 AND fence = $6 AND status = 'claimed'`;
const MARK_FAILED = `UPDATE deliveries SET status = 'failed', claimed_by = NULL, error = $1, updated_at = $2
  WHERE id = $3 AND fence = $4 AND status = 'claimed'`;
const SET_CHANNEL = `UPDATE deliveries SET channel = $1, content_id = $2, updated_at = $3 WHERE id = $4 AND fence = $5 AND status = 'claimed'`;
const RELEASE = `UPDATE deliveries SET claimed_by = NULL, attempts = attempts + 1, error = $1, updated_at = $2
  WHERE id = $3 AND fence = $4 AND status = 'claimed'`;
const PUT_BACK = `UPDATE deliveries SET claimed_by = NULL, error = $1, updated_at = $2 WHERE id = $3 AND fence = $4 AND status = 'claimed'`;
const MARK_MISSED = `UPDATE deliveries SET status = 'missed', claimed_by = NULL, error = $1, updated_at = $2
  WHERE id = $3 AND fence = $4 AND status = 'claimed'`;

// A plain read, no FOR UPDATE SKIP LOCKED: it runs outside any transaction (the pass looks each candidate up
// in Slack before taking it, which no transaction may wait on), so row locks taken here would end with the
// statement and protect nothing. What makes a takeover exclusive is `reclaim`, a compare-and-set on the fence:
// of two processes that found the same abandoned claim, the second re-checks `fence = $` after the first
// commits, finds it raised, and changes nothing.
// The host is compared literally and case-sensitively (starts_with, not LIKE: '_' and '%' are no wildcards).
const OPEN_CLAIMS_WHERE = `FROM deliveries d
  WHERE d.status = 'claimed' AND d.claimed_at < $1
    AND (d.claimed_by IS NULL OR d.lease_until IS NULL OR d.lease_until <= $2 OR starts_with(d.claimed_by, $3::text || '/'))
    AND NOT EXISTS (SELECT 1 FROM workspace_pauses p WHERE p.workspace_id = d.workspace_id AND p.probed_at > $4)`;
const OPEN_CLAIMS = `SELECT * ${OPEN_CLAIMS_WHERE} ORDER BY d.claimed_at, d.id LIMIT $5`;
// A pass with nothing to do costs one round trip and no planning: a statement without parameters, prepared once per
// connection, each column one step down an index (see EARLIEST_DUE); the pass compares the instants with its own.
const DUE_SET_NAMES = Object.keys(EARLIEST_DUE) as DueSet[];
const PENDING_WORK = `SELECT (SELECT min(claimed_at) FROM deliveries WHERE status = 'claimed') AS open_claims,
  ${DUE_SET_NAMES.map((set, i) => `(${EARLIEST_DUE[set]}) AS due_${i}`).join(',\n  ')}`;
const RECLAIM = `UPDATE deliveries SET claimed_by = $1, claimed_at = $2, lease_until = $3, fence = fence + 1, updated_at = $2
  WHERE id = $4 AND status = 'claimed' AND fence = $5`;
const CONFIRM = `UPDATE deliveries SET lease_until = $1 WHERE id = $2 AND fence = $3 AND claimed_by = $4 AND status = 'claimed'`;
const RENEW_ALL = `UPDATE deliveries SET lease_until = $1 WHERE claimed_by = $2 AND status = 'claimed'`;
const CONTENT_COUNTS = `SELECT content_id, count(*) AS n FROM deliveries
  WHERE workspace_id = $1 AND target = $2 AND kind = $3 AND status = 'sent' AND content_id IS NOT NULL GROUP BY content_id`;
const MISSED_DAYS = `SELECT DISTINCT period FROM deliveries
  WHERE workspace_id = $1 AND status = 'missed' AND kind IN ('daily_tip', 'daily_quiz') AND period COLLATE "C" >= $2`;
const LIST = `SELECT * FROM deliveries
  WHERE ($1::text IS NULL OR workspace_id = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR target = $3)
  ORDER BY id`;

const isRowOf = (k: DeliveryKey, r: Pick<DeliveryRow, 'workspace_id' | 'kind' | 'target' | 'period'>) =>
  k.target === r.target && k.period === r.period && k.kind === r.kind && k.ws === r.workspace_id;

export function postgresLedger(q: Queryable): DeliveryLedger {
  const changed = async (text: string, values: unknown[]) => (await q.run(text, values)) > 0;
  return {
    async insert(key, dueAt, status, late, owner, leaseUntil, now) {
      const row = first(
        await q.rows<DeliveryRow>(INSERT, [
          key.ws,
          key.kind,
          key.target,
          key.period,
          dueAt,
          status,
          status === 'claimed' ? owner : null,
          now,
          leaseUntil,
          late,
        ]),
      );
      return row ? toDelivery(row) : undefined;
    },
    async insertMany(rows, owner, leaseUntil, now) {
      if (rows.length === 0) return [];
      const inserted = await q.rows<{ id: number; fence: number; attempts: number } & Pick<DeliveryRow, 'workspace_id' | 'kind' | 'target' | 'period'>>(
        INSERT_MANY,
        [
          rows.map((r) => r.key.ws),
          rows.map((r) => r.key.kind),
          rows.map((r) => r.key.target),
          rows.map((r) => r.key.period),
          isoArray(rows.map((r) => r.dueAt)),
          rows.map((r) => r.status),
          owner,
          now,
          leaseUntil,
          rows.map((r) => r.late),
        ],
        'aipath_ledger_insert_many',
      );
      // Only what the database chose comes back (and the key, to tell which): the rest is what was written. The ids
      // rise in the order asked (RETURNING follows it in practice; sorting makes sure).
      inserted.sort((a, b) => a.id - b.id);
      const out: Delivery[] = [];
      let j = 0;
      for (const made of inserted) {
        while (!isRowOf(rows[j]!.key, made)) j++;
        out.push(newDelivery(rows[j++]!, made, owner, leaseUntil, now));
      }
      return out;
    },
    async get(id) {
      const row = first(await q.rows<DeliveryRow>('SELECT * FROM deliveries WHERE id = $1', [id]));
      return row ? toDelivery(row) : undefined;
    },
    async find(key) {
      const row = first(
        await q.rows<DeliveryRow>('SELECT * FROM deliveries WHERE workspace_id = $1 AND kind = $2 AND target = $3 AND period = $4', [
          key.ws,
          key.kind,
          key.target,
          key.period,
        ]),
      );
      return row ? toDelivery(row) : undefined;
    },
    markSent: (c, channel, ts, contentId, now) => changed(MARK_SENT, [channel, ts, contentId, now, c.id, c.fence]),
    markLate: (id) => changed('UPDATE deliveries SET late = true WHERE id = $1 AND NOT late', [id]),
    markFailed: (c, error, now) => changed(MARK_FAILED, [error, now, c.id, c.fence]),
    setChannel: (c, channel, contentId, now) => changed(SET_CHANNEL, [channel, contentId, now, c.id, c.fence]),
    async release(c, error, now) {
      await q.run(RELEASE, [error, now, c.id, c.fence]);
    },
    async putBack(c, error, now) {
      await q.run(PUT_BACK, [error, now, c.id, c.fence]);
    },
    markMissed: (c, error, now) => changed(MARK_MISSED, [error, now, c.id, c.fence]),
    async openClaims(o) {
      return (await q.rows<DeliveryRow>(OPEN_CLAIMS, [o.claimedBefore, o.wallNow, o.host, o.probeBefore, o.limit])).map(toDelivery);
    },
    async pendingWork(now, o) {
      const [row] = await q.rows<Record<string, Date | null>>(PENDING_WORK, [], 'aipath_pending_work');
      const by = (instant: Date | null | undefined, limit: Date) => instant != null && instant <= limit;
      // The oldest open claim may be one openClaims leaves alone (a live lease elsewhere): it then finds nothing.
      return {
        openClaims: by(row!.open_claims, new Date(o.claimedBefore.getTime() - 1)),
        due: new Set(DUE_SET_NAMES.filter((_, i) => by(row![`due_${i}`], now))),
      };
    },
    async reclaim(d, owner, leaseUntil, now) {
      return (await changed(RECLAIM, [owner, now, leaseUntil, d.id, d.fence])) ? d.fence + 1 : undefined;
    },
    confirm: (c, owner, leaseUntil) => changed(CONFIRM, [leaseUntil, c.id, c.fence, owner]),
    renewAll: (owner, leaseUntil) => q.run(RENEW_ALL, [leaseUntil, owner]),
    async contentCounts(ws, target, kind) {
      return new Map((await q.rows<{ content_id: string; n: number }>(CONTENT_COUNTS, [ws, target, kind])).map((r) => [r.content_id, r.n]));
    },
    async missedDays(ws, since) {
      return new Set((await q.rows<{ period: string }>(MISSED_DAYS, [ws, since])).map((r) => r.period));
    },
    async list(filter = {}) {
      return (await q.rows<DeliveryRow>(LIST, [filter.ws ?? null, filter.kind ?? null, filter.target ?? null])).map(toDelivery);
    },
  };
}
