import type { Delivery, DeliveryKey, DeliveryLedger, DeliveryStatus, DueSet, PendingWork } from '../../ports/store.js';
import type { Db } from './connection.js';
import { instantText } from '../instant-text.js';
import { newDelivery } from '../new-delivery.js';
import { DUE_SETS } from './due-sets.js';
import { dateOrNull, iso, type Synchronous } from './sync.js';

interface DeliveryRow {
  id: number;
  workspace_id: string;
  kind: string;
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
  lease_until: string | null;
  fence: number;
}

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  workspaceId: r.workspace_id,
  kind: r.kind,
  target: r.target,
  period: r.period,
  dueAt: new Date(r.due_at),
  status: r.status,
  claimedBy: r.claimed_by,
  claimedAt: dateOrNull(r.claimed_at),
  attempts: r.attempts,
  late: r.late === 1,
  contentId: r.content_id,
  channel: r.channel,
  messageTs: r.message_ts,
  error: r.error,
  updatedAt: new Date(r.updated_at),
  leaseUntil: dateOrNull(r.lease_until),
  fence: r.fence,
});

const DUE_SET_NAMES = Object.keys(DUE_SETS) as DueSet[];

export function sqliteLedger(db: Db): Synchronous<DeliveryLedger> {
  // Positional parameters: better-sqlite3 bound an object's named values (spread together for each row) at half the
  // speed, 36 ms rather than 17 ms for 3,333 rows (bench/README.md, "Issue 15, eleventh round"), and a claim inserts
  // thousands.
  const insert = db.prepare<[string, string, string, string, string, string, string | null, string, string, number, string]>(
    `INSERT INTO deliveries (workspace_id, kind, target, period, due_at, status, claimed_by, claimed_at, lease_until, late, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, kind, target, period) DO NOTHING`,
  );
  const insertRow = (key: DeliveryKey, dueAt: string, status: DeliveryStatus, late: boolean, owner: string, leaseUntil: string, now: string) =>
    insert.run(key.ws, key.kind, key.target, key.period, dueAt, status, status === 'claimed' ? owner : null, now, leaseUntil, late ? 1 : 0, now);
  // What a new row holds where insert names no value: insertMany fills its records in from these rather than read
  // each row back (RETURNING costs SQLite a temporary table per statement: several times the insert itself).
  const defaults = Object.fromEntries(
    (db.pragma('table_info(deliveries)') as { name: string; dflt_value: string | null }[]).map((c) => [c.name, Number(c.dflt_value)]),
  );
  const byId = db.prepare<[number], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?');
  const byKey = db.prepare<[string, string, string, string], DeliveryRow>(
    'SELECT * FROM deliveries WHERE workspace_id = ? AND kind = ? AND target = ? AND period = ?',
  );
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
  // A host name is compared as it is (LIKE would read _ and % in it as wildcards, and ignore case).
  const OPEN_CLAIMS = `FROM deliveries d
     WHERE d.status = 'claimed' AND d.claimed_at < @claimedBefore
       AND (d.claimed_by IS NULL OR d.lease_until IS NULL OR d.lease_until <= @wallNow OR substr(d.claimed_by, 1, length(@host) + 1) = @host || '/')
       AND NOT EXISTS (SELECT 1 FROM workspace_pauses p WHERE p.workspace_id = d.workspace_id AND p.probed_at > @probeBefore)`;
  const open = db.prepare<{ claimedBefore: string; wallNow: string; host: string; probeBefore: string; limit: number }, DeliveryRow>(
    `SELECT * ${OPEN_CLAIMS} ORDER BY d.claimed_at LIMIT @limit`,
  );
  // Each EXISTS stops at the first row its index finds: a pass with nothing to do costs one statement.
  const pending = db.prepare<{ now: string; claimedBefore: string; wallNow: string; host: string; probeBefore: string }, Record<string, number>>(
    `SELECT EXISTS (SELECT 1 ${OPEN_CLAIMS}) AS open_claims,
       ${DUE_SET_NAMES.map((set, i) => `EXISTS (SELECT 1 ${DUE_SETS[set]('@now')}) AS due_${i}`).join(',\n       ')}`,
  );
  const reclaim = db.prepare(
    "UPDATE deliveries SET claimed_by = ?, claimed_at = ?, lease_until = ?, fence = fence + 1, updated_at = ? WHERE id = ? AND status = 'claimed' AND fence = ?",
  );
  const confirm = db.prepare("UPDATE deliveries SET lease_until = ? WHERE id = ? AND fence = ? AND claimed_by = ? AND status = 'claimed'");
  const renewAll = db.prepare("UPDATE deliveries SET lease_until = ? WHERE claimed_by = ? AND status = 'claimed'");
  const contentCounts = db.prepare<[string, string, string], { content_id: string; n: number }>(
    "SELECT content_id, COUNT(*) AS n FROM deliveries WHERE workspace_id = ? AND target = ? AND kind = ? AND status = 'sent' AND content_id IS NOT NULL GROUP BY content_id",
  );
  const missedDays = db.prepare<[string, string], { period: string }>(
    "SELECT DISTINCT period FROM deliveries WHERE workspace_id = ? AND status = 'missed' AND kind IN ('daily_tip', 'daily_quiz') AND period >= ?",
  );
  const list = db.prepare<{ ws: string | null; kind: string | null; target: string | null }, DeliveryRow>(
    `SELECT * FROM deliveries WHERE (@ws IS NULL OR workspace_id = @ws) AND (@kind IS NULL OR kind = @kind) AND (@target IS NULL OR target = @target)
     ORDER BY id`,
  );

  return {
    insert(key, dueAt, status, late, owner, leaseUntil, now) {
      const info = insertRow(key, iso(dueAt), status, late, owner, iso(leaseUntil), iso(now));
      return info.changes > 0 ? toDelivery(byId.get(Number(info.lastInsertRowid))!) : undefined;
    },
    insertMany(rows, owner, leaseUntil, now) {
      const [leaseText, nowText, dueText] = [iso(leaseUntil), iso(now), instantText()];
      const made = { fence: defaults.fence!, attempts: defaults.attempts! };
      const out: Delivery[] = [];
      for (const r of rows) {
        const info = insertRow(r.key, dueText(r.dueAt), r.status, r.late, owner, leaseText, nowText);
        if (info.changes > 0) out.push(newDelivery(r, { ...made, id: Number(info.lastInsertRowid) }, owner, leaseUntil, now));
      }
      return out;
    },
    get(id) {
      const row = byId.get(id);
      return row ? toDelivery(row) : undefined;
    },
    find(key) {
      const row = byKey.get(key.ws, key.kind, key.target, key.period);
      return row ? toDelivery(row) : undefined;
    },
    markSent: (c, channel, ts, contentId, now) => markSent.run(channel, ts, contentId, iso(now), c.id, c.fence).changes > 0,
    markLate: (id) => markLate.run(id).changes > 0,
    markFailed: (c, error, now) => markFailed.run(error, iso(now), c.id, c.fence).changes > 0,
    setChannel: (c, channel, contentId, now) => setChannel.run(channel, contentId, iso(now), c.id, c.fence).changes > 0,
    release: (c, error, now) => void release.run(error, iso(now), c.id, c.fence),
    putBack: (c, error, now) => void putBack.run(error, iso(now), c.id, c.fence),
    markMissed: (c, error, now) => markMissed.run(error, iso(now), c.id, c.fence).changes > 0,
    openClaims: (q) =>
      open.all({ claimedBefore: iso(q.claimedBefore), wallNow: iso(q.wallNow), host: q.host, probeBefore: iso(q.probeBefore), limit: q.limit }).map(toDelivery),
    pendingWork(now, q) {
      const row = pending.get({ now: iso(now), claimedBefore: iso(q.claimedBefore), wallNow: iso(q.wallNow), host: q.host, probeBefore: iso(q.probeBefore) })!;
      return { openClaims: row.open_claims === 1, due: new Set(DUE_SET_NAMES.filter((_, i) => row[`due_${i}`] === 1)) } satisfies PendingWork;
    },
    reclaim: (d, owner, leaseUntil, now) => (reclaim.run(owner, iso(now), iso(leaseUntil), iso(now), d.id, d.fence).changes > 0 ? d.fence + 1 : undefined),
    confirm: (c, owner, leaseUntil) => confirm.run(iso(leaseUntil), c.id, c.fence, owner).changes > 0,
    renewAll: (owner, leaseUntil) => renewAll.run(iso(leaseUntil), owner).changes,
    contentCounts: (ws, target, kind) => new Map(contentCounts.all(ws, target, kind).map((r) => [r.content_id, r.n])),
    missedDays: (ws, since) => new Set(missedDays.all(ws, since).map((r) => r.period)),
    list: (filter = {}) => list.all({ ws: filter.ws ?? null, kind: filter.kind ?? null, target: filter.target ?? null }).map(toDelivery),
  };
}
