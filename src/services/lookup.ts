import type { LookupResult } from '../content/lookup.js';
import type { Certification, Concept, Service, Tip, Track } from '../content/schema.js';
import { certStatusOn } from '../domain/lifecycle.js';
import { forTrack } from '../domain/pools.js';
import type { Caller, Candidate, NotFound, StudyDeps } from './context.js';
import { studyExam } from './reviews.js';

export type ServiceCard = { kind: 'service'; service: Service; related: Service[]; replacement: Service | undefined };
export type ConceptCard = { kind: 'concept'; concept: Concept; services: Service[] };
export type CertCard = { kind: 'cert'; cert: Certification; status: Certification['status']; successor: Certification | undefined; tracks: Track[] };
export type TipCard = { kind: 'tip'; tip: Tip; services: Service[] } | { kind: 'no-tips'; about?: string };
export type Catalogue = { kind: 'tracks'; tracks: Track[]; certOf: (id: string) => Certification | undefined };

const existing = <T>(items: (T | undefined)[]): T[] => items.filter((i) => i !== undefined);

function candidates<T extends { id: string }>(result: LookupResult<T>, label: (t: T) => string): Candidate[] {
  const items = result.kind === 'ambiguous' ? result.candidates : result.kind === 'none' ? result.suggestions : [];
  return items.map((t) => ({ id: t.id, label: label(t) }));
}

/** A service or concept by name, alias, typo or question ("what is bedrock"). */
export function findService(deps: StudyDeps, query: string): ServiceCard | ConceptCard | NotFound {
  const found = deps.lookups.services.find(query);
  if (found.kind === 'service') return serviceCard(deps, found.service.id)!;
  if (found.kind === 'concept') return { kind: 'concept', concept: found.concept, services: found.services };
  const items = found.kind === 'ambiguous' ? found.candidates : found.suggestions;
  return { kind: 'not-found', query, candidates: items.map((f) => ({ id: f.id, label: f.name, kind: f.kind })), ambiguous: found.kind === 'ambiguous' };
}

/** A service's card by id (its "did you mean" button). */
export function serviceCard(deps: StudyDeps, id: string): ServiceCard | undefined {
  const service = deps.content.service(id);
  if (!service) return undefined;
  const replacement = service.statusNote?.replacement ? deps.content.service(service.statusNote.replacement) : undefined;
  return { kind: 'service', service, related: existing(service.related.map((r) => deps.content.service(r))), replacement };
}

/** A concept's card by id (its "did you mean" button). */
export function conceptCard(deps: StudyDeps, id: string): ConceptCard | undefined {
  const concept = deps.content.concepts.find((c) => c.id === id);
  return concept && { kind: 'concept', concept, services: existing(concept.services.map((s) => deps.content.service(s))) };
}

const certLabel = (c: { code: string; name: string }) => `${c.code} ${c.name.replace(/^AWS Certified /, '')}`;

/** An exam by code or name; a code that does not exist (AIP-C02) is not quietly read as its neighbour (AIP-C01). */
export function findCert(deps: StudyDeps, query: string, now: Date): CertCard | NotFound {
  const code = /^([a-z]{2,4})-?c(\d{2})$/i.exec(query.trim());
  if (code && !deps.content.certification(`${code[1]}-c${code[2]}`.toLowerCase())) {
    const family = deps.content.certifications.filter((c) => c.code.toLowerCase().startsWith(`${code[1]!.toLowerCase()}-`));
    return { kind: 'not-found', query, candidates: family.map((c) => ({ id: c.id, label: certLabel(c) })), ambiguous: false };
  }
  const found = deps.lookups.certs.find(query);
  if (found.kind !== 'found') return { kind: 'not-found', query, candidates: candidates(found, certLabel), ambiguous: found.kind === 'ambiguous' };
  return certCard(deps, found.item.id, now)!;
}

/** An exam's card by id. Exam dates are global: the card reads them as of today in UTC. */
export function certCard(deps: StudyDeps, id: string, now: Date): CertCard | undefined {
  const cert = deps.content.certification(id);
  if (!cert) return undefined;
  return {
    kind: 'cert',
    cert,
    status: certStatusOn(cert, now.toISOString().slice(0, 10)),
    successor: cert.retired?.successor ? deps.content.certification(cert.retired.successor) : undefined,
    tracks: deps.content.tracks.filter((t) => t.certifications.includes(cert.id)),
  };
}

export function catalogue(deps: StudyDeps): Catalogue {
  return { kind: 'tracks', tracks: deps.content.tracks, certOf: (id) => deps.content.certification(id) };
}

/**
 * A tip about the exam or service the caller names, else about the exam their study is for (their exam
 * date's, or their track's current phase), else from their track's pool (tagged with it, or for everyone).
 */
export async function tipForCaller(deps: StudyDeps, caller: Caller, about?: string): Promise<TipCard | NotFound> {
  let pool: Tip[];
  if (about) {
    const cert = findCert(deps, about, caller.now);
    const service = cert.kind === 'cert' ? undefined : findService(deps, about);
    if (cert.kind === 'cert') pool = deps.content.tips.filter((t) => t.certs.includes(cert.cert.id));
    else if (service?.kind === 'service') pool = deps.content.tips.filter((t) => t.services.includes(service.service.id));
    else return service?.kind === 'not-found' ? service : cert;
    if (pool.length === 0) return { kind: 'no-tips', about };
  } else {
    const cert = await studyExam(deps, caller);
    const trackId = (await deps.store.enrolments.current(caller.workspaceId, caller.userId))?.trackId;
    const ofCert = cert ? deps.content.tips.filter((t) => t.certs.includes(cert.id)) : [];
    pool = ofCert.length > 0 ? ofCert : forTrack(deps.content.tips, trackId);
  }
  const tip = pool[Math.floor(deps.random() * pool.length)];
  if (!tip) return { kind: 'no-tips' };
  return { kind: 'tip', tip, services: existing(tip.services.map((id) => deps.content.service(id))) };
}
