/** A stable 32-bit hash (FNV-1a), so the same channel and day always draw the same item. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Picks among the items shown least often so far, so nothing repeats until every eligible item has
 * been shown; ties are broken by a hash of `seed` rather than by order, so channels differ.
 */
export function pickRotating<T extends { id: string }>(pool: readonly T[], shownCounts: ReadonlyMap<string, number>, seed: string): T | undefined {
  if (pool.length === 0) return undefined;
  let least = Infinity;
  for (const item of pool) least = Math.min(least, shownCounts.get(item.id) ?? 0);
  // The fresh item with the smallest hash: one pass, one hash an item (a sort would hash each many times).
  let best: T | undefined;
  let bestHash = Infinity;
  for (const item of pool) {
    if ((shownCounts.get(item.id) ?? 0) !== least) continue;
    const h = hash32(`${seed}:${item.id}`);
    if (h < bestHash) [best, bestHash] = [item, h];
  }
  return best;
}
