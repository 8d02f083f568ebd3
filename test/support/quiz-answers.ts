import type { QuizQuestion } from '../../src/content/schema.js';

/** The response that scores, in content indices. */
export function rightResponse(q: QuizQuestion): number[] {
  if (q.type === 'single' || q.type === 'multiple') return q.options.flatMap((o, i) => (o.correct ? [i] : []));
  return Array.from({ length: q.type === 'ordering' ? q.steps.length : q.pairs.length }, (_, i) => i);
}

/** A complete response that does not score. */
export function wrongResponse(q: QuizQuestion): number[] {
  if (q.type === 'single' || q.type === 'multiple') {
    const right = rightResponse(q);
    const wrong = q.options.findIndex((o) => !o.correct);
    return [wrong, ...right.slice(1)].sort((a, b) => a - b);
  }
  const r = rightResponse(q);
  return [r[1]!, r[0]!, ...r.slice(2)];
}

/** The pickers' state Slack sends with a Submit click, for a response. */
export function pickerState(q: QuizQuestion, response: number[]) {
  if (q.type === 'multiple') return { values: { qpick: { 'qpick:0': { type: 'checkboxes', selected_options: response.map((v) => ({ value: String(v) })) } } } };
  return {
    values: {
      qpick: Object.fromEntries(response.map((v, slot) => [`qpick:${slot}`, { type: 'static_select', selected_option: v < 0 ? null : { value: String(v) } }])),
    },
  };
}

/** The action a learner's click sends for a response: a letter button, or Submit with the pickers' state. */
export function answerAction(q: QuizQuestion, prefix: 'cquiz' | 'pquiz' | 'rquiz', key: string | number, response: number[]) {
  if (q.type === 'single') return { actionId: `${prefix}:${response[0]}`, value: `${key}:${response[0]}`, state: undefined };
  return { actionId: `${prefix}_submit`, value: String(key), state: pickerState(q, response) };
}
