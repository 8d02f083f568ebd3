import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppLogger } from '../log.js';
import { assembleContent, type Content, type ContentRecords } from './content.js';
import { CONTENT_DIR, hashContentSources, readContentSources } from './sources.js';

/**
 * The content as `npm run build` validated it, so that a start reads one JSON file instead of parsing and
 * validating the YAML again. The file is two lines: a header, then the records as JSON.
 *
 *   {"format":1,"sources":<hash of the YAML files>,"validator":<hash of the loader's code>,"payload":<hash of line 2>}
 *   {"tracks":[…],…,"origin":[["track:devops","content/tracks/devops.yaml"],…]}
 *
 * A start uses it only when the YAML and the validating code are the ones it was built from (otherwise it is
 * stale) and line 2 is intact (otherwise it is corrupt); in every other case the YAML is loaded as before.
 */
export const SNAPSHOT_FORMAT = 1;

/** Beside the compiled code: dist/content.snapshot.json. Running from source, there is none and the YAML is read. */
export const DEFAULT_SNAPSHOT_FILE = fileURLToPath(new URL('../content.snapshot.json', import.meta.url));

interface SnapshotHeader {
  format: number;
  sources: string;
  validator: string;
  payload: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The modules that decide what valid content is and how it is stored; compiled or not, whichever runs. */
const VALIDATOR_MODULES = ['schema', 'cross-check', 'load', 'content', 'sources', 'snapshot'];
let validatorHashMemo: string | undefined;

/** A fingerprint of the validating code: a snapshot another build of it wrote may say another thing is valid. */
export function validatorHash(): string {
  if (validatorHashMemo === undefined) {
    const ext = extname(fileURLToPath(import.meta.url));
    const hash = createHash('sha256');
    for (const name of VALIDATOR_MODULES) hash.update(readFileSync(new URL(`./${name}${ext}`, import.meta.url)));
    validatorHashMemo = hash.digest('hex');
  }
  return validatorHashMemo;
}

/** The snapshot file's text for content validated from sources with this hash. */
export function renderSnapshot(content: ContentRecords, sourcesHash: string): string {
  const { tracks, certifications, services, tips, quiz, concepts, origin } = content;
  // Pure ASCII (the rare "–" or "é" as \u escapes): decoding it and parsing it take the fast paths.
  const payload = JSON.stringify({ tracks, certifications, services, tips, quiz, concepts, origin: [...origin] }).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, sources: sourcesHash, validator: validatorHash(), payload: sha256(payload) };
  return `${JSON.stringify(header)}\n${payload}\n`;
}

export type SnapshotRead = { kind: 'loaded'; content: Content } | { kind: 'missing' } | { kind: 'stale'; reason: string } | { kind: 'corrupt'; reason: string };

const RECORD_LISTS = ['tracks', 'certifications', 'services', 'tips', 'quiz', 'concepts'] as const;

function isHeader(value: unknown): value is SnapshotHeader {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  return typeof h.format === 'number' && typeof h.sources === 'string' && typeof h.validator === 'string' && typeof h.payload === 'string';
}

function isOrigin(value: unknown): value is [string, string][] {
  return Array.isArray(value) && value.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string');
}

/**
 * The snapshot at `file` if it was built from sources with `sourcesHash` by this validator and is intact. Never
 * throws: whatever is wrong with the file comes back as the reason not to use it.
 */
export function readSnapshot(file: string, sourcesHash: string): SnapshotRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: `cannot be read (${(err as Error).message})` };
  }
  try {
    const newline = bytes.indexOf(0x0a);
    if (newline < 0) return { kind: 'corrupt', reason: 'has no header line' };
    const header: unknown = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
    if (!isHeader(header)) return { kind: 'corrupt', reason: 'has no valid header' };
    if (header.format !== SNAPSHOT_FORMAT) return { kind: 'stale', reason: `is in format ${header.format}, not ${SNAPSHOT_FORMAT}` };
    if (header.sources !== sourcesHash) return { kind: 'stale', reason: 'was built from other content (content/ changed since the build)' };
    if (header.validator !== validatorHash()) return { kind: 'stale', reason: 'was built by another version of the content validator' };
    const payload = bytes.subarray(newline + 1, bytes.at(-1) === 0x0a ? -1 : undefined);
    if (sha256(payload) !== header.payload) return { kind: 'corrupt', reason: 'does not match its checksum (truncated or edited)' };
    const records: unknown = JSON.parse(payload.toString('utf8'));
    if (typeof records !== 'object' || records === null) return { kind: 'corrupt', reason: 'holds no records' };
    const r = records as Record<string, unknown>;
    const missing = RECORD_LISTS.filter((k) => !Array.isArray(r[k]));
    if (missing.length > 0) return { kind: 'corrupt', reason: `lacks ${missing.join(', ')}` };
    if (!isOrigin(r.origin)) return { kind: 'corrupt', reason: 'lacks the origin of its records' };
    const content = assembleContent({ ...(r as unknown as Omit<ContentRecords, 'origin'>), origin: new Map(r.origin) });
    return { kind: 'loaded', content };
  } catch (err) {
    return { kind: 'corrupt', reason: `cannot be parsed (${(err as Error).message})` };
  }
}

export interface StartupContentOptions {
  /** Default: content/ beside the code. */
  dir?: string;
  /** Default: DEFAULT_SNAPSHOT_FILE. */
  snapshotFile?: string;
  logger?: Pick<AppLogger, 'debug' | 'info' | 'warn'>;
}

/**
 * The content for a running app: the build's snapshot when it matches the YAML under `dir`, else the YAML,
 * parsed and validated as `loadContent` does (a ContentError when it is invalid). Each YAML file is read once,
 * and parsed only when the snapshot cannot be used; js-yaml and the zod schemas are loaded only then.
 */
export async function loadStartupContent(opts: StartupContentOptions = {}): Promise<{ content: Content; from: 'snapshot' | 'yaml' }> {
  const sources = readContentSources(opts.dir ?? CONTENT_DIR);
  const snapshotFile = opts.snapshotFile ?? DEFAULT_SNAPSHOT_FILE;
  const read = readSnapshot(snapshotFile, hashContentSources(sources));
  if (read.kind === 'loaded') {
    opts.logger?.debug(`content from the snapshot ${snapshotFile}`);
    return { content: read.content, from: 'snapshot' };
  }
  if (read.kind === 'corrupt') opts.logger?.warn(`the content snapshot ${snapshotFile} ${read.reason}: validating the YAML instead`);
  else if (read.kind === 'stale') opts.logger?.info(`the content snapshot ${snapshotFile} ${read.reason}: validating the YAML instead`);
  const { parseContent } = await import('./load.js');
  return { content: parseContent(sources), from: 'yaml' };
}
