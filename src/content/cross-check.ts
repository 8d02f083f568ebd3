import type { Content, ContentIssue } from './load.js';

const normalizeAlias = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, ' ').trim();

/** Checks that span records: references resolve, weights add up, names are unambiguous. */
export function crossCheck(c: Content): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const fileOf = (kind: string, id: string) => c.origin.get(`${kind}:${id}`) ?? 'content';
  const need = (ok: boolean, kind: string, id: string, field: string, message: string) => {
    if (!ok) issues.push({ file: fileOf(kind, id), id, field, message });
  };
  const certHasDomain = (certId: string, domain: number) => c.certification(certId)?.domains.some((d) => d.number === domain) ?? false;

  for (const t of c.tracks) {
    t.certifications.forEach((cert, i) => need(!!c.certification(cert), 'track', t.id, `certifications.${i}`, `names unknown certification "${cert}"`));
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
    need(Math.abs(sum - 100) < 1e-9, 'certification', cert.id, 'domains', `weights must sum to 100 (they sum to ${sum})`);
    cert.domains.forEach((d, i) => need(d.number === i + 1, 'certification', cert.id, `domains.${i}.number`, `must be ${i + 1}`));
    need(cert.id === cert.code.toLowerCase(), 'certification', cert.id, 'id', `must be the exam code in lower case (${cert.code.toLowerCase()})`);
    const successor = cert.retired?.successor;
    if (successor) need(!!c.certification(successor), 'certification', cert.id, 'retired.successor', `names unknown certification "${successor}"`);
  }

  for (const s of c.services) {
    s.related.forEach((r, i) => need(!!c.service(r) && r !== s.id, 'service', s.id, `related.${i}`, `names unknown service "${r}"`));
    s.exams.forEach((e, i) => {
      need(!!c.certification(e.cert), 'service', s.id, `exams.${i}.cert`, `names unknown certification "${e.cert}"`);
      e.domains.forEach((d) => need(!c.certification(e.cert) || certHasDomain(e.cert, d), 'service', s.id, `exams.${i}.domains`, `${e.cert} has no domain ${d}`));
    });
    const replacement = s.statusNote?.replacement;
    if (replacement) need(!!c.service(replacement), 'service', s.id, 'statusNote.replacement', `names unknown service "${replacement}"`);
  }

  for (const t of c.tips) {
    t.certs.forEach((cert, i) => need(!!c.certification(cert), 'tip', t.id, `certs.${i}`, `names unknown certification "${cert}"`));
    t.tracks.forEach((tr, i) => need(!!c.track(tr), 'tip', t.id, `tracks.${i}`, `names unknown track "${tr}"`));
    t.services.forEach((s, i) => need(!!c.service(s), 'tip', t.id, `services.${i}`, `names unknown service "${s}"`));
    if (t.domain !== undefined) {
      const first = t.certs[0];
      need(!!first && certHasDomain(first, t.domain), 'tip', t.id, 'domain', first ? `${first} has no domain ${t.domain}` : 'needs a certification in certs');
    }
  }

  for (const q of c.quiz) {
    const correct = q.options.filter((o) => o.correct).length;
    need(correct === 1, 'question', q.id, 'options', `must have exactly one correct option (has ${correct})`);
    const texts = new Set(q.options.map((o) => o.text.toLowerCase()));
    need(texts.size === q.options.length, 'question', q.id, 'options', 'has two options with the same text');
    need(!!c.certification(q.cert), 'question', q.id, 'cert', `names unknown certification "${q.cert}"`);
    if (q.domain !== undefined && c.certification(q.cert)) need(certHasDomain(q.cert, q.domain), 'question', q.id, 'domain', `${q.cert} has no domain ${q.domain}`);
    q.tracks.forEach((tr, i) => need(!!c.track(tr), 'question', q.id, `tracks.${i}`, `names unknown track "${tr}"`));
    q.services.forEach((s, i) => need(!!c.service(s), 'question', q.id, `services.${i}`, `names unknown service "${s}"`));
  }

  checkNamesUnique(c.tracks.map((t) => ({ id: t.id, names: [t.id, ...t.aliases] })), 'track', fileOf, issues);
  // Exam versions of one certification share its name (MLA-C01, MLA-C02), so names are not checked here.
  checkNamesUnique(c.certifications.map((x) => ({ id: x.id, names: [x.id, ...x.aliases] })), 'certification', fileOf, issues);
  checkNamesUnique(c.services.map((s) => ({ id: s.id, names: [s.id, s.name, ...s.aliases] })), 'service', fileOf, issues);
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
      if (other && other !== r.id) issues.push({ file: fileOf(kind, r.id), id: r.id, field: 'aliases', message: `"${name}" is also a name or alias of ${kind} ${other}` });
      else owner.set(name, r.id);
    }
  }
}
