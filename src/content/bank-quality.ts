import type { Content, ContentIssue } from './content.js';
import type { QuizQuestion } from './schema.js';
import { TASK_TAGGED_EXAMS } from './cross-check.js';

/** What the bank must reach for each exam it prepares for (issue: a question bank at exam scale). */
export const BANK_GOALS = {
  questionsPerExam: 100,
  /** Each domain holds at least this share of its weighted share of the exam's questions. */
  domainShareOfWeight: 0.8,
  /** Multiple response, ordering and matching together: about a fifth, as on the exams. */
  otherTypesShare: { min: 0.15, max: 0.35 },
  /** Single-choice answers per position (A–D) as a share of the exam's single questions. */
  positionShare: { min: 0.15, max: 0.35 },
  /** The right option may be the uniquely longest one in at most this share of choice questions. */
  longestTell: 1 / 3,
} as const;

export interface DomainCoverage {
  domain: number;
  name: string;
  weight: number;
  questions: number;
  tips: number;
  /** Questions needed for this domain at the exam's current size. */
  needed: number;
}

export interface ExamCoverage {
  cert: string;
  questions: number;
  tips: number;
  byType: Record<QuizQuestion['type'], number>;
  domains: DomainCoverage[];
  positionShares: number[];
  longestTellShare: number;
}

const LETTERS = 'ABCD';

/** The index of the uniquely longest option when it is a correct one, else -1. */
function uniquelyLongestIsCorrect(q: Extract<QuizQuestion, { options: unknown }>): boolean {
  const lengths = q.options.map((o) => o.text.length);
  const max = Math.max(...lengths);
  const longest = lengths.flatMap((l, i) => (l === max ? [i] : []));
  return longest.length === 1 && q.options[longest[0]!]!.correct;
}

export function examCoverage(c: Content, certId: string): ExamCoverage | undefined {
  const cert = c.certification(certId);
  if (!cert) return undefined;
  const questions = c.quiz.filter((q) => q.cert === certId);
  const tips = c.tips.filter((t) => t.certs[0] === certId);
  const byType = { single: 0, multiple: 0, ordering: 0, matching: 0 };
  for (const q of questions) byType[q.type] += 1;
  const singles = questions.flatMap((q) => (q.type === 'single' ? [q] : []));
  const positions = [0, 0, 0, 0];
  for (const q of singles) positions[q.options.findIndex((o) => o.correct)]! += 1;
  const choice = questions.flatMap((q) => (q.type === 'single' || q.type === 'multiple' ? [q] : []));
  const total = Math.max(questions.length, BANK_GOALS.questionsPerExam);
  return {
    cert: certId,
    questions: questions.length,
    tips: tips.length,
    byType,
    domains: cert.domains.map((d) => ({
      domain: d.number,
      name: d.name,
      weight: d.weight,
      questions: questions.filter((q) => q.domain === d.number).length,
      tips: tips.filter((t) => t.domain === d.number).length,
      needed: Math.ceil(((total * d.weight) / 100) * BANK_GOALS.domainShareOfWeight),
    })),
    positionShares: positions.map((n) => (singles.length ? n / singles.length : 0)),
    longestTellShare: choice.length ? choice.filter(uniquelyLongestIsCorrect).length / choice.length : 0,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Lifecycle facts that a date can make stale: a service recorded as closed, unsupported or retired
 * before the day that happens. (Certification statuses are read from their dates, so they cannot go stale.)
 */
export function lifecycleIssues(c: Content, today: string): ContentIssue[] {
  return c.services.flatMap((s) =>
    s.status !== 'active' && s.statusNote && s.statusNote.date > today
      ? [
          {
            file: c.origin.get(`service:${s.id}`) ?? 'content/services',
            id: s.id,
            field: 'status',
            message: `is ${s.status} from ${s.statusNote.date}, after today (${today}): keep it active with a dated note until then`,
          },
        ]
      : [],
  );
}

/** The bank-wide rules: counts, domain spread, question types and answer tells, per exam. */
export function bankIssues(c: Content): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const certId of TASK_TAGGED_EXAMS) {
    const cov = examCoverage(c, certId);
    if (!cov) continue;
    const at = (message: string): void => void issues.push({ file: 'content/quiz', id: certId, message });
    if (cov.questions < BANK_GOALS.questionsPerExam) at(`has ${cov.questions} questions; the bank needs at least ${BANK_GOALS.questionsPerExam}`);
    for (const d of cov.domains) {
      if (d.questions < d.needed) at(`domain ${d.domain} has ${d.questions} questions; it needs at least ${d.needed} (80% of its ${d.weight}% weight)`);
    }
    const others = (cov.byType.multiple + cov.byType.ordering + cov.byType.matching) / Math.max(cov.questions, 1);
    const { min, max } = BANK_GOALS.otherTypesShare;
    if (others < min || others > max)
      at(`multiple, ordering and matching questions are ${pct(others)} of the exam's; keep them between ${pct(min)} and ${pct(max)}`);
    cov.positionShares.forEach((share, i) => {
      if (share < BANK_GOALS.positionShare.min || share > BANK_GOALS.positionShare.max) {
        at(
          `the right answer is ${LETTERS[i]} in ${pct(share)} of single-choice questions; keep each position between ${pct(BANK_GOALS.positionShare.min)} and ${pct(BANK_GOALS.positionShare.max)}`,
        );
      }
    });
    if (cov.longestTellShare > BANK_GOALS.longestTell)
      at(`the right option is the uniquely longest in ${pct(cov.longestTellShare)} of choice questions; at most a third is allowed`);
  }
  return issues;
}

/** A plain-text table for `aipath content check`. */
export function coverageTable(c: Content): string {
  const lines: string[] = [];
  for (const certId of TASK_TAGGED_EXAMS) {
    const cov = examCoverage(c, certId);
    if (!cov) continue;
    const t = cov.byType;
    lines.push(
      `${certId.toUpperCase()}: ${cov.questions} questions (single ${t.single}, multiple ${t.multiple}, ordering ${t.ordering}, matching ${t.matching}), ${cov.tips} tips; answers A–D ${cov.positionShares.map(pct).join('/')}; longest-is-right ${pct(cov.longestTellShare)}`,
    );
    lines.push('  domain  weight  questions  needed  tips  name');
    for (const d of cov.domains) {
      lines.push(
        `  ${String(d.domain).padEnd(6)}  ${`${d.weight}%`.padEnd(6)}  ${String(d.questions).padEnd(9)}  ${String(d.needed).padEnd(6)}  ${String(d.tips).padEnd(4)}  ${d.name}`,
      );
    }
  }
  return lines.join('\n');
}
