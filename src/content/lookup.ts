import Fuse from 'fuse.js';
import { editDistance } from '../core/text.js';

export type LookupResult<T> =
  | { kind: 'found'; item: T }
  | { kind: 'ambiguous'; candidates: T[] }
  | { kind: 'none'; suggestions: T[] };

const NOISE_WORDS = /\b(amazon|aws|certified|certification|exam|service|the)\b/g;

/** Lower-case words without vendor prefixes or punctuation: "AWS Step-Functions!" → "step functions". */
export function normalizeQuery(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(NOISE_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const compact = (s: string) => normalizeQuery(s).replace(/ /g, '');

interface Entry<T> {
  item: T;
  names: string[];
  preference: number;
}

/**
 * Resolves what people type (names, aliases, codes, typos) to one record. Fuse.js finds candidates
 * by approximate match; an edit distance over the whole name then ranks them, so that a near-miss
 * of a short name ("sagemkaer") beats a longer name that merely contains a similar word.
 */
export class Lookup<T> {
  private readonly exact = new Map<string, Entry<T>[]>();
  private readonly entries: Entry<T>[] = [];
  private readonly fuse: Fuse<{ entry: Entry<T>; name: string }>;

  constructor(items: readonly T[], namesOf: (item: T) => string[], preferenceOf: (item: T) => number = () => 0) {
    const rows: { entry: Entry<T>; name: string }[] = [];
    for (const item of items) {
      const entry: Entry<T> = { item, names: [...new Set(namesOf(item).map(normalizeQuery).filter((n) => n !== ''))], preference: preferenceOf(item) };
      this.entries.push(entry);
      for (const name of entry.names) {
        const key = name.replace(/ /g, '');
        const list = this.exact.get(key) ?? [];
        if (!list.includes(entry)) list.push(entry);
        this.exact.set(key, list);
        rows.push({ entry, name });
      }
    }
    this.fuse = new Fuse(rows, { keys: ['name'], includeScore: true, ignoreLocation: true, threshold: 0.45, minMatchCharLength: 2 });
  }

  find(query: string, limit = 3): LookupResult<T> {
    const q = normalizeQuery(query);
    if (q === '') return { kind: 'none', suggestions: [] };
    const exact = this.exact.get(q.replace(/ /g, ''));
    if (exact && exact.length > 0) {
      const sorted = [...exact].sort((a, b) => a.preference - b.preference);
      if (sorted.length === 1 || sorted[0]!.preference < sorted[1]!.preference) return { kind: 'found', item: sorted[0]!.item };
      return { kind: 'ambiguous', candidates: sorted.slice(0, limit).map((e) => e.item) };
    }

    const ranked = this.rank(q);
    const [best, second] = ranked;
    if (!best) {
      // Too short for approximate matching ("q"): offer the records with that word in a name.
      const withWord = this.entries.filter((e) => e.names.some((n) => ` ${n} `.includes(` ${q} `)));
      return withWord.length > 0 ? { kind: 'ambiguous', candidates: withWord.slice(0, limit).map((e) => e.item) } : { kind: 'none', suggestions: [] };
    }
    const clearWinner = !second || second.distance - best.distance >= 0.12 || (second.distance === best.distance && best.entry.preference < second.entry.preference);
    if (best.distance <= 0.34 && clearWinner) return { kind: 'found', item: best.entry.item };
    if (best.distance <= 0.5) return { kind: 'ambiguous', candidates: ranked.slice(0, limit).map((r) => r.entry.item) };
    return { kind: 'none', suggestions: ranked.slice(0, limit).map((r) => r.entry.item) };
  }

  /** Candidates by ascending relative edit distance to their closest name. */
  private rank(q: string): { entry: Entry<T>; distance: number }[] {
    const cq = q.replace(/ /g, '');
    const best = new Map<Entry<T>, number>();
    const consider = (entry: Entry<T>, name: string) => {
      const cn = name.replace(/ /g, '');
      let distance = editDistance(cq, cn) / Math.max(cq.length, cn.length);
      // "guardrails" for "bedrock guardrails": a whole-word match of a longer name counts as close.
      if (cn.length > cq.length && cq.length >= 4 && ` ${name} `.includes(` ${q} `)) distance = Math.min(distance, 0.2 + 0.1 * (1 - cq.length / cn.length));
      const prev = best.get(entry);
      if (prev === undefined || distance < prev) best.set(entry, distance);
    };
    const seen = new Set<Entry<T>>();
    for (const hit of this.fuse.search(q, { limit: 40 })) {
      if (seen.has(hit.item.entry)) continue;
      seen.add(hit.item.entry);
      for (const name of hit.item.entry.names) consider(hit.item.entry, name);
    }
    return [...best.entries()]
      .map(([entry, distance]) => ({ entry, distance }))
      .sort((a, b) => a.distance - b.distance || a.entry.preference - b.entry.preference);
  }
}
