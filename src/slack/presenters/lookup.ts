import type { NotFound } from '../../services/context.js';
import type { Catalogue, CertCard, ConceptCard, ServiceCard, TipCard } from '../../services/lookup.js';
import type { Message } from '../views/blocks.js';
import { noticeView } from '../views/help.js';
import { certCardView, conceptView, didYouMeanView, serviceCardView } from '../views/lookup.js';
import { tipView } from '../views/tip.js';
import { tracksView } from '../views/tracks.js';
import { ephemeral, type Reply } from './reply.js';

/** A card's message; undefined for a record that no longer exists (an old button). */
export function cardView(card: ServiceCard | ConceptCard | CertCard | undefined): Message | undefined {
  switch (card?.kind) {
    case undefined:
      return undefined;
    case 'service':
      return serviceCardView(card.service, card.related, card.replacement);
    case 'concept':
      return conceptView(card.concept, card.services);
    case 'cert':
      return certCardView(card.cert, card.status, card.successor, card.tracks);
  }
}

export function presentLookup(r: ServiceCard | ConceptCard | CertCard | NotFound, what: 'service' | 'cert'): Reply {
  if (r.kind === 'not-found') return ephemeral(didYouMeanView(what, r.query, r.candidates, r.ambiguous));
  return ephemeral(cardView(r)!);
}

export const presentCatalogue = (c: Catalogue): Reply => ephemeral(tracksView(c.tracks, c.certOf));

export function presentTip(r: TipCard | NotFound): Reply {
  if (r.kind === 'not-found') return ephemeral(didYouMeanView('service', r.query, r.candidates, r.ambiguous));
  if (r.kind === 'no-tips') return ephemeral(noticeView(r.about ? `There are no tips about ${r.about} yet.` : 'There are no tips for your track yet.'));
  return ephemeral(tipView(r.tip, r.services));
}
