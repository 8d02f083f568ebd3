/**
 * A channel's team, by exam domain: how it answers the channel's quizzes. Aggregates only: nothing here is
 * about one person, so it can be shown in the channel.
 */
import { type ExamDomain, nextDomainToStudy, unseenPrior } from './readiness.js';

export interface TeamDomain extends ExamDomain {
  answered: number;
  correct: number;
  /** The share the team gets right, shrunk toward the guessing floor while answers are few. */
  estimate: number;
}

export function teamByDomain(
  stats: ReadonlyMap<string, { answered: number; correct: number }>,
  questions: readonly { id: string; domain?: number | undefined }[],
  domains: readonly ExamDomain[],
): TeamDomain[] {
  const domainOf = new Map(questions.map((q) => [q.id, q.domain]));
  const totals = new Map(domains.map((d) => [d.number, { answered: 0, correct: 0 }]));
  for (const [questionId, s] of stats) {
    const t = totals.get(domainOf.get(questionId) ?? -1);
    if (!t) continue;
    t.answered += s.answered;
    t.correct += s.correct;
  }
  return domains.map((d) => {
    const t = totals.get(d.number)!;
    return { ...d, ...t, estimate: unseenPrior(t.answered, t.correct) };
  });
}

/** Where the team gains most: the largest weight × (1 − estimate), as for one learner. */
export function teamWeakestDomain(team: readonly TeamDomain[]): number | undefined {
  return nextDomainToStudy(
    team.map((d) => ({ domain: d.number, readiness: d.estimate })),
    team,
  );
}
