import type { Certification, Track, Week } from '../../content/schema.js';
import { ACTIONS } from '../action-ids.js';
import { actions, context, divider, fields, header, link, message, section, type Block, type Message } from './blocks.js';

export const certLabel = (certs: (Certification | undefined)[]) =>
  certs
    .filter((c): c is Certification => !!c)
    .map((c) => c.code)
    .join(' → ');

export function tracksView(tracks: Track[], certOf: (id: string) => Certification | undefined): Message {
  const blocks: Block[] = [header('Study tracks'), section('Join one with `/aipath start <track>`. Switching later keeps your progress.')];
  for (const t of tracks) {
    blocks.push(divider());
    blocks.push(section(`*${t.title}*  \`${t.id}\`\n${t.audience}\n_${t.weeks.length} weeks · ${certLabel(t.certifications.map(certOf))}_`));
  }
  return message(`aipath tracks: ${tracks.map((t) => t.id).join(', ')}`, blocks);
}

export function milestoneBlocks(week: Week, weekNumber: number, totalWeeks: number): Block[] {
  const blocks: Block[] = [section(`*Week ${weekNumber} of ${totalWeeks}: ${week.title}*\n${week.goals.map((g) => `• ${g}`).join('\n')}`)];
  blocks.push(section(`*Tasks*\n${week.tasks.map((t) => `☐ ${t}`).join('\n')}`));
  if (week.links.length > 0) blocks.push(context(week.links.map((l) => link(l.url, l.title)).join(' · ')));
  return blocks;
}

export interface EnrolledViewInput {
  track: Track;
  certs: Certification[];
  week: number;
  resumed: boolean;
  alreadyCurrent: boolean;
  nextNudge: string;
}

export function enrolledView(v: EnrolledViewInput): Message {
  const { track } = v;
  const milestone = track.weeks[v.week - 1]!;
  const lead = v.alreadyCurrent
    ? `You are already on *${track.title}*, nothing changed.`
    : v.resumed
      ? `Welcome back to *${track.title}*: your earlier progress is kept.`
      : `You're on *${track.title}*. Week 1 starts today.`;
  return message(`${lead.replace(/\*/g, '')} Week ${v.week} of ${track.weeks.length}: ${milestone.title}`, [
    header(`${track.title}`),
    section(lead),
    fields([`*Length*\n${track.weeks.length} weeks`, `*Exams*\n${v.certs.map((c) => `${c.code} ${c.name.replace(/^AWS Certified /, '')}`).join('\n')}`]),
    section(`*The plan*\n${planOverview(track)}`),
    divider(),
    ...milestoneBlocks(milestone, v.week, track.weeks.length),
    context(`Next nudge: ${v.nextNudge}`),
    actions([
      { text: 'Mark this week done', ...ACTIONS.milestoneDone.ref(), style: 'primary' },
      { text: 'My status', ...ACTIONS.showStatus.ref() },
    ]),
  ]);
}

/** Consecutive weeks serving the same certification collapse into one line of the overview. */
export function planOverview(track: Track): string {
  const lines: string[] = [];
  let start = 1;
  for (let i = 1; i <= track.weeks.length; i++) {
    const w = track.weeks[i - 1]!;
    const next = track.weeks[i];
    if (!next || (next.cert ?? '') !== (w.cert ?? '')) {
      const span = start === i ? `Week ${i}` : `Weeks ${start}–${i}`;
      const titles = track.weeks.slice(start - 1, i).map((x) => x.title);
      const what = w.cert ? `${w.cert.toUpperCase()} prep` : titles.length === 1 ? titles[0] : `${titles[0]} … ${titles[titles.length - 1]}`;
      lines.push(`• ${span}: ${what}`);
      start = i + 1;
    }
  }
  return lines.join('\n');
}
