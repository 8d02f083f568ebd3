import type { Certification, Concept, Service, Track } from '../../content/schema.js';
import { ACTIONS, LOOKUP_ACTIONS } from '../action-ids.js';
import { actions, context, escapeMrkdwn, fields, header, link, message, section, type Block, type Message } from './blocks.js';

const SERVICE_STATUS_LABEL: Record<Service['status'], string> = {
  active: 'Active',
  renamed: 'Renamed',
  'closed-to-new-customers': 'Closed to new customers',
  'end-of-support': 'End of support',
  retired: 'Retired',
};

export function serviceCardView(s: Service, related: Service[], replacement: Service | undefined): Message {
  const blocks: Block[] = [header(s.name)];
  let lifecycleText = '';
  if (s.statusNote) {
    const label = s.status === 'active' ? 'Heads-up' : SERVICE_STATUS_LABEL[s.status];
    const instead = replacement ? ` Use *${replacement.name}* instead (\`/aipath service ${replacement.id}\`).` : '';
    lifecycleText = `*${label} (${s.statusNote.date}):* ${s.statusNote.note}${s.status === 'active' ? '' : instead}`;
    blocks.push(section(`${s.status === 'active' ? ':information_source:' : ':warning:'} ${lifecycleText}`));
  }
  blocks.push(section(s.description));
  blocks.push(section(`*When to pick it*\n${s.pickWhen.map((p) => `• ${p}`).join('\n')}`));
  const f: string[] = [];
  if (s.exams.length > 0)
    f.push(
      `*On the exams*\n${s.exams.map((e) => `${e.cert.toUpperCase()}${e.domains.length ? ` (domain${e.domains.length > 1 ? 's' : ''} ${e.domains.join(', ')})` : ''}`).join('\n')}`,
    );
  if (s.memoryHook) f.push(`*Memory hook*\n${s.memoryHook}`);
  if (related.length > 0) f.push(`*Related*\n${related.map((r) => r.name).join(', ')}`);
  f.push(`*Docs*\n${link(s.docs, 'Official documentation')}`);
  blocks.push(fields(f));
  blocks.push(context(`Category: ${s.category} · Status: ${SERVICE_STATUS_LABEL[s.status]}`));
  // Notifications show only this text: the service's name comes first.
  const text = `${s.name}: ${lifecycleText ? `${lifecycleText.replace(/\*/g, '')} ` : ''}${s.description}`;
  return message(text, blocks);
}

const CERT_STATUS_LABEL: Record<Certification['status'], string> = {
  active: 'Active',
  beta: 'In beta',
  upcoming: 'Upcoming',
  retiring: 'Retiring',
  retired: 'Retired',
};

export function certLifecycle(c: Certification, status: Certification['status'], successor: Certification | undefined): string | undefined {
  const next = successor
    ? ` Take *${successor.code}* (${successor.name}) instead: \`/aipath cert ${successor.id}\`.`
    : c.retired?.note
      ? ` ${c.retired.note}`
      : '';
  switch (status) {
    case 'retired':
      return `*Retired:* the last exam date was ${c.retired!.lastExamDate}.${next}`;
    case 'retiring':
      return `*Retiring:* the last exam date is ${c.retired!.lastExamDate}.${next}`;
    case 'beta':
      return `*In beta* since ${c.available}.`;
    case 'upcoming':
      return `*Opens* on ${c.available}.`;
    default:
      return undefined;
  }
}

export function certCardView(c: Certification, status: Certification['status'], successor: Certification | undefined, tracks: Track[]): Message {
  const lifecycle = certLifecycle(c, status, successor);
  const blocks: Block[] = [header(`${c.code}: ${c.name}`)];
  if (lifecycle) blocks.push(section(`${status === 'retired' || status === 'retiring' ? ':warning:' : ':information_source:'} ${lifecycle}`));
  if (c.renamed) blocks.push(context(`Formerly ${c.renamed.from} (renamed ${c.renamed.date}).`));
  blocks.push(fields([`*Level*\n${c.level[0]!.toUpperCase()}${c.level.slice(1)}`, `*Status*\n${CERT_STATUS_LABEL[status]}`]));
  blocks.push(section(`*Who it is for*\n${c.audience}\n_${c.experience}_`));
  blocks.push(
    section(
      c.domains.length > 0
        ? `*Domains*\n${c.domains.map((d) => `${d.number}. ${d.name}: *${d.weight}%*`).join('\n')}`
        : '*Domains*\nNot confirmed here yet: the certification page below links the exam guide with its domains and weights.',
    ),
  );
  const fmt = c.format;
  if (fmt) {
    const parts = [
      fmt.questions ? `${fmt.questions} questions` : '',
      fmt.minutes ? `${fmt.minutes} minutes` : '',
      fmt.passingScore ? `pass at ${fmt.passingScore}/1000` : '',
      fmt.priceUsd ? `USD ${fmt.priceUsd}` : '',
    ].filter(Boolean);
    if (parts.length || fmt.questionTypes?.length)
      blocks.push(section(`*Format*\n${parts.join(' · ')}${fmt.questionTypes?.length ? `\n${fmt.questionTypes.join(', ')}` : ''}`));
  }
  if (c.resources.length > 0) blocks.push(section(`*Prepare*\n${c.resources.map((r) => `• ${link(r.url, r.title)}`).join('\n')}`));
  if (tracks.length > 0) blocks.push(context(`Tracks that lead here: ${tracks.map((t) => `\`${t.id}\``).join(', ')}`));
  blocks.push(context(link(c.url, 'Certification page')));
  return message(
    `${lifecycle ? `${lifecycle.replace(/\*/g, '')} ` : ''}${c.code} ${c.name}${c.domains.length ? `: ${c.domains.map((d) => `${d.name} ${d.weight}%`).join('; ')}` : ''}`,
    blocks,
  );
}

const KIND_HINT = {
  service: { noun: 'service or topic', hint: 'Try a service name such as `bedrock` or `step functions`, or a topic such as `rag` or `vector database`.' },
  cert: { noun: 'certification', hint: 'Try an exam code such as `aif-c01`, `mla-c02` or `aip-c01`.' },
  track: { noun: 'track', hint: 'See `/aipath tracks` for all of them.' },
} as const;

/** A concept answers with the services that implement it, each one a button to its card. */
export function conceptView(concept: Concept, services: Service[]): Message {
  const lines = services.map((s) => `• *${s.name}*${s.status === 'active' ? '' : ` _(${SERVICE_STATUS_LABEL[s.status].toLowerCase()})_`}: ${s.description}`);
  return message(`${concept.name}: ${services.map((s) => s.name).join(', ')}`, [
    header(concept.name),
    section(concept.description),
    section(`*Services that do it on AWS*\n${lines.join('\n')}`),
    actions(services.map((s) => ({ text: s.name, ...ACTIONS.lookupService.ref(s.id) }))),
    context('Open a card for when to pick each one, and how the exams test it.'),
  ]);
}

/**
 * "Did you mean" buttons: each one runs the command again for that exact record. `ambiguous` says the
 * query fits several records equally; otherwise these are near misses of a query that fits none.
 */
export function didYouMeanView(
  kind: keyof typeof KIND_HINT,
  query: string,
  options: { id: string; label: string; kind?: 'service' | 'concept' }[],
  ambiguous = false,
): Message {
  const q = escapeMrkdwn(query.slice(0, 80));
  if (options.length === 0) {
    const { noun, hint } = KIND_HINT[kind];
    return message(`I couldn't find a ${noun} matching "${query.slice(0, 80)}".`, [section(`:mag: I couldn't find a ${noun} matching *${q}*. ${hint}`)]);
  }
  return message(`Did you mean: ${options.map((o) => o.label).join(', ')}?`, [
    section(
      ambiguous ? `:mag: *${q}* could be more than one thing. Did you mean:` : `:mag: I couldn't find a ${KIND_HINT[kind].noun} matching *${q}*. Did you mean:`,
    ),
    actions(options.map((o) => ({ text: o.label, ...LOOKUP_ACTIONS[o.kind ?? kind].ref(o.id) }))),
  ]);
}
