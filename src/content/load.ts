import { load as parseYaml, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { assembleContent, type Content, ContentError, type ContentIssue } from './content.js';
import { crossCheck } from './cross-check.js';
import { CertificationSchema, ConceptSchema, QuizQuestionSchema, ServiceSchema, TipSchema, TrackSchema } from './schema.js';
import { CONTENT_DIR, type ContentKind, type ContentSource, readContentSources } from './sources.js';

export { type Content, ContentError, type ContentIssue, formatIssue } from './content.js';
export { CONTENT_DIR } from './sources.js';

function parseSource(source: ContentSource, issues: ContentIssue[]): unknown {
  const { file } = source;
  if (source.bytes === undefined) {
    issues.push({ file, message: `is not valid YAML: ${String(source.readError)}` });
    return undefined;
  }
  try {
    return parseYaml(source.bytes.toString('utf8'), { filename: file });
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

/** Parses, validates and cross-checks the sources. Throws ContentError listing every problem. */
export function parseContent(sources: readonly ContentSource[]): Content {
  const issues: ContentIssue[] = [];
  const origin = new Map<string, string>();

  const collect = <S extends z.ZodType>(kind: ContentKind, schema: S): z.infer<S>[] => {
    const out: z.infer<S>[] = [];
    for (const source of sources) {
      if (source.kind !== kind) continue;
      const { file } = source;
      const doc = parseSource(source, issues);
      if (doc === undefined) continue;
      const entries = source.oneEntryPerFile ? [doc] : doc;
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

  const content = assembleContent({
    tracks: collect('track', TrackSchema),
    certifications: collect('certification', CertificationSchema),
    services: collect('service', ServiceSchema),
    tips: collect('tip', TipSchema),
    quiz: collect('question', QuizQuestionSchema),
    concepts: collect('concept', ConceptSchema),
    origin,
  });
  issues.push(...crossCheck(content));
  if (issues.length > 0) throw new ContentError(issues);
  return content;
}

/** Loads, validates and cross-checks everything under content/. Throws ContentError listing every problem. */
export function loadContent(dir: string = CONTENT_DIR): Content {
  return parseContent(readContentSources(dir));
}
