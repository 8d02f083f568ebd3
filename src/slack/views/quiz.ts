import type { QuizQuestion } from '../../content/schema.js';
import { actions, context, header, message, section, type Block, type Message } from './blocks.js';

const LETTERS = ['A', 'B', 'C', 'D'];

const optionLines = (q: QuizQuestion, mark?: (i: number) => string) => q.options.map((o, i) => `${mark ? mark(i) : ''}*${LETTERS[i]}.* ${o.text}`).join('\n');
const tag = (q: QuizQuestion) => `${q.cert.toUpperCase()}${q.domain ? ` · domain ${q.domain}` : ''}`;

/** Answer buttons carry the post (or question) and the option, so a click needs no server state. */
function answerButtons(prefix: 'cquiz' | 'pquiz', key: string | number, q: QuizQuestion): Block {
  return actions(q.options.map((_, i) => ({ text: LETTERS[i]!, actionId: `${prefix}:${i}`, value: `${key}:${i}` })));
}

export function channelQuizView(q: QuizQuestion, postId: number, answered: number, late = false): Message {
  return message(`Quiz of the day: ${q.question}`, [
    header(':question: Quiz of the day'),
    section(`${q.question}\n\n${optionLines(q)}`),
    answerButtons('cquiz', postId, q),
    context(`${tag(q)} · ${answered === 1 ? '1 learner has' : `${answered} learners have`} answered · only you see your result${late ? ' · _sent late: aipath was offline when this was due_' : ''}`),
  ]);
}

export function closedQuizView(q: QuizQuestion, tally: { answered: number; correct: number }): Message {
  const right = q.options.findIndex((o) => o.correct);
  const share = tally.answered ? Math.round((tally.correct / tally.answered) * 100) : 0;
  const result = tally.answered ? `${tally.correct} of ${tally.answered} got it right (${share}%)` : 'Nobody answered this one';
  return message(`Closed quiz: ${q.question} Answer: ${LETTERS[right]}. ${result}.`, [
    header(':lock: Quiz closed'),
    section(`${q.question}\n\n${optionLines(q, (i) => (i === right ? ':white_check_mark: ' : ''))}`),
    section(`*Answer: ${LETTERS[right]}.* ${q.explanation}`),
    context(`${tag(q)} · ${result}`),
  ]);
}

export function personalQuizView(q: QuizQuestion): Message {
  return message(`Your quiz: ${q.question}`, [
    header(':dart: Your practice question'),
    section(`${q.question}\n\n${optionLines(q)}`),
    answerButtons('pquiz', q.id, q),
    context(`${tag(q)} · a first right answer earns 5 points`),
  ]);
}

export interface FeedbackInput {
  question: QuizQuestion;
  chosen: number;
  correct: boolean;
  first: boolean;
  points: number;
  streak: number;
}

export function answerFeedbackView(f: FeedbackInput): Message {
  const right = f.question.options.findIndex((o) => o.correct);
  const verdict = !f.first
    ? `You already answered this one (${LETTERS[f.chosen]}); only the first answer counts.`
    : f.correct
      ? `:white_check_mark: *Right!* ${LETTERS[right]} it is.${f.points ? ` +${f.points} points.` : ''}`
      : `:x: *Not quite.* You chose ${LETTERS[f.chosen]}; the answer is ${LETTERS[right]}.`;
  return message(verdict.replace(/[*]|:[a-z_]+: /g, ''), [
    section(verdict),
    section(f.question.explanation),
    ...(f.first && f.streak > 1 ? [context(`:fire: ${f.streak}-day study streak`)] : []),
  ]);
}

export function parseAnswerValue(value: string | undefined): { key: string; option: number } | undefined {
  const m = /^([a-z0-9-]+):([0-3])$/.exec(value ?? '');
  return m ? { key: m[1]!, option: Number(m[2]) } : undefined;
}
