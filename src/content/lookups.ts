import type { Content } from './load.js';
import { Lookup } from './lookup.js';
import type { Certification, Track } from './schema.js';
import { ServiceFinder } from './service-finder.js';

export interface Lookups {
  services: ServiceFinder;
  certs: Lookup<Certification>;
  tracks: Lookup<Track>;
}

/** Current exams win ties over retired versions of the same certification ("ml engineer associate"). */
const CERT_PREFERENCE: Record<Certification['status'], number> = { active: 0, beta: 0, retiring: 1, upcoming: 2, retired: 3 };

export function buildLookups(content: Content): Lookups {
  return {
    services: new ServiceFinder(content),
    certs: new Lookup(
      content.certifications,
      (c) => [c.id, c.code, c.name, ...c.aliases],
      (c) => CERT_PREFERENCE[c.status],
    ),
    tracks: new Lookup(
      content.tracks,
      (t) => [t.id, t.title, ...t.aliases],
      () => 0,
      (t) => t.audience,
    ),
  };
}
