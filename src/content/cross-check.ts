import type { Content, ContentIssue } from './content.js';
import type { QuizQuestion } from './schema.js';

/** The exams the bank is built for: their questions carry the guide's task statement. */
export const TASK_TAGGED_EXAMS = new Set(['aif-c01', 'mla-c02', 'aip-c01']);
const CHOOSE_WORDS: Record<number, string> = { 2: 'two', 3: 'three' };

const normalizeAlias = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

/** Checks that span records: references resolve, weights add up, names are unambiguous. */
export function crossCheck(c: Content): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const fileOf = (kind: string, id: string) => c.origin.get(`${kind}:${id}`) ?? 'content';
  const need = (ok: boolean, kind: string, id: string, field: string, message: string) => {
    if (!ok) issues.push({ file: fileOf(kind, id), id, field, message });
  };
  const certHasDomain = (certId: string, domain: number) => c.certification(certId)?.domains.some((d) => d.number === domain) ?? false;

  for (const t of c.tracks) {
    t.certifications.forEach((cert, i) => {
      need(!!c.certification(cert), 'track', t.id, `certifications.${i}`, `names unknown certification "${cert}"`);
    });
    t.weeks.forEach((w, i) => {
      need(w.week === i + 1, 'track', t.id, `weeks.${i}.week`, `must be ${i + 1}: weeks are numbered 1, 2, 3, … without gaps`);
      if (w.cert) need(!!c.certification(w.cert), 'track', t.id, `weeks.${i}.cert`, `names unknown certification "${w.cert}"`);
      if (w.domain !== undefined) {
        need(!!w.cert, 'track', t.id, `weeks.${i}.domain`, 'needs a cert beside it');
        if (w.cert && c.certification(w.cert)) need(certHasDomain(w.cert, w.domain), 'track', t.id, `weeks.${i}.domain`, `${w.cert} has no domain ${w.domain}`);
      }
    });
  }

  for (const cert of c.certifications) {
    const sum = cert.domains.reduce((s, d) => s + d.weight, 0);
    if (cert.domains.length > 0 || TASK_TAGGED_EXAMS.has(cert.id))
      need(Math.abs(sum - 100) < 1e-9, 'certification', cert.id, 'domains', `weights must sum to 100 (they sum to ${sum})`);
    cert.domains.forEach((d, i) => {
      need(d.number === i + 1, 'certification', cert.id, `domains.${i}.number`, `must be ${i + 1}`);
    });
    need(cert.id === cert.code.toLowerCase(), 'certification', cert.id, 'id', `must be the exam code in lower case (${cert.code.toLowerCase()})`);
    const successor = cert.retired?.successor;
    if (successor) need(!!c.certification(successor), 'certification', cert.id, 'retired.successor', `names unknown certification "${successor}"`);
  }

  for (const s of c.services) {
    s.related.forEach((r, i) => {
      need(!!c.service(r) && r !== s.id, 'service', s.id, `related.${i}`, `names unknown service "${r}"`);
    });
    s.exams.forEach((e, i) => {
      need(!!c.certification(e.cert), 'service', s.id, `exams.${i}.cert`, `names unknown certification "${e.cert}"`);
      e.domains.forEach((d) => {
        need(!c.certification(e.cert) || certHasDomain(e.cert, d), 'service', s.id, `exams.${i}.domains`, `${e.cert} has no domain ${d}`);
      });
    });
    const replacement = s.statusNote?.replacement;
    if (replacement) need(!!c.service(replacement), 'service', s.id, 'statusNote.replacement', `names unknown service "${replacement}"`);
  }

  for (const t of c.tips) {
    t.certs.forEach((cert, i) => {
      need(!!c.certification(cert), 'tip', t.id, `certs.${i}`, `names unknown certification "${cert}"`);
    });
    t.tracks.forEach((tr, i) => {
      need(!!c.track(tr), 'tip', t.id, `tracks.${i}`, `names unknown track "${tr}"`);
    });
    t.services.forEach((s, i) => {
      need(!!c.service(s), 'tip', t.id, `services.${i}`, `names unknown service "${s}"`);
    });
    if (t.domain !== undefined) {
      const first = t.certs[0];
      need(!!first && certHasDomain(first, t.domain), 'tip', t.id, 'domain', first ? `${first} has no domain ${t.domain}` : 'needs a certification in certs');
    }
  }

  for (const q of c.quiz) {
    for (const issue of questionShapeIssues(q)) need(false, 'question', q.id, issue.field, issue.message);
    const cert = c.certification(q.cert);
    need(!!cert, 'question', q.id, 'cert', `names unknown certification "${q.cert}"`);
    if (q.domain !== undefined && cert) need(certHasDomain(q.cert, q.domain), 'question', q.id, 'domain', `${q.cert} has no domain ${q.domain}`);
    if (TASK_TAGGED_EXAMS.has(q.cert)) {
      need(q.domain !== undefined, 'question', q.id, 'domain', `is required for ${q.cert}`);
      need(q.task !== undefined, 'question', q.id, 'task', `is required for ${q.cert} (the exam guide's task statement, e.g. "2.3")`);
    }
    if (q.task !== undefined)
      need(q.task.split('.')[0] === String(q.domain), 'question', q.id, 'task', `task ${q.task} is not in domain ${q.domain ?? '(none)'}`);
    q.tracks.forEach((tr, i) => {
      need(!!c.track(tr), 'question', q.id, `tracks.${i}`, `names unknown track "${tr}"`);
    });
    q.services.forEach((s, i) => {
      need(!!c.service(s), 'question', q.id, `services.${i}`, `names unknown service "${s}"`);
    });
  }

  for (const k of c.concepts) {
    k.services.forEach((s, i) => {
      need(!!c.service(s), 'concept', k.id, `services.${i}`, `names unknown service "${s}"`);
    });
  }

  checkNamesUnique(
    c.tracks.map((t) => ({ id: t.id, names: [t.id, ...t.aliases] })),
    'track',
    fileOf,
    issues,
  );
  // Exam versions of one certification share its name (MLA-C01, MLA-C02), so names are not checked here.
  checkNamesUnique(
    c.certifications.map((x) => ({ id: x.id, names: [x.id, ...x.aliases] })),
    'certification',
    fileOf,
    issues,
  );
  checkNamesUnique(
    c.services.map((s) => ({ id: s.id, names: [s.id, s.name, ...s.aliases] })),
    'service',
    fileOf,
    issues,
  );
  // A concept may share a word with a service ("guardrails"); the lookup prefers the service then.
  checkNamesUnique(
    c.concepts.map((k) => ({ id: k.id, names: [k.id, k.name, ...k.aliases] })),
    'concept',
    fileOf,
    issues,
  );
  return issues;
}

function checkNamesUnique(
  records: { id: string; names: string[] }[],
  kind: string,
  fileOf: (kind: string, id: string) => string,
  issues: ContentIssue[],
): void {
  const owner = new Map<string, string>();
  for (const r of records) {
    for (const name of new Set(r.names.map(normalizeAlias))) {
      const other = owner.get(name);
      if (other && other !== r.id)
        issues.push({ file: fileOf(kind, r.id), id: r.id, field: 'aliases', message: `"${name}" is also a name or alias of ${kind} ${other}` });
      else owner.set(name, r.id);
    }
  }
}

const distinct = (values: string[]) => new Set(values.map((v) => v.toLowerCase())).size === values.length;

/** Rules a single question must meet on its own, by type. */
function questionShapeIssues(q: QuizQuestion): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const correct = q.options.filter((o) => o.correct).length;
      if (q.type === 'single' && correct !== 1) out.push({ field: 'options', message: `must have exactly one correct option (has ${correct})` });
      if (q.type === 'multiple') {
        const word = CHOOSE_WORDS[correct];
        if (!word) out.push({ field: 'options', message: `must have 2 or 3 correct options (has ${correct})` });
        else if (!q.question.includes(`(Choose ${word}.)`)) out.push({ field: 'question', message: `must end with "(Choose ${word}.)"` });
      }
      if (!distinct(q.options.map((o) => o.text))) out.push({ field: 'options', message: 'has two options with the same text' });
      q.options.forEach((o, i) => {
        if (!o.correct && !o.why) out.push({ field: `options.${i}.why`, message: 'must say why this wrong option is wrong' });
      });
      break;
    }
    case 'ordering':
      if (!distinct(q.steps)) out.push({ field: 'steps', message: 'has two steps with the same text' });
      break;
    case 'matching':
      if (!distinct(q.pairs.map((p) => p.item))) out.push({ field: 'pairs', message: 'has two items with the same text' });
      if (!distinct(q.pairs.map((p) => p.match))) out.push({ field: 'pairs', message: 'has two matches with the same text' });
      break;
  }
  return out;
}
