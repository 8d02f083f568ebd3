import type { Service, Tip } from '../../content/schema.js';
import { context, message, section, type Message } from './blocks.js';

const KIND_LABEL: Record<Tip['kind'], string> = {
  'exam-trap': ':rotating_light: Exam trap',
  'memory-hook': ':brain: Memory hook',
  'decision-boundary': ':scales: Decision boundary',
  'quick-note': ':pushpin: Quick note',
  project: ':hammer_and_wrench: Project idea',
  career: ':compass: Career',
};

export function tipView(tip: Tip, services: Service[]): Message {
  const tags = [...tip.certs.map((c) => c.toUpperCase()), ...services.map((s) => s.name)];
  return message(`${KIND_LABEL[tip.kind].replace(/:[a-z_]+: /, '')}: ${tip.text}`, [
    section(`*${KIND_LABEL[tip.kind]}*\n${tip.text}`),
    ...(tags.length ? [context(tags.join(' · '))] : []),
  ]);
}
