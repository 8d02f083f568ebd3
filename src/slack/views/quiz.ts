import type { ActionsBlock, Checkboxes, PlainTextOption, StaticSelect } from '@slack/types';
import type { ScoredAnswer } from '../../services/quiz.js';
import type { QuizQuestion } from '../../content/schema.js';
import { LETTERS, answerKeyText, correctCount, responseText, shownOrder, type QuizResponse } from '../../domain/question.js';
import { truncate } from '../../domain/text.js';
import { ACTIONS, type CardKey, type MockKey, QUIZ_CONTROLS, QUIZ_PICK, type QuizControls } from '../action-ids.js';
import { actions, button, context, header, message, section, slackTime, type Block, type ButtonSpec, type Message } from './blocks.js';

/** Block Kit option text is at most 75 characters. */
const OPTION_TEXT = 75;
const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th'];

const tag = (q: QuizQuestion) =>
  `${q.cert.toUpperCase()}${q.domain ? ` · domain ${q.domain}` : ''}${q.type === 'single' ? '' : ` · ${q.type === 'multiple' ? 'multiple response' : q.type}`}`;

/** The question as the learner reads it: the stem, then the lettered options, steps or answers. */
function body(q: QuizQuestion, mark?: (i: number) => string): string {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return `${q.question}\n\n${q.options.map((o, i) => `${mark ? mark(i) : ''}*${LETTERS[i]}.* ${o.text}`).join('\n')}`;
    case 'ordering':
      return `${q.question}\n\n${shownOrder(q)
        .map((step, i) => `*${LETTERS[i]}.* ${q.steps[step]}`)
        .join('\n')}`;
    case 'matching': {
      const items = q.pairs.map((p, i) => `*${i + 1}.* ${p.item}`).join('\n');
      const answers = shownOrder(q)
        .map((m, i) => `*${LETTERS[i]}.* ${q.pairs[m]!.match}`)
        .join('\n');
      return `${q.question}\n\n${items}\n\n_Answers:_\n${answers}`;
    }
  }
}

const option = (label: string, text: string, value: number): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(`${label}. ${text}`, OPTION_TEXT), emoji: true },
  value: QUIZ_PICK.encodeOption(value),
});

/** Pickers for the question's answer: checkboxes for multiple response, a menu per position or item. */
function pickers(q: Exclude<QuizQuestion, { type: 'single' }>): ActionsBlock {
  if (q.type === 'multiple') {
    const boxes: Checkboxes = { type: 'checkboxes', action_id: QUIZ_PICK.actionId(0), options: q.options.map((o, i) => option(LETTERS[i]!, o.text, i)) };
    return { type: 'actions', block_id: QUIZ_PICK.blockId, elements: [boxes] };
  }
  const order = shownOrder(q);
  const choices = order.map((orig, i) => option(LETTERS[i]!, q.type === 'ordering' ? q.steps[orig]! : q.pairs[orig]!.match, orig));
  const menus: StaticSelect[] = order.map((_, slot) => ({
    type: 'static_select',
    action_id: QUIZ_PICK.actionId(slot),
    placeholder: { type: 'plain_text', text: q.type === 'ordering' ? `${ORDINALS[slot]} step` : `Answer for ${slot + 1}` },
    options: choices,
  }));
  return { type: 'actions', block_id: QUIZ_PICK.blockId, elements: menus };
}

/**
 * Answer controls (letter buttons for one choice, pickers and a submit button for the rest) that carry the post
 * (or question) id, so reading an answer needs no server state.
 */
function answerControls<K>(controls: QuizControls<K>, key: K, q: QuizQuestion): Block[] {
  if (q.type === 'single') return [actions(q.options.map((_, i) => ({ text: LETTERS[i]!, ...controls.letter.ref({ key, option: i }) })))];
  const hint =
    q.type === 'multiple'
      ? `Tick ${correctCount(q)}, then submit.`
      : q.type === 'ordering'
        ? 'Pick the step for each position, then submit.'
        : 'Pick the answer for each item, then submit.';
  return [pickers(q), { type: 'actions', elements: [button({ text: 'Submit answer', ...controls.submit.ref(key), style: 'primary' })] }, context(hint)];
}

export function channelQuizView(q: QuizQuestion, postId: number, answered: number, late = false): Message {
  return message(`Quiz of the day: ${q.question}`, [
    header(':question: Quiz of the day'),
    section(body(q)),
    ...answerControls(QUIZ_CONTROLS.channel, postId, q),
    context(
      `${tag(q)} · ${answered === 1 ? '1 learner has' : `${answered} learners have`} answered · only you see your result${late ? ' · _sent late: aipath was offline when this was due_' : ''}`,
    ),
  ]);
}

export function closedQuizView(q: QuizQuestion, tally: { answered: number; correct: number }): Message {
  const share = tally.answered ? Math.round((tally.correct / tally.answered) * 100) : 0;
  const result = tally.answered ? `${tally.correct} of ${tally.answered} got it right (${share}%)` : 'Nobody answered this one';
  const key = answerKeyText(q);
  const right = (i: number) => (q.type === 'single' || q.type === 'multiple') && q.options[i]!.correct;
  return message(`Closed quiz: ${q.question} Answer: ${key}. ${result}.`, [
    header(':lock: Quiz closed'),
    section(body(q, (i) => (right(i) ? ':white_check_mark: ' : ''))),
    section(`*Answer:* ${key}\n${q.explanation}`),
    context(`${tag(q)} · ${result}`),
  ]);
}

export function personalQuizView(q: QuizQuestion): Message {
  return message(`Your quiz: ${q.question}`, [
    header(':dart: Your practice question'),
    section(body(q)),
    ...answerControls(QUIZ_CONTROLS.personal, q.id, q),
    context(`${tag(q)} · a first right answer earns 5 points`),
  ]);
}

/** The right order or pairs, one to a line. */
function answerList(q: QuizQuestion): string {
  // With the letters the learner saw, so the right picks can be read off the menus.
  const letter = (i: number) => LETTERS[shownOrder(q).indexOf(i)];
  if (q.type === 'ordering') return q.steps.map((step, i) => `${i + 1}. *${letter(i)}* ${step}`).join('\n');
  if (q.type === 'matching') return q.pairs.map((p, i) => `${i + 1}. ${p.item} → *${letter(i)}* ${p.match}`).join('\n');
  return answerKeyText(q);
}

/** Why each wrong option is wrong, for choice questions; the explanation covers the rest. */
function whyLines(q: QuizQuestion, response: QuizResponse): string[] {
  if (q.type !== 'single' && q.type !== 'multiple') return [];
  return q.options.flatMap((o, i) => (!o.correct && o.why && response.includes(i) ? [`*${LETTERS[i]}* is not it: ${o.why}`] : []));
}

/** After a right answer: "I guessed" or "Too easy" regrade it; ignoring them keeps it graded Good. */
const feelButtons = (key: CardKey): ButtonSpec[] => [
  { text: 'I guessed', ...ACTIONS.feltGuessed.ref(key) },
  { text: 'Too easy', ...ACTIONS.feltEasy.ref(key) },
];

/** The verdict, the answer where it is long, and the explanation with why each wrong pick is wrong. */
function feedbackBlocks(q: QuizQuestion, response: QuizResponse, verdict: string, showAnswer: boolean): Block[] {
  const answerLines = (q.type === 'ordering' || q.type === 'matching') && showAnswer ? [`*The answer:*\n${answerList(q)}`] : [];
  return [section(verdict), ...answerLines.map(section), section([q.explanation, ...whyLines(q, response)].join('\n'))];
}

/** Steps and pairs are long: their answer goes on lines of its own, under the verdict. */
const inlineKey = (q: QuizQuestion) => (q.type === 'ordering' || q.type === 'matching' ? '' : ` The answer: ${answerKeyText(q)}.`);

const plainText = (mrkdwn: string) => mrkdwn.replace(/[*]|:[a-z_]+: /g, '');

export function answerFeedbackView(f: ScoredAnswer): Message {
  const q = f.question;
  const yours = responseText(q, f.response);
  const verdict = !f.first
    ? `You already answered this one (${yours}); only the first answer counts.`
    : f.correct
      ? `:white_check_mark: *Right!*${q.type === 'single' ? ` ${yours} it is.` : ''}${f.points ? ` +${f.points} points.` : ''}`
      : `:x: *Not quite.* You answered ${yours}.${inlineKey(q)}`;
  const memory = f.first && f.memory;
  const notes = [f.first && f.streak > 1 ? `:fire: ${f.streak}-day study streak` : '', memory ? `:brain: Comes back for review ${memory.comesBack}` : ''];
  return message(plainText(verdict), [
    ...feedbackBlocks(q, f.response, verdict, !f.correct || !f.first),
    ...(memory && f.correct ? [actions(feelButtons({ questionId: q.id, reps: memory.reps }))] : []),
    ...(notes.some(Boolean) ? [context(notes.filter(Boolean).join(' · '))] : []),
  ]);
}

/** A practice exam's question: no feedback until the end, the clock and the count in view. */
export function mockQuestionView(
  q: QuizQuestion,
  key: MockKey,
  info: { code: string; index: number; total: number; minutesLeft: number; endsAt: Date; shortOf?: number },
): Message {
  const where = `${info.code} practice exam · question ${info.index} of ${info.total} · ${info.minutesLeft} min left`;
  // When time ends, in the reader's own timezone (Slack renders it): the exam stops taking answers then.
  return message(`${where}: ${q.question}`, [
    section(`*${where}* (time ends at ${slackTime(info.endsAt)})\n\n${body(q)}`),
    ...answerControls(QUIZ_CONTROLS.mock, key, q),
    context(
      `No feedback until the end, as on the exam.${info.shortOf ? ` The real exam has ${info.shortOf} questions; aipath's bank fills ${info.total} of them, by domain weight.` : ''}`,
    ),
  ]);
}

/**
 * A review card: the question with answer controls that carry the card as it stands. A new question under the exam
 * plan's daily quota says where the day stands ("4 of 10 new today", or past it when the learner asked for more).
 */
export function reviewCardView(
  q: QuizQuestion,
  key: CardKey,
  info: { isNew: boolean; dueLeft: number; newToday?: { today: number; cap: number } | undefined },
): Message {
  const what = info.isNew ? ':sparkles: New question' : ':brain: Review';
  const left = info.dueLeft === 1 ? '1 review due' : `${info.dueLeft} reviews due`;
  const quota = info.newToday;
  const today = !quota
    ? ''
    : quota.today < quota.cap
      ? ` · ${quota.today + 1} of ${quota.cap} new today`
      : ` · ${quota.today + 1} new today, past your plan's ${quota.cap} a day`;
  return message(`${info.isNew ? 'New question' : 'Review'}: ${q.question}`, [
    section(`*${what}*${today} · ${left}\n\n${body(q)}`),
    ...answerControls(QUIZ_CONTROLS.review, key, q),
    context(`${tag(q)} · reviews are for you alone and score no points`),
  ]);
}

export interface ReviewFeedback {
  question: QuizQuestion;
  response: QuizResponse;
  correct: boolean;
  comesBack: string;
  reps: number;
  streak: number;
  /** The question was a new one shown past today's quota at the learner's asking: more follow it. */
  pastQuota?: boolean;
}

/** After a review answer: right or wrong, the explanation, when the card comes back, and the way on. */
export function reviewFeedbackView(f: ReviewFeedback): Message {
  const q = f.question;
  const yours = responseText(q, f.response);
  const verdict = f.correct
    ? `:white_check_mark: *Right!*${q.type === 'single' ? ` ${yours} it is.` : ''} Comes back ${f.comesBack}.`
    : `:x: *Not quite.* You answered ${yours}.${inlineKey(q)} Comes back ${f.comesBack}.`;
  return message(plainText(verdict), [
    ...feedbackBlocks(q, f.response, verdict, !f.correct),
    actions([
      // After a new question the session goes on with new ones (past the day's quota when the learner asked for
      // more); after a due card, with due cards only.
      { text: 'Next card', ...(f.reps === 1 ? (f.pastQuota ? ACTIONS.reviewMore : ACTIONS.reviewNew) : ACTIONS.reviewNext).ref(), style: 'primary' },
      ...(f.correct ? feelButtons({ questionId: q.id, reps: f.reps }) : []),
    ]),
    ...(f.streak > 1 ? [context(`:fire: ${f.streak}-day study streak`)] : []),
  ]);
}
