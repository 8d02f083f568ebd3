import type { QuizQuestion } from '../content/schema.js';
import { hash32 } from './rotation.js';

/**
 * A learner's answer, as indices into the question as written in the content:
 * single → [option]; multiple → the chosen options, ascending; ordering → for each position,
 * the step placed there; matching → for each item, the match chosen for it.
 */
export type QuizResponse = readonly number[];

export const LETTERS = 'ABCDEF';

/**
 * The order in which ordering steps (or matching answers) are shown: a shuffle fixed by the
 * question id, so a message needs no stored state to be read back, and never the answer itself.
 */
export function shownOrder(q: QuizQuestion): number[] {
  const n = q.type === 'ordering' ? q.steps.length : q.type === 'matching' ? q.pairs.length : 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hash32(`${q.id}:${a}`) - hash32(`${q.id}:${b}`));
  // A shuffle that happens to be the answer would give it away: rotate it by one.
  return order.every((v, i) => v === i) ? [...order.slice(1), order[0]!] : order;
}

/** How many choices the learner makes: one per position or item, or one set of options. */
export function slots(q: QuizQuestion): number {
  return q.type === 'ordering' ? q.steps.length : q.type === 'matching' ? q.pairs.length : 1;
}

/** The number of right options for a choice question. */
export const correctCount = (q: QuizQuestion): number => (q.type === 'single' || q.type === 'multiple' ? q.options.filter((o) => o.correct).length : 0);

/** A reason the response cannot be scored yet (nothing chosen, a step used twice…), or undefined when complete. */
export function incompleteReason(q: QuizQuestion, r: QuizResponse): string | undefined {
  switch (q.type) {
    case 'single':
      return r.length === 1 && r[0]! < q.options.length ? undefined : 'Choose one option.';
    case 'multiple': {
      const want = correctCount(q);
      if (new Set(r).size !== r.length || r.some((i) => i >= q.options.length)) return 'That selection could not be read.';
      return r.length === want ? undefined : `Choose exactly ${want} options (you chose ${r.length}).`;
    }
    case 'ordering':
    case 'matching': {
      const n = slots(q);
      const what = q.type === 'ordering' ? 'a step for every position' : 'an answer for every item';
      if (r.length !== n || r.some((i) => i < 0 || i >= n)) return `Pick ${what} first.`;
      return new Set(r).size === n ? undefined : `Use each ${q.type === 'ordering' ? 'step' : 'answer'} once.`;
    }
  }
}

/** All or nothing, as on the exams. */
export function isCorrect(q: QuizQuestion, r: QuizResponse): boolean {
  if (incompleteReason(q, r) !== undefined) return false;
  switch (q.type) {
    case 'single':
      return q.options[r[0]!]!.correct;
    case 'multiple':
      return q.options.every((o, i) => o.correct === r.includes(i));
    case 'ordering':
    case 'matching':
      return r.every((v, i) => v === i);
  }
}

/** The right answer in words, in the labels the learner saw (letters of options and of shown steps). */
export function answerKeyText(q: QuizQuestion): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.options.flatMap((o, i) => (o.correct ? [`${LETTERS[i]}. ${o.text}`] : [])).join('; ');
    case 'ordering':
      return q.steps.map((s, i) => `${i + 1}. ${s}`).join(' → ');
    case 'matching':
      return q.pairs.map((p) => `${p.item} → ${p.match}`).join('; ');
  }
}

/**
 * The learner's own answer, short enough to read on a phone: the letters they chose, and for ordering
 * and matching the letter they put at each position or item, marked right (✔) or wrong (✘).
 */
export function responseText(q: QuizQuestion, r: QuizResponse): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return r.map((i) => LETTERS[i]).join(', ');
    case 'ordering':
    case 'matching': {
      const shown = shownOrder(q);
      return r.map((pick, slot) => `${slot + 1} ${LETTERS[shown.indexOf(pick)] ?? '?'} ${pick === slot ? '✔' : '✘'}`).join(' · ');
    }
  }
}

/** A response from the pickers' state: the ticked options of a multiple-response question, or one pick per slot (-1: none). */
export function responseFromPicks(q: QuizQuestion, picks: ReadonlyMap<number, readonly number[]>): QuizResponse {
  if (q.type === 'single' || q.type === 'multiple') return [...(picks.get(0) ?? [])].sort((a, b) => a - b);
  return Array.from({ length: slots(q) }, (_, slot) => picks.get(slot)?.[0] ?? -1);
}
