import { z } from 'zod';

/**
 * Every Block Kit action aipath sends and answers: its `action_id`, the Bolt matcher that catches it, and a zod
 * codec for the `value` it carries. Views encode with `ref`, listeners decode with `decode`; no other file spells
 * an action id or a value format. Messages already posted in Slack carry these ids and values: never change them.
 */

/** Block Kit: an `action_id` is at most 255 characters, a button `value` at most 2000. */
export const ACTION_ID_MAX = 255;
export const VALUE_MAX = 2000;

/** A value codec: the `value` a button carries (absent for buttons without one) ⇄ what a listener works with. */
export type ValueCodec<V> = z.ZodType<V, string | undefined>;

/** What a view puts on a button: spread it into a `ButtonSpec`. */
export interface ButtonRef {
  actionId: string;
  value?: string;
}

export type Decoded<V> = { ok: true; value: V } | { ok: false };

export interface ActionDef<V> {
  /** The exact id, or the pattern of a family of ids (the buttons listener routes by `matches`). */
  readonly matcher: string | RegExp;
  readonly codec: ValueCodec<V>;
  /** The `action_id` of a button carrying this value. */
  actionId(value: V): string;
  /** The button's `action_id` and encoded `value`; throws on a value the codec refuses or beyond Block Kit's limits. */
  ref(value: V): ButtonRef;
  /** A click's `value`, decoded and checked: `{ ok: false }` when it does not decode. */
  decode(value: string | undefined): Decoded<V>;
  matches(actionId: string): boolean;
}

/** A button without a value: `ref()` takes nothing. */
export interface FixedActionDef extends ActionDef<undefined> {
  readonly matcher: string;
  ref(): ButtonRef;
}

function define<V>(matcher: string | RegExp, codec: ValueCodec<V>, actionId: (value: V) => string): ActionDef<V> {
  const matches = (id: string) => (typeof matcher === 'string' ? id === matcher : matcher.test(id));
  return {
    matcher,
    codec,
    actionId,
    matches,
    ref: (value) => {
      const id = actionId(value);
      const encoded = z.encode(codec, value);
      if (!matches(id) || id.length > ACTION_ID_MAX) throw new Error(`action id out of range: ${id.slice(0, 80)}`);
      if (encoded !== undefined && encoded.length > VALUE_MAX) throw new Error(`value of ${id} longer than ${VALUE_MAX}`);
      return encoded === undefined ? { actionId: id } : { actionId: id, value: encoded };
    },
    decode: (raw) => {
      const r = z.safeDecode(codec, raw);
      return r.success ? { ok: true, value: r.data } : { ok: false };
    },
  };
}

/** A button that carries no value: any value on a click is refused. */
const NoValue: ValueCodec<undefined> = z.undefined();
function fixed(id: string): FixedActionDef {
  const def = define(id, NoValue, () => id);
  return { ...def, matcher: id, ref: () => def.ref(undefined) };
}

/** A content record id (service, certification, track, concept, question), as the content schema writes them. */
export const RecordId = z
  .string()
  .max(200)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

/** A channel quiz post, by its row id. */
export const PostId = z.codec(z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), {
  decode: (s) => Number(s),
  encode: (n) => String(n),
});

/**
 * A memory card as it stood when its question was shown: the question and the card's review count. An answer
 * or a regrade naming a count the card has moved past (a double click) changes nothing. `pastQuota`: a new
 * question shown past today's new-question quota because the learner asked for more, so the session goes on
 * with more after it (`.q` at the end of the value; a value without it is a card within the quota).
 */
export interface CardKey {
  questionId: string;
  reps: number;
  pastQuota?: boolean;
}
export const CardKeyValue: z.ZodType<CardKey, string> = z.codec(
  z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*\.\d{1,6}(\.q)?$/),
  z.object({ questionId: RecordId, reps: z.number().int().nonnegative(), pastQuota: z.boolean().optional() }),
  {
    decode: (s) => {
      const pastQuota = s.endsWith('.q');
      const key = pastQuota ? s.slice(0, -2) : s;
      const dot = key.lastIndexOf('.');
      return { questionId: key.slice(0, dot), reps: Number(key.slice(dot + 1)), ...(pastQuota ? { pastQuota } : {}) };
    },
    encode: (k) => `${k.questionId}.${k.reps}${k.pastQuota ? '.q' : ''}`,
  },
);

/** A practice exam's question: the exam (its row id) and the question. */
export interface MockKey {
  mockId: number;
  questionId: string;
}
export const MockKeyValue: z.ZodType<MockKey, string> = z.codec(
  z.string().regex(/^\d{1,12}\.[a-z0-9]+(-[a-z0-9]+)*$/),
  z.object({ mockId: z.number().int().nonnegative(), questionId: RecordId }),
  {
    decode: (s) => {
      const dot = s.indexOf('.');
      return { mockId: Number(s.slice(0, dot)), questionId: s.slice(dot + 1) };
    },
    encode: (k) => `${k.mockId}.${k.questionId}`,
  },
);

/** A letter button's option: A to F. */
const OptionIndex = z.number().int().min(0).max(5);

/** A letter button's value: what it answers and the option chosen, `${key}:${option}`. */
function letterAnswer<K>(key: z.ZodType<K, string>) {
  return z.codec(z.string().regex(/^[^:]+:[0-5]$/), z.object({ key: z.custom<K>(), option: OptionIndex }), {
    decode: (s, ctx) => {
      const [rawKey = '', rawOption] = s.split(':');
      const k = z.safeDecode(key, rawKey);
      if (!k.success) {
        ctx.issues.push({ code: 'custom', message: 'names no post or question', input: s });
        return z.NEVER;
      }
      return { key: k.data, option: Number(rawOption) };
    },
    encode: (v) => `${z.encode(key, v.key)}:${v.option}`,
  });
}

export type LetterAnswer<K> = { key: K; option: number };

/** A letter button of a channel quiz: the post it answers. */
export const ChannelLetterValue: ValueCodec<LetterAnswer<number>> = letterAnswer(PostId);
/** A letter button of a personal quiz: the question it answers (personal quizzes keep no post). */
export const PersonalLetterValue: ValueCodec<LetterAnswer<string>> = letterAnswer(RecordId);
/** A letter button of a review card: the card as it was shown. */
export const ReviewLetterValue: ValueCodec<LetterAnswer<CardKey>> = letterAnswer(CardKeyValue);
/** A letter button of a practice exam's question. */
export const MockLetterValue: ValueCodec<LetterAnswer<MockKey>> = letterAnswer(MockKeyValue);

const letterMatcher = (prefix: string) => new RegExp(`^${prefix}:[0-5]$`);
const lookup = (kind: string) => define(new RegExp(`^lookup_${kind}:`), RecordId, (id: string) => `lookup_${kind}:${id}`);

export const ACTIONS = {
  /** Buttons that run a command as if typed. */
  milestoneDone: fixed('milestone_done'),
  showStatus: fixed('show_status'),
  showTracks: fixed('show_tracks'),
  pauseNudges: fixed('pause_nudges'),
  resumeNudges: fixed('resume_nudges'),
  snoozeWeek: fixed('snooze_week'),
  tipAck: fixed('tip_ack'),
  forgetMeConfirm: fixed('forget_me_confirm'),
  forgetMeCancel: fixed('forget_me_cancel'),
  /** Quiz answers: a letter button per option for single choice, or Submit reading the pickers' state. */
  channelQuizLetter: define(letterMatcher('cquiz'), ChannelLetterValue, (v) => `cquiz:${v.option}`),
  channelQuizSubmit: define('cquiz_submit', PostId, () => 'cquiz_submit'),
  personalQuizLetter: define(letterMatcher('pquiz'), PersonalLetterValue, (v) => `pquiz:${v.option}`),
  personalQuizSubmit: define('pquiz_submit', RecordId, () => 'pquiz_submit'),
  reviewLetter: define(letterMatcher('rquiz'), ReviewLetterValue, (v) => `rquiz:${v.option}`),
  reviewSubmit: define('rquiz_submit', CardKeyValue, () => 'rquiz_submit'),
  mockLetter: define(letterMatcher('mquiz'), MockLetterValue, (v) => `mquiz:${v.option}`),
  mockSubmit: define('mquiz_submit', MockKeyValue, () => 'mquiz_submit'),
  /** After a right answer: "I guessed" (Hard) or "Too easy" (Easy) instead of Good; the card as graded. */
  feltGuessed: define('felt_guessed', CardKeyValue, () => 'felt_guessed'),
  feltEasy: define('felt_easy', CardKeyValue, () => 'felt_easy'),
  /** The review session: the next card (due ones only), or new questions too. */
  reviewNext: fixed('review_next'),
  reviewNew: fixed('review_new'),
  /** Past today's new-question quota, at the learner's asking. */
  reviewMore: fixed('review_more'),
  /** A card for one record, from a "did you mean" or concept answer; a track's button enrols. */
  lookupService: lookup('service'),
  lookupCert: lookup('cert'),
  lookupTrack: lookup('track'),
  lookupConcept: lookup('concept'),
} as const;

export const LOOKUP_ACTIONS = {
  service: ACTIONS.lookupService,
  cert: ACTIONS.lookupCert,
  track: ACTIONS.lookupTrack,
  concept: ACTIONS.lookupConcept,
} as const;
export type LookupKind = keyof typeof LOOKUP_ACTIONS;

/** The answer controls of a quiz: letter buttons carry the key and the option, Submit carries the key. */
export interface QuizControls<K> {
  letter: ActionDef<LetterAnswer<K>>;
  submit: ActionDef<K>;
}
export const QUIZ_CONTROLS: {
  channel: QuizControls<number>;
  personal: QuizControls<string>;
  review: QuizControls<CardKey>;
  mock: QuizControls<MockKey>;
} = {
  channel: { letter: ACTIONS.channelQuizLetter, submit: ACTIONS.channelQuizSubmit },
  personal: { letter: ACTIONS.personalQuizLetter, submit: ACTIONS.personalQuizSubmit },
  review: { letter: ACTIONS.reviewLetter, submit: ACTIONS.reviewSubmit },
  mock: { letter: ACTIONS.mockLetter, submit: ACTIONS.mockSubmit },
};

export const isQuizSubmit = (actionId: string) =>
  [ACTIONS.channelQuizSubmit, ACTIONS.personalQuizSubmit, ACTIONS.reviewSubmit, ACTIONS.mockSubmit].some((def) => def.matches(actionId));

/** An option index as a picker option's value. */
const PickOptionValue = z.codec(z.string().regex(/^\d{1,2}$/), z.number().int().nonnegative(), {
  decode: (s) => Number(s),
  encode: (n) => String(n),
});

/**
 * The quiz pickers (checkboxes or a menu per slot) in one actions block. A click on them only changes what the
 * clicker sees; Slack sends their state, option values as encoded here, with the Submit click.
 */
export const QUIZ_PICK = {
  blockId: 'qpick',
  matcher: /^qpick:(\d+)$/,
  actionId: (slot: number) => `qpick:${slot}`,
  /** The slot of a picker's action id, or undefined when it is no picker. */
  slot(actionId: string): number | undefined {
    const m = QUIZ_PICK.matcher.exec(actionId);
    return m ? Number(m[1]) : undefined;
  },
  /** The codec of each option's value. */
  codec: PickOptionValue,
  encodeOption: (index: number): string => z.encode(PickOptionValue, index),
  /** A picked option's index, or undefined when the value does not decode. */
  decodeOption(value: string): number | undefined {
    const r = z.safeDecode(PickOptionValue, value);
    return r.success ? r.data : undefined;
  },
};
