import type { Content } from '../content/content.js';
import type { Certification } from '../content/schema.js';
import { type TeamDomain, teamByDomain, teamWeakestDomain } from '../domain/review/team.js';
import type { Repositories, Subscription } from '../ports/store.js';

/** How far back the team's answers count: long enough to be many, short enough to follow progress. */
const WINDOW_DAYS = 28;

export interface TeamFocus {
  cert: Certification;
  domains: TeamDomain[];
  weakest: number | undefined;
}

/**
 * The exam a channel's quizzes prepare for (the first of its track's exams with questions) and how its team
 * does there by domain, from the channel's quiz answers; none for a channel that follows every track.
 */
export async function teamFocus(repos: Repositories, content: Content, sub: Subscription, now: Date): Promise<TeamFocus | undefined> {
  const track = sub.trackId ? content.track(sub.trackId) : undefined;
  const cert = track?.certifications.map((id) => content.certification(id)).find((c) => c && content.quiz.some((q) => q.cert === c.id));
  if (!cert) return undefined;
  const stats = await repos.quiz.teamAnswers(sub.workspaceId, sub.channelId, new Date(now.getTime() - WINDOW_DAYS * 86_400_000));
  const domains = teamByDomain(
    stats,
    content.quiz.filter((q) => q.cert === cert.id),
    cert.domains,
  );
  return { cert, domains, weakest: teamWeakestDomain(domains) };
}
