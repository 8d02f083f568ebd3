import type { Content } from './content.js';
import { Lookup } from './lookup.js';
import type { Certification, Track } from './schema.js';
import { ServiceFinder } from './service-finder.js';

export interface Lookups {
  readonly services: ServiceFinder;
  readonly certs: Lookup<Certification>;
  readonly tracks: Lookup<Track>;
}

/** Current exams win ties over retired versions of the same certification ("ml engineer associate"). */
const CERT_PREFERENCE: Record<Certification['status'], number> = { active: 0, beta: 0, retiring: 1, upcoming: 2, retired: 3 };

/** `make()` on first call, the same value ever after. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

/**
 * The name lookups over the content. Each index (normalised names, word stems, a Fuse.js index) is built on
 * its first use rather than at start: most processes (a tick, a start that serves no lookup yet) never need all.
 */
export function buildLookups(content: Content): Lookups {
  const services = once(() => new ServiceFinder(content));
  const certs = once(
    () =>
      new Lookup(
        content.certifications,
        (c) => [c.id, c.code, c.name, ...c.aliases],
        (c) => CERT_PREFERENCE[c.status],
      ),
  );
  const tracks = once(
    () =>
      new Lookup(
        content.tracks,
        (t) => [t.id, t.title, ...t.aliases],
        () => 0,
        (t) => t.audience,
      ),
  );
  return {
    get services() {
      return services();
    },
    get certs() {
      return certs();
    },
    get tracks() {
      return tracks();
    },
  };
}
