import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_DIR, ContentError, loadContent } from '../../src/content/load.js';
import { buildLookups } from '../../src/content/lookups.js';
import { bankIssues, examCoverage, lifecycleIssues } from '../../src/content/bank-quality.js';
import { TIP_KINDS } from '../../src/content/schema.js';

const content = loadContent();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of content/ with one file replaced, to see how the loader reports the problem. */
function withFile(relPath: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'aipath-content-'));
  dirs.push(dir);
  cpSync(CONTENT_DIR, dir, { recursive: true });
  writeFileSync(join(dir, relPath), text);
  try {
    loadContent(dir);
  } catch (err) {
    return err as ContentError;
  }
  throw new Error('expected a content error');
}

describe('the content', () => {
  it('holds what the tracks, exams and lookups need', () => {
    expect(content.tracks.map((t) => t.id).sort()).toEqual(['architect', 'cloud-engineer', 'developer', 'devops', 'ml', 'platform', 'practitioner', 'support']);
    expect(content.certifications.map((c) => c.id)).toEqual(expect.arrayContaining(['aif-c01', 'mla-c01', 'mls-c01', 'aip-c01', 'clf-c02']));
    expect(content.services.length).toBeGreaterThanOrEqual(60);
    expect(content.tips.length).toBeGreaterThanOrEqual(150);
    expect(content.quiz.length).toBeGreaterThanOrEqual(80);
    for (const kind of TIP_KINDS) expect(content.tips.some((t) => t.kind === kind)).toBe(true);
  });

  it('gives the ml track its week budget: 2 fundamentals + 3 foundations + 12-16 certification weeks', () => {
    const weeks = content.track('ml')!.weeks.length;
    expect(weeks).toBeGreaterThanOrEqual(17);
    expect(weeks).toBeLessThanOrEqual(21);
  });

  it('marks MLS-C01 retired with a last exam date, and says AWS named no successor rather than invent one', () => {
    const mls = content.certification('mls-c01')!;
    expect(mls.status).toBe('retired');
    expect(mls.retired?.lastExamDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(mls.retired?.successor).toBeUndefined();
    expect(mls.retired?.note).toContain('no successor');
  });

  it('records a dated note and a source for every service that is not plainly active', () => {
    for (const s of content.services.filter((x) => x.status !== 'active')) {
      expect(s.statusNote, s.id).toBeDefined();
      expect(s.sources.length, s.id).toBeGreaterThan(0);
    }
  });

  it('uses only https URLs', () => {
    const urls = JSON.stringify([content.tracks, content.certifications, content.services, content.tips, content.quiz]).match(/"(https?:\/\/[^"]+)"/g) ?? [];
    expect(urls.length).toBeGreaterThan(100);
    expect(urls.filter((u) => !u.startsWith('"https://'))).toEqual([]);
  });
});

describe('the content loader', () => {
  it('names the file, the entry and the field of a schema problem', () => {
    const err = withFile('tips/zz-broken.yaml', '- id: tip-broken\n  kind: gossip\n  text: hello\n');
    expect(err).toBeInstanceOf(ContentError);
    expect(err.issues).toContainEqual(expect.objectContaining({ file: 'content/tips/zz-broken.yaml', id: 'tip-broken', field: 'kind' }));
  });

  it('reports unparseable YAML with its line', () => {
    const err = withFile('quiz/zz-bad.yaml', '- id: q-x\n  question: [unclosed\n');
    expect(err.issues[0]).toMatchObject({ file: 'content/quiz/zz-bad.yaml' });
    expect(err.issues[0]!.message).toMatch(/not valid YAML: .* at line \d+/);
  });

  it('catches unknown references, duplicate ids and a question without exactly one answer', () => {
    const bad = [
      '- id: q-dup-a',
      '  question: Which one?',
      '  options: [{ text: A, correct: true }, { text: B, correct: true }, { text: C, why: Not it. }]',
      '  explanation: Both cannot be right.',
      '  cert: nope-c01',
      '  services: [not-a-service]',
      '  sources: ["https://docs.aws.amazon.com/"]',
      `- id: ${content.quiz[0]!.id}`,
      '  question: Duplicate id?',
      '  options: [{ text: A, correct: true }, { text: B, why: No. }, { text: C, why: No. }]',
      '  explanation: Duplicate.',
      '  cert: aif-c01',
      '  sources: ["https://docs.aws.amazon.com/"]',
    ].join('\n');
    const messages = withFile('quiz/zz-refs.yaml', bad).issues.map((i) => `${i.id} ${i.field}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'q-dup-a options: must have exactly one correct option (has 2)',
        'q-dup-a cert: names unknown certification "nope-c01"',
        'q-dup-a services.0: names unknown service "not-a-service"',
        expect.stringMatching(new RegExp(`^${content.quiz[0]!.id} id: duplicates the question id`)),
      ]),
    );
  });

  it('catches domain weights that do not sum to 100', () => {
    const certs = readFileSync(join(CONTENT_DIR, 'certifications.yaml'), 'utf8').replace(/weight: 20\b/, 'weight: 21');
    const err = withFile('certifications.yaml', certs);
    expect(err.issues.some((i) => i.field === 'domains' && /sum to 100 \(they sum to 101\)/.test(i.message))).toBe(true);
  });

  it('catches an alias claimed by two services', () => {
    const err = withFile(
      'services/zz-dupe.yaml',
      readFileSync(join(CONTENT_DIR, 'services', 'platform-compute.yaml'), 'utf8').replace(/^- id: (\S+)/gm, '- id: copy-$1'),
    );
    expect(err.issues.some((i) => i.field === 'aliases' && /is also a name or alias of service/.test(i.message))).toBe(true);
  });
});

describe('service and certification lookup', () => {
  const lookups = buildLookups(content);
  const foundId = (r: { kind: string; item?: { id: string } }) => (r.kind === 'found' ? r.item?.id : undefined);
  const serviceFound = (q: string) => {
    const r = lookups.services.find(q);
    return r.kind === 'service' ? r.service.id : undefined;
  };
  const set = load(readFileSync(join(import.meta.dirname, 'lookup-queries.yaml'), 'utf8')) as {
    services: { q: string; expect: string }[];
    certs: { q: string; expect: string }[];
  };

  it('resolves at least 95% of the test queries to the right record (top 1)', () => {
    const misses: string[] = [];
    const check = (kind: 'services' | 'certs', q: string, expected: string) => {
      const got = kind === 'services' ? serviceFound(q) : foundId(lookups.certs.find(q));
      if (got !== expected) misses.push(`${kind}: "${q}" → ${got ?? 'no single answer'} (want ${expected})`);
    };
    for (const { q, expect: e } of set.services) check('services', q, e);
    for (const { q, expect: e } of set.certs) check('certs', q, e);
    const total = set.services.length + set.certs.length;
    expect(total).toBeGreaterThanOrEqual(100);
    const accuracy = (total - misses.length) / total;
    expect(accuracy, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it.each([
    ['sagemkaer', 'sagemaker-ai'],
    ['step function', 'step-functions'],
    ['secret manager', 'secrets-manager'],
    ['ssm', 'systems-manager'],
    ['mlflow', 'sagemaker-mlflow'],
    ['what is bedrock', 'bedrock'],
    ['trainium', 'trainium'],
  ])('resolves "%s" to its service', (q, id) => {
    expect(serviceFound(q)).toBe(id);
  });

  it.each([
    ['rag', 'rag', 'bedrock-knowledge-bases'],
    ['vector db', 'vector-database', 'opensearch-serverless'],
    ['fine tuning', 'fine-tuning', 'bedrock-model-customization'],
  ])('answers the concept "%s" with its services, not near-spellings', (q, concept, service) => {
    const r = lookups.services.find(q);
    expect(r).toMatchObject({ kind: 'concept', concept: { id: concept } });
    expect(r.kind === 'concept' && r.services.map((s) => s.id)).toContain(service);
  });

  it('resolves "aip c01" and "start data scientist"', () => {
    expect(foundId(lookups.certs.find('aip c01'))).toBe('aip-c01');
    expect(foundId(lookups.tracks.find('data scientist'))).toBe('ml');
  });

  it('offers choices for an ambiguous query and nothing for gibberish, without throwing', () => {
    expect(lookups.services.find('amazon q')).toMatchObject({ kind: 'ambiguous' });
    expect(lookups.services.find('zzzzqqqq')).toEqual({ kind: 'none', suggestions: [] });
    expect(lookups.services.find('')).toEqual({ kind: 'none', suggestions: [] });
    expect(lookups.certs.find('machine learning engineer associate')).toMatchObject({ kind: 'found', item: { id: 'mla-c02' } });
  });
});

describe('bank rules and dated facts', () => {
  it('holds at least 100 questions per exam, every domain at 80% of its weight, and no answer tells', () => {
    expect(bankIssues(content)).toEqual([]);
    for (const cert of ['aif-c01', 'mla-c02', 'aip-c01']) {
      const cov = examCoverage(content, cert)!;
      const others = (cov.byType.multiple + cov.byType.ordering + cov.byType.matching) / cov.questions;
      expect(others, cert).toBeGreaterThanOrEqual(0.15);
    }
  });

  it('catches a bank that leans on one answer position or on the longest option', () => {
    const skewed = {
      ...content,
      quiz: content.quiz.map((q) =>
        q.type === 'single' && q.cert === 'aif-c01' ? { ...q, options: [...q.options].sort((a, b) => Number(b.correct) - Number(a.correct)) } : q,
      ),
    };
    expect(bankIssues(skewed).some((i) => i.id === 'aif-c01' && /right answer is A in 100%/.test(i.message))).toBe(true);
  });

  it('flags a service recorded as closed before the day it closes', () => {
    expect(lifecycleIssues(content, '2026-12-01')).toEqual([]);
    const kendra = content.service('kendra')!;
    expect(
      lifecycleIssues(content, '2026-01-01').some((i) => i.id === 'kendra' && /after today/.test(i.message)),
      kendra.statusNote!.date,
    ).toBe(true);
  });
});
