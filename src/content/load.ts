import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import {
  CertificationSchema,
  ConceptSchema,
  QuizQuestionSchema,
  ServiceSchema,
  TipSchema,
  TrackSchema,
  type Certification,
  type Concept,
  type QuizQuestion,
  type Service,
  type Tip,
  type Track,
} from './schema.js';
import { crossCheck } from './cross-check.js';

export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url));

/** One thing wrong with the content, located by file, entry id and field. */
export interface ContentIssue {
  file: string;
  id?: string;
  field?: string;
  message: string;
}

export function formatIssue(i: ContentIssue): string {
  return `${i.file}${i.id ? ` [${i.id}]` : ''}${i.field ? ` ${i.field}` : ''}: ${i.message}`;
}

export class ContentError extends Error {
  override name = 'ContentError';
  constructor(readonly issues: ContentIssue[]) {
    super(`${issues.length} content problem${issues.length === 1 ? '' : 's'}:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  }
}

export interface Content {
  tracks: Track[];
  certifications: Certification[];
  services: Service[];
  tips: Tip[];
  quiz: QuizQuestion[];
  concepts: Concept[];
  /** Where each record came from, for error messages: `${kind}:${id}` → file. */
  origin: Map<string, string>;
  track(id: string): Track | undefined;
  certification(id: string): Certification | undefined;
  service(id: string): Service | undefined;
  question(id: string): QuizQuestion | undefined;
}

type Kind = 'track' | 'certification' | 'service' | 'tip' | 'question' | 'concept';

function readYaml(path: string, file: string, issues: ContentIssue[]): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'), { filename: file });
  } catch (err) {
    const message =
      err instanceof YAMLException ? `${err.reason}${err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : ''}` : String(err);
    issues.push({ file, message: `is not valid YAML: ${message}` });
    return undefined;
  }
}

function validate<S extends z.ZodType>(schema: S, raw: unknown, file: string, issues: ContentIssue[]): z.infer<S> | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const entryId = typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : undefined;
  for (const issue of result.error.issues) {
    issues.push({ file, id: entryId, field: issue.path.join('.') || undefined, message: issue.message });
  }
  return undefined;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads, validates and cross-checks everything under content/. Throws ContentError listing every problem. */
export function loadContent(dir: string = CONTENT_DIR): Content {
  const issues: ContentIssue[] = [];
  const origin = new Map<string, string>();
  const rel = (p: string) => `content/${relative(dir, p)}`;

  const collect = <S extends z.ZodType>(kind: Kind, schema: S, paths: string[], oneEntryPerFile: boolean): z.infer<S>[] => {
    const out: z.infer<S>[] = [];
    for (const path of paths) {
      const file = rel(path);
      const doc = readYaml(path, file, issues);
      if (doc === undefined) continue;
      const entries = oneEntryPerFile ? [doc] : doc;
      if (!Array.isArray(entries)) {
        issues.push({ file, message: 'must be a YAML list of entries' });
        continue;
      }
      for (const raw of entries) {
        const item = validate(schema, raw, file, issues) as ({ id: string } & z.infer<S>) | undefined;
        if (!item) continue;
        const key = `${kind}:${item.id}`;
        const before = origin.get(key);
        if (before) {
          issues.push({ file, id: item.id, field: 'id', message: `duplicates the ${kind} id already used in ${before}` });
          continue;
        }
        origin.set(key, file);
        out.push(item);
      }
    }
    return out;
  };

  const tracks = collect('track', TrackSchema, yamlFiles(join(dir, 'tracks')), true);
  const certPath = join(dir, 'certifications.yaml');
  const certifications = collect('certification', CertificationSchema, existsSync(certPath) ? [certPath] : [], false);
  const services = collect('service', ServiceSchema, yamlFiles(join(dir, 'services')), false);
  const tips = collect('tip', TipSchema, yamlFiles(join(dir, 'tips')), false);
  const quiz = collect('question', QuizQuestionSchema, yamlFiles(join(dir, 'quiz')), false);
  const conceptsPath = join(dir, 'concepts.yaml');
  const concepts = collect('concept', ConceptSchema, existsSync(conceptsPath) ? [conceptsPath] : [], false);

  const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));
  const trackMap = byId(tracks);
  const certMap = byId(certifications);
  const serviceMap = byId(services);
  const questionMap = byId(quiz);
  const content: Content = {
    tracks,
    certifications,
    services,
    tips,
    quiz,
    concepts,
    origin,
    track: (id) => trackMap.get(id),
    certification: (id) => certMap.get(id),
    service: (id) => serviceMap.get(id),
    question: (id) => questionMap.get(id),
  };
  issues.push(...crossCheck(content));
  if (issues.length > 0) throw new ContentError(issues);
  return content;
}
