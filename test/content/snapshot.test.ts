import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeContentSnapshot } from '../../src/content/build-snapshot.js';
import type { Content, ContentRecords } from '../../src/content/content.js';
import { CONTENT_DIR, ContentError, loadContent } from '../../src/content/load.js';
import { DEFAULT_SNAPSHOT_FILE, loadStartupContent } from '../../src/content/snapshot.js';
import { loadConfig } from '../../src/config.js';
import { buildContainer } from '../../src/container.js';
import { createLogger } from '../../src/log.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aipath-snapshot-'));
  dirs.push(dir);
  return dir;
}

/** A copy of content/ and a snapshot built from it. */
function builtCopy(): { dir: string; snapshot: string } {
  const dir = join(tempDir(), 'content');
  cpSync(CONTENT_DIR, dir, { recursive: true });
  const snapshot = join(dir, '..', 'content.snapshot.json');
  writeContentSnapshot(dir, snapshot);
  return { dir, snapshot };
}

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', 'test', (l) => lines.push(l)) };
}

const records = (c: Content): ContentRecords => ({
  tracks: c.tracks,
  certifications: c.certifications,
  services: c.services,
  tips: c.tips,
  quiz: c.quiz,
  concepts: c.concepts,
  origin: c.origin,
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Rewrites the snapshot's payload and keeps its checksum right, as only a forger (or a test) would. */
function forgePayload(snapshot: string, edit: (payload: Record<string, unknown>) => void) {
  const [headerLine, payloadLine] = readFileSync(snapshot, 'utf8').split('\n');
  const payload = JSON.parse(payloadLine!);
  edit(payload);
  const text = JSON.stringify(payload);
  const header = { ...JSON.parse(headerLine!), payload: sha256(text) };
  writeFileSync(snapshot, `${JSON.stringify(header)}\n${text}\n`);
}

const yamlContent = loadContent();

describe('the content snapshot', () => {
  it('loads to exactly the content the YAML gives, lookups by id included', async () => {
    const { dir, snapshot } = builtCopy();
    const { lines, logger } = capture();
    const loaded = await loadStartupContent({ dir, snapshotFile: snapshot, logger });
    expect(loaded.from).toBe('snapshot');
    expect(records(loaded.content)).toStrictEqual(records(yamlContent));
    expect(loaded.content.track('ml')).toStrictEqual(yamlContent.track('ml'));
    expect(loaded.content.question(yamlContent.quiz[0]!.id)).toStrictEqual(yamlContent.quiz[0]);
    expect(loaded.content.service('no-such-service')).toBeUndefined();
    expect(lines.filter((l) => / (WARN|INFO) /.test(l))).toEqual([]);
  });

  it('is not used once a YAML file changed, was added or was removed since the build', async () => {
    for (const change of [
      (dir: string) => {
        const path = join(dir, 'tips', 'aif-c01.yaml');
        writeFileSync(path, readFileSync(path, 'utf8').replace('text: "Trap: ', 'text: "Changed since the build. Trap: '));
      },
      (dir: string) => writeFileSync(join(dir, 'tips', 'zz-new.yaml'), '- id: tip-added-after-the-build\n  kind: quick-note\n  text: Added after the build.\n'),
      (dir: string) => unlinkSync(join(dir, 'quiz', 'general.yaml')),
    ]) {
      const { dir, snapshot } = builtCopy();
      change(dir);
      const { lines, logger } = capture();
      const loaded = await loadStartupContent({ dir, snapshotFile: snapshot, logger });
      expect(loaded.from).toBe('yaml');
      expect(records(loaded.content)).toStrictEqual(records(loadContent(dir)));
      expect(lines.join('')).toMatch(/INFO .*was built from other content .*validating the YAML instead/);
    }
  });

  it('is not used when the validator changed since the build, or the format is another', async () => {
    for (const edit of [{ validator: '0'.repeat(64) }, { format: 999 }]) {
      const { dir, snapshot } = builtCopy();
      const [headerLine, rest] = readFileSync(snapshot, 'utf8').split(/\n(.*)/s);
      writeFileSync(snapshot, `${JSON.stringify({ ...JSON.parse(headerLine!), ...edit })}\n${rest}`);
      const loaded = await loadStartupContent({ dir, snapshotFile: snapshot, logger: capture().logger });
      expect(loaded.from).toBe('yaml');
    }
  });

  it('reports invalid YAML as a content error even beside a snapshot of the content before the edit', async () => {
    const { dir, snapshot } = builtCopy();
    writeFileSync(join(dir, 'tips', 'zz-broken.yaml'), '- id: tip-broken\n  kind: gossip\n  text: hello\n');
    await expect(loadStartupContent({ dir, snapshotFile: snapshot, logger: capture().logger })).rejects.toBeInstanceOf(ContentError);
  });

  it('falls back to the YAML with a warning, never a crash, when the snapshot is corrupt', async () => {
    const corruptions: [string, (snapshot: string) => void][] = [
      ['empty', (s) => writeFileSync(s, '')],
      ['not JSON', (s) => writeFileSync(s, 'garbage\nmore garbage\n')],
      ['truncated', (s) => writeFileSync(s, readFileSync(s, 'utf8').slice(0, 50_000))],
      ['header only', (s) => writeFileSync(s, readFileSync(s, 'utf8').split('\n')[0]!)],
      ['a record edited', (s) => writeFileSync(s, readFileSync(s, 'utf8').replace('"id":"architect"', '"id":"architekt"'))],
      ['a header of the wrong shape', (s) => writeFileSync(s, `[1,2,3]\n${readFileSync(s, 'utf8').split('\n')[1]}\n`)],
      ['a list missing', (s) => forgePayload(s, (p) => delete p.quiz)],
      ['records of the wrong shape', (s) => forgePayload(s, (p) => (p.origin = { not: 'pairs' }))],
      [
        'a directory',
        (s) => {
          unlinkSync(s);
          cpSync(CONTENT_DIR, s, { recursive: true });
        },
      ],
    ];
    for (const [what, corrupt] of corruptions) {
      const { dir, snapshot } = builtCopy();
      corrupt(snapshot);
      const { lines, logger } = capture();
      const loaded = await loadStartupContent({ dir, snapshotFile: snapshot, logger });
      expect(loaded.from, what).toBe('yaml');
      expect(records(loaded.content), what).toStrictEqual(records(yamlContent));
      expect(lines.join(''), what).toMatch(/WARN .*content snapshot .*validating the YAML instead/);
    }
  });

  it('is simply absent when running from source: the YAML, and no warning', async () => {
    expect(existsSync(DEFAULT_SNAPSHOT_FILE)).toBe(false);
    const { lines, logger } = capture();
    const loaded = await loadStartupContent({ logger });
    expect(loaded.from).toBe('yaml');
    expect(lines.filter((l) => / (WARN|INFO) /.test(l))).toEqual([]);
  });

  it('is not written from invalid content, and an older one is removed', () => {
    const { dir, snapshot } = builtCopy();
    writeFileSync(join(dir, 'quiz', 'zz-bad.yaml'), '- id: q-x\n  question: [unclosed\n');
    expect(() => writeContentSnapshot(dir, snapshot)).toThrow(ContentError);
    expect(existsSync(snapshot)).toBe(false);
  });

  it('is what the container starts from when it matches', async () => {
    const { dir, snapshot } = builtCopy();
    // The records the snapshot holds are what the app serves: a snapshot-only text shows it was read.
    forgePayload(snapshot, (p) => {
      (p.tips as { text: string }[])[0]!.text = 'Only the snapshot says this.';
    });
    const container = await buildContainer(loadConfig({ AIPATH_DB: ':memory:' }), {
      logger: createLogger('error'),
      contentDir: dir,
      contentSnapshot: snapshot,
    });
    try {
      expect(container.services.content.tips[0]!.text).toBe('Only the snapshot says this.');
      expect(container.slackDeps.study.content).toBe(container.services.content);
    } finally {
      await container.close();
    }
  });
});
