import { createRequire } from 'node:module';
import type Fuse from 'fuse.js';
import { editDistance } from '../domain/text.js';

/**
 * Fuse.js is loaded with the first index built (see lookups.ts), not with this module: a process that serves no
 * lookup never loads it. require() because a constructor cannot await an import; the package ships a CommonJS build.
 */
let fuseClass: typeof Fuse | undefined;
const loadFuse = (): typeof Fuse => (fuseClass ??= createRequire(import.meta.url)('fuse.js') as typeof Fuse);

export type LookupResult<T> = { kind: 'found'; item: T } | { kind: 'ambiguous'; candidates: T[] } | { kind: 'none'; suggestions: T[] };

const NOISE_WORDS = /\b(amazon|aws|certified|certification|exam|service|services|the|a|an|on|in|for|of|to|with|my|me|i|is|are|do|does|can|use|using)\b/g;

/**
 * How people ask rather than name: "what is bedrock?", "how do I detect PII", "which service labels
 * data". The question words go; what is asked about stays.
 */
const QUESTION =
  /^(what\s+is|what's|whats|what\s+are|what\s+does|who\s+is|tell\s+me\s+about|define|how\s+do\s+i|how\s+can\s+i|how\s+to|how\s+does|where\s+do\s+i|which|what|is\s+there|i\s+need|i\s+want|help\s+me|help\s+with|show\s+me|find)\b\s*/;

/** "labels" and "label", "bases" and "base": a plural s does not make another name. */
const singular = (word: string) => (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word) ? word.slice(0, -1) : word);

/** Lower-case words without question words, vendor prefixes or punctuation: "What is AWS Step-Functions?" → "step function". */
export function normalizeQuery(s: string): string {
  let text = s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9']+/g, ' ')
    .trim();
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(QUESTION, '');
  }
  return text
    .replace(/'/g, '')
    .replace(NOISE_WORDS, ' ')
    .split(/\s+/)
    .filter((w) => w !== '')
    .map(singular)
    .join(' ');
}

/** Words that share their first five letters are one word here: "labels", "labelling"; "detect", "detection". */
const stem = (word: string) => word.slice(0, 5);

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
  /** Each record's word stems, from its names and from its description. */
  private readonly wordIndex = new Map<Entry<T>, { names: Set<string>; described: Set<string> }>();
  /** How many records use a word stem: rare words tell more. */
  private readonly wordDocs = new Map<string, number>();

  constructor(items: readonly T[], namesOf: (item: T) => string[], preferenceOf: (item: T) => number = () => 0, describe: (item: T) => string = () => '') {
    const rows: { entry: Entry<T>; name: string }[] = [];
    for (const item of items) {
      const entry: Entry<T> = {
        item,
        names: [
          ...new Set(
            namesOf(item)
              .map(normalizeQuery)
              .filter((n) => n !== ''),
          ),
        ],
        preference: preferenceOf(item),
      };
      this.entries.push(entry);
      for (const name of entry.names) {
        const key = name.replace(/ /g, '');
        const list = this.exact.get(key) ?? [];
        if (!list.includes(entry)) list.push(entry);
        this.exact.set(key, list);
        rows.push({ entry, name });
      }
    }
    for (const entry of this.entries) {
      const names = new Set(entry.names.flatMap((n) => n.split(' ')).map(stem));
      const described = new Set(
        normalizeQuery(describe(entry.item))
          .split(' ')
          .filter((w) => w !== '')
          .map(stem),
      );
      this.wordIndex.set(entry, { names, described });
      for (const w of new Set([...names, ...described])) this.wordDocs.set(w, (this.wordDocs.get(w) ?? 0) + 1);
    }
    const FuseIndex = loadFuse();
    this.fuse = new FuseIndex(rows, { keys: ['name'], includeScore: true, ignoreLocation: true, threshold: 0.45, minMatchCharLength: 2 });
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
    const clear = (a: { distance: number; entry: Entry<T> }, b?: { distance: number; entry: Entry<T> }) =>
      !b || b.distance - a.distance >= 0.12 || (b.distance === a.distance && a.entry.preference < b.entry.preference);
    // A near-spelling of a whole name ("sagemaker clarfy") beats the words it happens to contain.
    if (best && best.distance <= 0.2 && clear(best, second)) return { kind: 'found', item: best.entry.item };
    // "bedrock runtime", "how do i detect bias in my model": the record whose words the query uses.
    const worded = this.byWords(q);
    if (worded) return { kind: 'found', item: worded.item };
    if (!best) {
      // Too short for approximate matching ("q"): offer the records with that word in a name.
      const withWord = this.entries.filter((e) => e.names.some((n) => ` ${n} `.includes(` ${q} `)));
      return withWord.length > 0 ? { kind: 'ambiguous', candidates: withWord.slice(0, limit).map((e) => e.item) } : { kind: 'none', suggestions: [] };
    }
    if (best.distance <= 0.34 && clear(best, second)) return { kind: 'found', item: best.entry.item };
    // Several records fit about equally well: a real ambiguity. Further off, they are only near misses.
    if (best.distance <= 0.34) return { kind: 'ambiguous', candidates: ranked.slice(0, limit).map((r) => r.entry.item) };
    if (best.distance > 0.5) return { kind: 'none', suggestions: [] };
    return { kind: 'none', suggestions: ranked.slice(0, limit).map((r) => r.entry.item) };
  }

  /**
   * The record whose names (and, weaker, description) share the most telling words with the query:
   * words are weighed by how rare they are across all records, and a whole name inside the query
   * counts double. Only a clear winner is returned.
   */
  private byWords(q: string): Entry<T> | undefined {
    const words = [...new Set(q.split(' ').map(stem))];
    const weight = (w: string) => Math.log(1 + this.entries.length / (this.wordDocs.get(w) ?? 0.5));
    const total = words.reduce((sum, w) => sum + weight(w), 0);
    if (total === 0) return undefined;
    const scored = this.entries
      .map((entry) => {
        const index = this.wordIndex.get(entry)!;
        let score = 0;
        // One word is too little to go on in a description ("q" is in many).
        for (const w of words) score += weight(w) * (index.names.has(w) ? 1 : words.length > 1 && index.described.has(w) ? 0.5 : 0);
        const inside = entry.names.some((n) => n.length >= 3 && ` ${q} `.includes(` ${n} `));
        return { entry, score: score / total + (inside ? 0.25 : 0) };
      })
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || a.entry.preference - b.entry.preference);
    const [best, second] = scored;
    if (!best || best.score < 0.55) return undefined;
    if (second && best.score - second.score < 0.1) return undefined;
    return best.entry;
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
