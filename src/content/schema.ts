import { z } from 'zod';

/** Length limits keep every text inside the Block Kit element that renders it (see DESIGN.md). */
export const LIMITS = {
  title: 120,
  line: 200,
  item: 300,
  tip: 280,
  question: 400,
  option: 150,
  explanation: 500,
  why: 200,
  paragraph: 600,
} as const;

const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case kebab-case like bedrock-guardrails');
const httpsUrl = z.string().url().startsWith('https://', 'must be an https:// URL');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-31');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const link = z.object({ title: text(LIMITS.title), url: httpsUrl }).strict();
const sources = z.array(httpsUrl).default([]);

export const TrackSchema = z
  .object({
    id,
    aliases: z.array(text(40)).default([]),
    title: text(LIMITS.title),
    audience: text(LIMITS.paragraph),
    summary: text(LIMITS.paragraph),
    horizon: text(LIMITS.paragraph * 2).optional(),
    certifications: z.array(id).min(1),
    projects: z.array(z.object({ title: text(LIMITS.title), description: text(LIMITS.paragraph) }).strict()).min(1),
    weeks: z
      .array(
        z
          .object({
            week: z.number().int().min(1),
            title: text(LIMITS.title),
            goals: z.array(text(LIMITS.item)).min(1).max(4),
            tasks: z.array(text(LIMITS.item)).min(1).max(6),
            links: z.array(link).max(4).default([]),
            cert: id.optional(),
            domain: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    sources,
  })
  .strict();

export const CERT_STATUSES = ['active', 'beta', 'upcoming', 'retiring', 'retired'] as const;
export const CERT_LEVELS = ['foundational', 'associate', 'professional', 'specialty'] as const;

export const CertificationSchema = z
  .object({
    id,
    code: z.string().regex(/^[A-Z]{2,4}-C\d{2}$/, 'must be an exam code like AIP-C01'),
    name: text(LIMITS.title),
    aliases: z.array(text(60)).default([]),
    level: z.enum(CERT_LEVELS),
    status: z.enum(CERT_STATUSES),
    available: isoDate.optional(),
    retired: z
      .object({
        lastExamDate: isoDate,
        successor: id.optional(),
        /** Said instead when AWS named no successor: what to consider, in one sentence. */
        note: text(LIMITS.item).optional(),
      })
      .strict()
      .optional(),
    renamed: z
      .object({ from: text(LIMITS.title), date: isoDate })
      .strict()
      .optional(),
    /** The day status, dates and successor were last checked against AWS. */
    verified: isoDate.optional(),
    audience: text(LIMITS.paragraph),
    experience: text(LIMITS.paragraph),
    /** Empty only while the exam guide's domains could not be verified; the card says so. */
    domains: z.array(z.object({ number: z.number().int().min(1), name: text(LIMITS.title), weight: z.number().positive() }).strict()).default([]),
    format: z
      .object({
        questions: z.number().int().positive().optional(),
        minutes: z.number().int().positive().optional(),
        passingScore: z.number().int().min(100).max(1000).optional(),
        priceUsd: z.number().positive().optional(),
        questionTypes: z.array(text(60)).optional(),
      })
      .strict()
      .optional(),
    resources: z.array(link).default([]),
    url: httpsUrl,
    sources,
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.status === 'retired' || c.status === 'retiring') && !c.retired) {
      ctx.addIssue({ code: 'custom', path: ['retired'], message: `is required when status is ${c.status}` });
    }
    if (c.status !== 'active' && !c.verified) {
      ctx.addIssue({ code: 'custom', path: ['verified'], message: `is required when status is ${c.status}: the day this was last checked` });
    }
    if ((c.status === 'beta' || c.status === 'upcoming') && !c.available) {
      ctx.addIssue({ code: 'custom', path: ['available'], message: `is required when status is ${c.status}` });
    }
  });

export const SERVICE_CATEGORIES = [
  'ml-platform',
  'generative-ai',
  'ai-assistant',
  'language',
  'vision',
  'document',
  'search',
  'forecasting-recommendation',
  'data',
  'integration',
  'compute',
  'security',
  'monitoring',
  'delivery',
  'developer-tools',
] as const;
export const SERVICE_STATUSES = ['active', 'renamed', 'closed-to-new-customers', 'end-of-support', 'retired'] as const;

export const ServiceSchema = z
  .object({
    id,
    name: text(LIMITS.title),
    aliases: z.array(text(60)).default([]),
    category: z.enum(SERVICE_CATEGORIES),
    description: text(LIMITS.line),
    pickWhen: z.array(text(LIMITS.item)).min(1).max(5),
    exams: z.array(z.object({ cert: id, domains: z.array(z.number().int().min(1)).default([]) }).strict()).default([]),
    memoryHook: text(LIMITS.item).optional(),
    related: z.array(id).default([]),
    docs: httpsUrl,
    status: z.enum(SERVICE_STATUSES),
    statusNote: z
      .object({ date: isoDate, replacement: id.optional(), note: text(LIMITS.item), verified: isoDate, source: httpsUrl })
      .strict()
      .optional(),
    sources,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.status !== 'active' && !s.statusNote) {
      ctx.addIssue({ code: 'custom', path: ['statusNote'], message: `is required when status is ${s.status}` });
    }
  });

/** Something learners search for by idea rather than by product ("vector database"), and the services that do it. */
export const ConceptSchema = z
  .object({
    id,
    name: text(LIMITS.title),
    aliases: z.array(text(60)).default([]),
    description: text(LIMITS.line),
    services: z.array(id).min(1).max(6),
  })
  .strict();

export const TIP_KINDS = ['exam-trap', 'memory-hook', 'decision-boundary', 'quick-note', 'project', 'career'] as const;

export const TipSchema = z
  .object({
    id,
    kind: z.enum(TIP_KINDS),
    text: text(LIMITS.tip),
    certs: z.array(id).default([]),
    domain: z.number().int().min(1).optional(),
    tracks: z.array(id).default([]),
    services: z.array(id).default([]),
    sources,
  })
  .strict();

const taskStatement = z.string().regex(/^\d+\.\d+$/, 'must be a task statement like "2.3"');
const questionBase = {
  id,
  question: text(LIMITS.question),
  explanation: text(LIMITS.explanation),
  cert: id,
  domain: z.number().int().min(1).optional(),
  task: taskStatement.optional(),
  tracks: z.array(id).default([]),
  services: z.array(id).default([]),
  sources: z.array(httpsUrl).min(1, 'must cite at least one https source'),
};
const choice = z.object({ text: text(LIMITS.option), correct: z.boolean().default(false), why: text(LIMITS.why).optional() }).strict();

const SingleQuestionSchema = z
  .object({ ...questionBase, type: z.literal('single'), options: z.array(choice).min(3, 'must have 3 or 4 options').max(4, 'must have 3 or 4 options') })
  .strict();
const MultipleQuestionSchema = z
  .object({ ...questionBase, type: z.literal('multiple'), options: z.array(choice).min(5, 'must have 5 or 6 options').max(6, 'must have 5 or 6 options') })
  .strict();
const OrderingQuestionSchema = z
  .object({
    ...questionBase,
    type: z.literal('ordering'),
    steps: z.array(text(LIMITS.option)).min(3, 'must have 3 to 5 steps').max(5, 'must have 3 to 5 steps'),
  })
  .strict();
const MatchingQuestionSchema = z
  .object({
    ...questionBase,
    type: z.literal('matching'),
    pairs: z
      .array(z.object({ item: text(LIMITS.option), match: text(LIMITS.option) }).strict())
      .min(3, 'must have 3 to 5 pairs')
      .max(5, 'must have 3 to 5 pairs'),
  })
  .strict();

/** `type` may be left out for the common single-choice question. */
export const QuizQuestionSchema = z.preprocess(
  (raw) => (raw && typeof raw === 'object' && !Array.isArray(raw) && !('type' in raw) ? { ...raw, type: 'single' } : raw),
  z.discriminatedUnion('type', [SingleQuestionSchema, MultipleQuestionSchema, OrderingQuestionSchema, MatchingQuestionSchema]),
);

export type Track = z.infer<typeof TrackSchema>;
export type Week = Track['weeks'][number];
export type Certification = z.infer<typeof CertificationSchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type Tip = z.infer<typeof TipSchema>;
export type Concept = z.infer<typeof ConceptSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;
