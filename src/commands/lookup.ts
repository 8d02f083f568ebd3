import type { LookupResult } from '../content/lookup.js';
import { certStatusOn } from '../domain/lifecycle.js';
import { forTrack } from '../domain/pools.js';
import { didYouMeanView, certCardView, conceptView, serviceCardView } from '../slack/views/lookup.js';
import { tipView } from '../slack/views/tip.js';
import { noticeView } from '../slack/views/help.js';
import { tracksView } from '../slack/views/tracks.js';
import { ephemeral, type CommandContext, type Reply, type StudyDeps } from './context.js';

function options<T extends { id: string }>(result: LookupResult<T>, label: (t: T) => string) {
  const items = result.kind === 'ambiguous' ? result.candidates : result.kind === 'none' ? result.suggestions : [];
  return items.map((t) => ({ id: t.id, label: label(t) }));
}

export function service(deps: StudyDeps, query: string): Reply {
  const found = deps.lookups.services.find(query);
  if (found.kind === 'service') return ephemeral(serviceCardByRecord(deps, found.service.id)!);
  if (found.kind === 'concept') return ephemeral(conceptView(found.concept, found.services));
  const items = found.kind === 'ambiguous' ? found.candidates : found.suggestions;
  return ephemeral(
    didYouMeanView(
      'service',
      query,
      items.map((f) => ({ id: f.id, label: f.name, kind: f.kind })),
      found.kind === 'ambiguous',
    ),
  );
}

/** A concept's card by id, for its "did you mean" button. */
export function conceptCardByRecord(deps: StudyDeps, id: string) {
  const concept = deps.content.concepts.find((c) => c.id === id);
  return (
    concept &&
    conceptView(
      concept,
      concept.services.map((s) => deps.content.service(s)).filter((s) => s !== undefined),
    )
  );
}

export function serviceCardByRecord(deps: StudyDeps, id: string) {
  const s = deps.content.service(id);
  if (!s) return undefined;
  const related = s.related.map((r) => deps.content.service(r)).filter((r) => r !== undefined);
  const replacement = s.statusNote?.replacement ? deps.content.service(s.statusNote.replacement) : undefined;
  return serviceCardView(s, related, replacement);
}

export function cert(deps: StudyDeps, query: string, now: Date): Reply {
  const label = (c: { code: string; name: string }) => `${c.code} ${c.name.replace(/^AWS Certified /, '')}`;
  // An exam code that does not exist (AIP-C02) is not quietly read as its neighbour (AIP-C01).
  const code = /^([a-z]{2,4})-?c(\d{2})$/i.exec(query.trim());
  if (code && !deps.content.certification(`${code[1]}-c${code[2]}`.toLowerCase())) {
    const family = deps.content.certifications.filter((c) => c.code.toLowerCase().startsWith(`${code[1]!.toLowerCase()}-`));
    return ephemeral(
      didYouMeanView(
        'cert',
        query,
        family.map((c) => ({ id: c.id, label: label(c) })),
      ),
    );
  }
  const found = deps.lookups.certs.find(query);
  if (found.kind !== 'found') return ephemeral(didYouMeanView('cert', query, options(found, label), found.kind === 'ambiguous'));
  return ephemeral(certCardByRecord(deps, found.item.id, now)!);
}

/** Exam dates are global; the card reads them as of today in UTC. */
export function certCardByRecord(deps: StudyDeps, id: string, now: Date) {
  const c = deps.content.certification(id);
  if (!c) return undefined;
  const successor = c.retired?.successor ? deps.content.certification(c.retired.successor) : undefined;
  const status = certStatusOn(c, now.toISOString().slice(0, 10));
  return certCardView(
    c,
    status,
    successor,
    deps.content.tracks.filter((t) => t.certifications.includes(c.id)),
  );
}

export function tracks(deps: StudyDeps): Reply {
  return ephemeral(tracksView(deps.content.tracks, (id) => deps.content.certification(id)));
}

/** Tips for a track are those tagged with it plus the untagged ones meant for everyone. */
export async function tip(deps: StudyDeps, ctx: CommandContext): Promise<Reply> {
  const trackId = (await deps.store.enrolments.current(ctx.workspaceId, ctx.userId))?.trackId;
  const pool = forTrack(deps.content.tips, trackId);
  const chosen = pool[Math.floor(deps.random() * pool.length)];
  if (!chosen) return ephemeral(noticeView('There are no tips for your track yet.'));
  return ephemeral(
    tipView(
      chosen,
      chosen.services.map((id) => deps.content.service(id)).filter((s) => s !== undefined),
    ),
  );
}
