import type { Certification, Concept, QuizQuestion, Service, Tip, Track } from './schema.js';

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

/** The validated records, as the loader produces them and the build-time snapshot stores them. */
export interface ContentRecords {
  tracks: Track[];
  certifications: Certification[];
  services: Service[];
  tips: Tip[];
  quiz: QuizQuestion[];
  concepts: Concept[];
  /** Where each record came from, for error messages: `${kind}:${id}` → file. */
  origin: Map<string, string>;
}

export interface Content extends ContentRecords {
  track(id: string): Track | undefined;
  certification(id: string): Certification | undefined;
  service(id: string): Service | undefined;
  question(id: string): QuizQuestion | undefined;
}

/**
 * The records with their lookups by id. Kept apart from the YAML loader so that a start from the
 * snapshot loads neither js-yaml nor the zod schemas.
 */
export function assembleContent(records: ContentRecords): Content {
  const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((i) => [i.id, i]));
  const trackMap = byId(records.tracks);
  const certMap = byId(records.certifications);
  const serviceMap = byId(records.services);
  const questionMap = byId(records.quiz);
  return {
    ...records,
    track: (id) => trackMap.get(id),
    certification: (id) => certMap.get(id),
    service: (id) => serviceMap.get(id),
    question: (id) => questionMap.get(id),
  };
}
