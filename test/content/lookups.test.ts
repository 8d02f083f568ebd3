import { describe, expect, it } from 'vitest';
import type { Content } from '../../src/content/content.js';
import { loadContent } from '../../src/content/load.js';
import { buildLookups } from '../../src/content/lookups.js';

const content = loadContent();

/** The content, counting how often each record list is read: a lookup reads its list when it builds its index. */
function counted(): { content: Content; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const proxy = new Proxy(content, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Array.isArray(Reflect.get(target, key))) reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return { content: proxy, reads };
}

describe('the lookups', () => {
  it('build nothing until first asked, then each index once', () => {
    const { content: watched, reads } = counted();
    const lookups = buildLookups(watched);
    expect([...reads]).toEqual([]);

    expect(lookups.services.find('sagemkaer')).toMatchObject({ kind: 'service', service: { id: 'sagemaker-ai' } });
    expect(reads.get('services')).toBe(1);
    expect(reads.get('concepts')).toBe(1);
    expect(reads.has('certifications')).toBe(false);
    expect(reads.has('tracks')).toBe(false);

    expect(lookups.services).toBe(lookups.services);
    lookups.services.find('vector database');
    expect(reads.get('services')).toBe(1);

    expect(lookups.certs.find('aip c01')).toMatchObject({ kind: 'found', item: { id: 'aip-c01' } });
    expect(lookups.tracks.find('data scientist')).toMatchObject({ kind: 'found', item: { id: 'ml' } });
    lookups.certs.find('mla');
    lookups.tracks.find('devops');
    expect(reads.get('certifications')).toBe(1);
    expect(reads.get('tracks')).toBe(1);
  });
});
