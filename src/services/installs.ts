import { DAY_MS } from '../domain/due.js';
import type { InstallationRecord, Store } from '../ports/store.js';
import { retryWhileBusy } from '../shared/busy.js';
import { type SecretBox, SecretBoxError } from '../shared/secret-box.js';

/**
 * Installations' life after install (multi-workspace mode): key rotation of the sealed bot tokens, and deleting a
 * workspace's data, at once (`aipath workspace purge`) or a retention period after it uninstalled (the scheduler
 * pass). Free of Slack: installing and uninstalling are the OAuth routes' and listeners' business.
 */

// ---------- key rotation

export interface RotationSummary {
  /** Tokens re-sealed with the new key by this run. */
  resealed: number;
  /** Tokens already under the new key (an earlier run, or sealed with it since): left as they are. */
  alreadyNew: number;
  /** Workspaces whose token is sealed with neither key: left as they are (the new key cannot be made from them). */
  otherKey: string[];
  /** Workspaces whose token carries the current key's id but does not open (altered): left as they are. */
  unreadable: string[];
}

/** How often one row is tried when its ciphertext changes under the rotation (a reinstall, another rotation). */
const RESEAL_ATTEMPTS = 5;

/**
 * Re-seals every stored bot token from `current` to `next`, row by row, each a compare-and-set on the ciphertext it
 * read, so a reinstall or a second rotation running at the same time is never overwritten: the row is read again
 * and tried again. Idempotent: a re-run skips the rows already under `next`.
 */
export async function rotateKeys(store: Store, current: SecretBox, next: SecretBox): Promise<RotationSummary> {
  if (current.keyId === next.keyId) throw new SecretBoxError('the new key is the current key: nothing to rotate to');
  const summary: RotationSummary = { resealed: 0, alreadyNew: 0, otherKey: [], unreadable: [] };
  for (const row of await retryWhileBusy(() => store.installations.sealedTokens())) {
    let sealed: string | null = row.tokenCiphertext;
    for (let attempt = 1; sealed !== null; attempt++) {
      if (next.sealedWithThisKey(sealed)) {
        summary.alreadyNew += 1;
        break;
      }
      if (!current.sealedWithThisKey(sealed)) {
        summary.otherKey.push(row.workspaceId);
        break;
      }
      let resealed: string;
      try {
        resealed = next.seal(current.open(sealed, row.workspaceId), row.workspaceId);
      } catch (err) {
        if (!(err instanceof SecretBoxError)) throw err;
        summary.unreadable.push(row.workspaceId);
        break;
      }
      const previous = sealed;
      if (await retryWhileBusy(() => store.installations.reseal(row.workspaceId, previous, resealed))) {
        summary.resealed += 1;
        break;
      }
      if (attempt === RESEAL_ATTEMPTS) throw new Error(`the token of ${row.workspaceId} kept changing during the rotation; run rotate-key again`);
      // Changed since it was read: read it again (it may be gone, under the new key already, or re-sealed).
      sealed = (await retryWhileBusy(() => store.installations.find(row.workspaceId)))?.tokenCiphertext ?? null;
    }
  }
  return summary;
}

/** The one line `aipath rotate-key` prints. */
export function formatRotation(s: RotationSummary, next: SecretBox): string {
  const parts = [`${s.resealed} token${s.resealed === 1 ? '' : 's'} re-sealed with key ${next.keyId}`, `${s.alreadyNew} already under it`];
  if (s.otherKey.length) parts.push(`${s.otherKey.length} sealed with another key and left as they are (${s.otherKey.join(', ')})`);
  if (s.unreadable.length) parts.push(`${s.unreadable.length} that do not authenticate under the current key, left as they are (${s.unreadable.join(', ')})`);
  return parts.join(', ');
}

// ---------- deleting a workspace's data

/** A Slack team id (T…), an enterprise id (E…, an org-wide install), or our key for a workspace in a Grid org (E…:T…). */
export const WORKSPACE_ID = /^(?:T[A-Z0-9]{2,}|E[A-Z0-9]{2,}|E[A-Z0-9]{2,}:T[A-Z0-9]{2,})$/;

export interface PurgeResult {
  /** The installation as it was before the purge; undefined when none was recorded (single-workspace mode). */
  installation: InstallationRecord | undefined;
  /** Whether the deleted bytes also left the database's files (false: another reader keeps an older copy for now). */
  bytesCleared: boolean;
}

/** Deletes every row of the workspace at once (see WorkspacesRepository.purge), then the deleted bytes. */
export async function purgeWorkspace(store: Store, ws: string): Promise<PurgeResult> {
  const installation = await retryWhileBusy(() => store.installations.find(ws));
  await retryWhileBusy(() => store.workspaces.purge(ws));
  return { installation, bytesCleared: await store.database.purgeDeleted() };
}

/** At most this many workspaces are purged by one pass: a burst of expiries never holds deliveries up for long. */
export const PURGES_PER_PASS = 10;

/** The instant before which an installation must have become inactive for its data to be purged at `now`. */
export const retentionCutoff = (now: Date, retentionDays: number): Date => new Date(now.getTime() - retentionDays * DAY_MS);

/**
 * Purges the data of every workspace whose installation has been inactive (uninstalled, tokens revoked) for longer
 * than `retentionDays` at `now`, up to PURGES_PER_PASS of them (the rest next time). With none expired it is one
 * indexed query. Each purge is one transaction that first discards the installation only if it is still expired, so
 * a reinstall racing it wins or comes after. Returns the workspaces purged.
 */
export async function purgeExpired(store: Store, now: Date, retentionDays: number): Promise<string[]> {
  const cutoff = retentionCutoff(now, retentionDays);
  const expired = await retryWhileBusy(() => store.installations.expired(cutoff));
  const purged: string[] = [];
  for (const ws of expired.slice(0, PURGES_PER_PASS)) {
    const done = await retryWhileBusy(() =>
      store.transaction(async (tx) => {
        if (!(await tx.installations.discardExpired(ws, cutoff))) return false;
        await tx.workspaces.purge(ws);
        return true;
      }),
    );
    if (done) purged.push(ws);
  }
  if (purged.length) await store.database.purgeDeleted();
  return purged;
}
