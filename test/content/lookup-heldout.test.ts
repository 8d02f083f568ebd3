import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { buildLookups } from '../../src/content/lookups.js';

/** The held-out set: written by someone who never saw the lookup code (see the file's header). */
const queries = load(readFileSync(join(import.meta.dirname, 'lookup-heldout.yaml'), 'utf8')) as {
  command: 'service' | 'cert' | 'start';
  query: string;
  expect: string[];
}[];
const lookups = buildLookups(loadContent());

/** What a learner sees first: the card, the concept's list, or the first "did you mean". */
function firstAnswer(command: 'service' | 'cert' | 'start', query: string): string | undefined {
  if (command === 'service') {
    const r = lookups.services.find(query);
    if (r.kind === 'service') return `service:${r.service.id}`;
    if (r.kind === 'concept') return `concept:${r.concept.id}`;
    const first = r.kind === 'ambiguous' ? r.candidates[0] : r.suggestions[0];
    return first && `${first.kind}:${first.id}`;
  }
  const r = command === 'cert' ? lookups.certs.find(query) : lookups.tracks.find(query);
  const item = r.kind === 'found' ? r.item : r.kind === 'ambiguous' ? r.candidates[0] : r.suggestions[0];
  return item && `${command === 'cert' ? 'cert' : 'track'}:${item.id}`;
}

describe('lookup on the held-out query set', () => {
  it('answers at least 95% of the queries right first', () => {
    const misses = queries
      .filter((q) => !q.expect.includes(firstAnswer(q.command, q.query) ?? 'nothing'))
      .map((q) => `${q.command} "${q.query}" → ${firstAnswer(q.command, q.query) ?? 'nothing'} (want ${q.expect.join(' or ')})`);
    const accuracy = 1 - misses.length / queries.length;
    console.log(
      `held-out lookup: ${queries.length - misses.length} of ${queries.length} right first (${(accuracy * 100).toFixed(1)}%)${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`,
    );
    expect(queries.length).toBeGreaterThanOrEqual(300);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });
});
