import type { Delivery, NewDelivery } from '../ports/store.js';

/**
 * The record of a delivery the ledger has just inserted, from what was written and the few values the database chose
 * (its id and the column defaults), so that a claim of thousands reads back three numbers a row, not whole rows.
 * Both adapters' insertMany use it; the contract suite checks it against the row as stored.
 */
export function newDelivery(row: NewDelivery, made: { id: number; fence: number; attempts: number }, owner: string, leaseUntil: Date, now: Date): Delivery {
  return {
    id: made.id,
    workspaceId: row.key.ws,
    kind: row.key.kind,
    target: row.key.target,
    period: row.key.period,
    dueAt: row.dueAt,
    status: row.status,
    claimedBy: row.status === 'claimed' ? owner : null,
    claimedAt: now,
    attempts: made.attempts,
    late: row.late,
    contentId: null,
    channel: null,
    messageTs: null,
    error: null,
    updatedAt: now,
    leaseUntil,
    fence: made.fence,
  };
}
