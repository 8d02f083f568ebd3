import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ID_MAX,
  ACTIONS,
  type ActionDef,
  type ButtonRef,
  LOOKUP_ACTIONS,
  QUIZ_CONTROLS,
  QUIZ_PICK,
  VALUE_MAX,
  isQuizSubmit,
} from '../../src/slack/action-ids.js';

const recordId = fc.stringMatching(/^[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,4}$/);
const postId = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const option = fc.integer({ min: 0, max: 5 });
// A card shown past the day's new-question quota says so (pastQuota: true); one within it carries nothing.
const cardKey = fc.record(
  { questionId: recordId, reps: fc.integer({ min: 0, max: 999_999 }), pastQuota: fc.constant(true) },
  { requiredKeys: ['questionId', 'reps'] },
);
const mockKey = fc.record({ mockId: fc.integer({ min: 0, max: 999_999_999_999 }), questionId: recordId });

interface Case {
  name: string;
  matches: (actionId: string) => boolean;
  /** Builds the button for a value drawn from `good`, and decodes a click's value. */
  roundTrip: fc.Arbitrary<{ value: unknown; ref: ButtonRef; decoded: unknown }>;
  decode: (value: string | undefined) => unknown;
  bad: (string | undefined)[];
}

/** An action with the values it carries, and values that must not decode. */
function kase<V>(name: keyof typeof ACTIONS, def: ActionDef<V>, good: fc.Arbitrary<V>, bad: (string | undefined)[]): Case {
  return {
    name,
    matches: (id) => def.matches(id),
    roundTrip: good.map((value) => {
      const ref = def.ref(value);
      return { value, ref, decoded: def.decode(ref.value) };
    }),
    decode: (v) => def.decode(v),
    bad,
  };
}

const FIXED = [
  'milestoneDone',
  'showStatus',
  'showTracks',
  'pauseNudges',
  'resumeNudges',
  'snoozeWeek',
  'tipAck',
  'forgetMeConfirm',
  'forgetMeCancel',
  'reviewNext',
  'reviewNew',
  'reviewMore',
] as const;
const LOOKUPS = ['lookupService', 'lookupCert', 'lookupTrack', 'lookupConcept'] as const;

const CASES: Case[] = [
  ...FIXED.map((name) => kase(name, ACTIONS[name], fc.constant(undefined), ['', 'x', '1'])),
  kase('channelQuizLetter', ACTIONS.channelQuizLetter, fc.record({ key: postId, option }), [
    undefined,
    '',
    '12',
    '12:6',
    '12:-1',
    'abc:1',
    '1.5:1',
    '12:1:1',
    ':1',
    '99999999999999999:0',
    '9007199254740992:0',
  ]),
  kase('personalQuizLetter', ACTIONS.personalQuizLetter, fc.record({ key: recordId, option }), [
    undefined,
    '',
    'aif-q1',
    'aif-q1:9',
    'AIF-Q1:0',
    'aif q1:0',
    '-aif:0',
    `${'a'.repeat(201)}:0`,
  ]),
  kase('channelQuizSubmit', ACTIONS.channelQuizSubmit, postId, [undefined, '', 'x', '-1', '1.5', '1e3', ' 12']),
  kase('personalQuizSubmit', ACTIONS.personalQuizSubmit, recordId, [undefined, '', 'A', 'a b', 'a:1', 'a--b', '<script>']),
  kase('mockLetter', ACTIONS.mockLetter, fc.record({ key: mockKey, option }), [undefined, '', '12:0', '12.aif-q1:9', 'x.aif-q1:0', '12.AIF:0']),
  kase('mockSubmit', ACTIONS.mockSubmit, mockKey, [undefined, '', '12', '12.', '.aif-q1', '12.aif q1', '1.5.aif']),
  kase('reviewLetter', ACTIONS.reviewLetter, fc.record({ key: cardKey, option }), [undefined, '', 'aif-q1:0', 'aif-q1.x:0', 'aif-q1.1:7', 'AIF.1:0', '.1:0']),
  ...(['reviewSubmit', 'feltGuessed', 'feltEasy'] as const).map((name) =>
    kase(name, ACTIONS[name], cardKey, [
      undefined,
      '',
      'aif-q1',
      'aif-q1.',
      'aif-q1.-1',
      'aif-q1.1.2',
      'aif q1.1',
      `aif-q1.${'9'.repeat(7)}`,
      'aif-q1.q',
      'aif-q1.1.q.q',
      'aif-q1.1.r',
      'aif-q1.1q',
    ]),
  ),
  ...LOOKUPS.map((name) => kase(name, ACTIONS[name], recordId, [undefined, '', 'Bedrock', 'bedrock knowledge', 'x'.repeat(2001), '../etc'])),
];

describe('action ids', () => {
  it('cover every action in the module', () => {
    expect(CASES.map((c) => c.name).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it.each(CASES)('$name: every value round-trips through its button, inside the Block Kit limits', ({ matches, roundTrip }) => {
    fc.assert(
      fc.property(roundTrip, ({ value, ref, decoded }) => {
        expect(ref.actionId.length).toBeLessThanOrEqual(ACTION_ID_MAX);
        expect((ref.value ?? '').length).toBeLessThanOrEqual(VALUE_MAX);
        expect(matches(ref.actionId)).toBe(true);
        expect(decoded).toEqual({ ok: true, value });
      }),
    );
  });

  it.each(CASES)('$name: values it never sends do not decode', ({ decode, bad }) => {
    for (const v of bad) expect(decode(v), String(v)).toEqual({ ok: false });
  });

  it('keep the ids already posted in Slack', () => {
    const ids = Object.fromEntries(Object.entries(ACTIONS).map(([name, def]) => [name, typeof def.matcher === 'string' ? def.matcher : def.matcher.source]));
    expect(ids).toEqual({
      milestoneDone: 'milestone_done',
      showStatus: 'show_status',
      showTracks: 'show_tracks',
      pauseNudges: 'pause_nudges',
      resumeNudges: 'resume_nudges',
      snoozeWeek: 'snooze_week',
      tipAck: 'tip_ack',
      forgetMeConfirm: 'forget_me_confirm',
      forgetMeCancel: 'forget_me_cancel',
      channelQuizLetter: '^cquiz:[0-5]$',
      channelQuizSubmit: 'cquiz_submit',
      personalQuizLetter: '^pquiz:[0-5]$',
      personalQuizSubmit: 'pquiz_submit',
      lookupService: '^lookup_service:',
      lookupCert: '^lookup_cert:',
      lookupTrack: '^lookup_track:',
      lookupConcept: '^lookup_concept:',
      mockLetter: '^mquiz:[0-5]$',
      mockSubmit: 'mquiz_submit',
      reviewLetter: '^rquiz:[0-5]$',
      reviewSubmit: 'rquiz_submit',
      reviewMore: 'review_more',
      feltGuessed: 'felt_guessed',
      feltEasy: 'felt_easy',
      reviewNext: 'review_next',
      reviewNew: 'review_new',
    });
    expect(ACTIONS.channelQuizLetter.ref({ key: 42, option: 2 })).toEqual({ actionId: 'cquiz:2', value: '42:2' });
    expect(ACTIONS.personalQuizLetter.ref({ key: 'aif-bedrock-1', option: 0 })).toEqual({ actionId: 'pquiz:0', value: 'aif-bedrock-1:0' });
    expect(ACTIONS.channelQuizSubmit.ref(42)).toEqual({ actionId: 'cquiz_submit', value: '42' });
    expect(ACTIONS.personalQuizSubmit.ref('aif-bedrock-1')).toEqual({ actionId: 'pquiz_submit', value: 'aif-bedrock-1' });
    expect(ACTIONS.lookupTrack.ref('devops')).toEqual({ actionId: 'lookup_track:devops', value: 'devops' });
    expect(ACTIONS.tipAck.ref()).toEqual({ actionId: 'tip_ack' });
    expect(QUIZ_PICK.actionId(3)).toBe('qpick:3');
    expect(QUIZ_PICK.blockId).toBe('qpick');
  });

  it('each click reaches exactly one action', () => {
    const samples = [...CASES.flatMap(({ roundTrip }) => fc.sample(roundTrip, 3).map((r) => r.ref.actionId)), QUIZ_PICK.actionId(0)];
    for (const id of samples) {
      const owners = Object.values(ACTIONS).filter((d) => d.matches(id));
      expect(owners.length + (QUIZ_PICK.slot(id) === undefined ? 0 : 1), id).toBe(1);
    }
  });

  it('refuses to build a button the codec would not read back', () => {
    expect(() => ACTIONS.channelQuizLetter.ref({ key: 1, option: 6 })).toThrow();
    expect(() => ACTIONS.channelQuizSubmit.ref(-1)).toThrow();
    expect(() => ACTIONS.personalQuizSubmit.ref('Not An Id')).toThrow();
    expect(() => ACTIONS.lookupService.ref('x'.repeat(300))).toThrow();
  });

  it('group the lookups by kind and the quiz controls by kind of quiz', () => {
    expect(LOOKUP_ACTIONS.concept.ref('rag').actionId).toBe('lookup_concept:rag');
    expect(QUIZ_CONTROLS.channel.letter).toBe(ACTIONS.channelQuizLetter);
    expect(QUIZ_CONTROLS.personal.submit).toBe(ACTIONS.personalQuizSubmit);
    expect(isQuizSubmit('cquiz_submit') && isQuizSubmit('pquiz_submit')).toBe(true);
    expect(isQuizSubmit('cquiz:1') || isQuizSubmit('x_submit')).toBe(false);
  });
});

describe('quiz pickers', () => {
  it('round-trip option values and read slots back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 }), (i) => {
        expect(QUIZ_PICK.decodeOption(QUIZ_PICK.encodeOption(i))).toBe(i);
        expect(QUIZ_PICK.slot(QUIZ_PICK.actionId(i))).toBe(i);
      }),
    );
  });

  it('ignore option values and ids they never send', () => {
    for (const v of ['', '-1', '1.5', 'a', '100', ' 1']) expect(QUIZ_PICK.decodeOption(v), v).toBeUndefined();
    for (const id of ['qpick', 'qpick:', 'qpick:a', 'xqpick:1', 'cquiz:1']) expect(QUIZ_PICK.slot(id), id).toBeUndefined();
  });
});
