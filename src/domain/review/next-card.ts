/**
 * Which question a review session shows next: the due card the learner is likeliest to have forgotten,
 * then a question never seen from the domain where study gains the most exam score.
 */
import { type RecallInputs, recall } from './memory.js';
import { type DomainReadiness, type ExamDomain, nextDomainToStudy } from './readiness.js';

export interface BankQuestion {
  id: string;
  domain: number | undefined;
}

export type NextCard = { kind: 'due'; questionId: string; recall: number } | { kind: 'new'; questionId: string; domain: number | undefined } | { kind: 'none' };

export interface NextCardInput {
  /** The learner's cards due by `now`. */
  due: readonly { questionId: string; card: RecallInputs }[];
  /** The exam's questions, and which of them the learner has ever answered. */
  bank: readonly BankQuestion[];
  seen: ReadonlySet<string>;
  readiness: readonly Pick<DomainReadiness, 'domain' | 'readiness'>[];
  domains: readonly ExamDomain[];
  /** Questions to pass over (the one just answered, so a wrong answer is not asked again at once). */
  skip?: ReadonlySet<string>;
  now: Date;
  random: () => number;
  /** false: only due cards (when the learner asked for reviews, not new questions). */
  allowNew?: boolean;
}

export function nextCard(input: NextCardInput): NextCard {
  const skip = input.skip ?? new Set<string>();
  let best: { questionId: string; recall: number } | undefined;
  for (const { questionId, card } of input.due) {
    if (skip.has(questionId)) continue;
    const r = recall(card, input.now);
    if (!best || r < best.recall || (r === best.recall && questionId < best.questionId)) best = { questionId, recall: r };
  }
  if (best) return { kind: 'due', ...best };
  if (input.allowNew === false) return { kind: 'none' };
  const unseen = input.bank.filter((q) => !input.seen.has(q.id) && !skip.has(q.id));
  if (unseen.length === 0) return { kind: 'none' };
  // Only domains that still have unseen questions compete; a fully seen domain gains from reviews, not new cards.
  const open = new Set(unseen.map((q) => q.domain));
  const domain = nextDomainToStudy(
    input.readiness,
    input.domains.filter((d) => open.has(d.number)),
  );
  const pool = domain === undefined ? unseen : unseen.filter((q) => q.domain === domain);
  const pick = pool[Math.floor(input.random() * pool.length)] ?? unseen[0]!;
  return { kind: 'new', questionId: pick.id, domain: pick.domain };
}
