import type { Content } from './content.js';
import { Lookup } from './lookup.js';
import type { Concept, Service } from './schema.js';

/** What `/aipath service` can answer with: a service, or a concept and the services behind it. */
export type Findable = { kind: 'service'; id: string; name: string; service: Service } | { kind: 'concept'; id: string; name: string; concept: Concept };

export type ServiceAnswer =
  | { kind: 'service'; service: Service }
  | { kind: 'concept'; concept: Concept; services: Service[] }
  | { kind: 'ambiguous'; candidates: Findable[] }
  | { kind: 'none'; suggestions: Findable[] };

/**
 * Finds services by name, alias or typo, and concepts ("vector database", "fine tuning") by what
 * they are called: a concept answers with its short list of services, not with near-spellings.
 * On an exact tie a current service wins over a concept, and a concept over a closed service.
 */
export class ServiceFinder {
  private readonly lookup: Lookup<Findable>;

  constructor(private readonly content: Pick<Content, 'services' | 'concepts' | 'service'>) {
    const items: Findable[] = [
      ...content.services.map((s): Findable => ({ kind: 'service', id: s.id, name: s.name, service: s })),
      ...content.concepts.map((c): Findable => ({ kind: 'concept', id: c.id, name: c.name, concept: c })),
    ];
    this.lookup = new Lookup(
      items,
      (f) =>
        f.kind === 'service' ? [f.service.id, f.service.name, ...f.service.aliases] : [f.concept.name, ...f.concept.aliases, f.concept.id.replace(/-/g, ' ')],
      (f) => (f.kind === 'concept' ? 1 : f.service.status === 'active' ? 0 : 2),
      (f) => (f.kind === 'concept' ? f.concept.description : `${f.service.description} ${f.service.pickWhen.join(' ')}`),
    );
  }

  find(query: string): ServiceAnswer {
    const r = this.lookup.find(query);
    if (r.kind === 'ambiguous') return { kind: 'ambiguous', candidates: r.candidates };
    if (r.kind === 'none') return { kind: 'none', suggestions: r.suggestions };
    const f = r.item;
    if (f.kind === 'service') return { kind: 'service', service: f.service };
    return { kind: 'concept', concept: f.concept, services: f.concept.services.map((id) => this.content.service(id)).filter((s) => s !== undefined) };
  }
}
