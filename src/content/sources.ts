import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url));

export type ContentKind = 'track' | 'certification' | 'service' | 'tip' | 'question' | 'concept';

/** One YAML file under content/, read once: the loader parses its text, the snapshot check hashes it. */
export interface ContentSource {
  kind: ContentKind;
  /** As shown in problems: `content/quiz/aif-c01.yaml`. */
  file: string;
  /** A track file holds one entry; every other file a list of them. */
  oneEntryPerFile: boolean;
  /** The file's bytes, or why it could not be read. Decoded only if parsed: a start from the snapshot only hashes them. */
  bytes: Buffer | undefined;
  readError?: unknown;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

const ifExists = (path: string) => (existsSync(path) ? [path] : []);

/** Every file the content is made of, in the order the loader reads them. */
export function readContentSources(dir: string = CONTENT_DIR): ContentSource[] {
  const groups: [ContentKind, string[], boolean][] = [
    ['track', yamlFiles(join(dir, 'tracks')), true],
    ['certification', ifExists(join(dir, 'certifications.yaml')), false],
    ['service', yamlFiles(join(dir, 'services')), false],
    ['tip', yamlFiles(join(dir, 'tips')), false],
    ['question', yamlFiles(join(dir, 'quiz')), false],
    ['concept', ifExists(join(dir, 'concepts.yaml')), false],
  ];
  return groups.flatMap(([kind, paths, oneEntryPerFile]) =>
    paths.map((path): ContentSource => {
      const file = `content/${relative(dir, path)}`;
      try {
        return { kind, file, oneEntryPerFile, bytes: readFileSync(path) };
      } catch (readError) {
        return { kind, file, oneEntryPerFile, bytes: undefined, readError };
      }
    }),
  );
}

/**
 * A fingerprint of the sources: which files there are, what each holds and what it is read as. A file added,
 * removed, renamed or edited gives another hash.
 */
export function hashContentSources(sources: readonly ContentSource[]): string {
  const hash = createHash('sha256');
  for (const s of sources) {
    const bytes = s.bytes ?? Buffer.from(`<unreadable: ${String(s.readError)}>`);
    hash.update(`${s.kind}\0${s.file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
