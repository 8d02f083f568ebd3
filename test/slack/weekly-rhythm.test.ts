import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import { gradeOf, newCard, review } from '../../src/domain/review/memory.js';
import { SECRET, startTestApp, TEAM, type TestApp } from '../support/harness.js';
import { answerAction, rightResponse, wrongResponse } from '../support/quiz-answers.js';
import { postSigned } from '../support/signed.js';

// 2026-11-16, 2026-11-23, 2026-11-30 and 2026-12-07 are Mondays. Learners are in London (the default) unless set.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ AIPATH_TIMEZONE: 'Europe/London' }, { now: new Date('2026-11-18T12:00:00Z') });
  t.fake.users.set('U0RHYTHMNY', { id: 'U0RHYTHMNY', tz: 'America/New_York' });
});
afterAll(async () => {
  await t.close();
});

const content = loadContent();
const store = () => t.app.services.store;
const at = (iso: string) => {
  t.now.value = new Date(iso);
};
const as = (user: string, text: string) => t.commandJson(text, { user });
const all = (r: { text: string; blocks: unknown[] }) => `${r.text}\n${JSON.stringify(r.blocks)}`;
const field = (text: string, name: string) => new RegExp(`\\*${name}\\*\\\\n([^"]*?)"`).exec(text)?.[1];
/** The weekly nudges DMed to a user, oldest first. */
const nudgesTo = (user: string) =>
  t.fake
    .callsOf('chat.postMessage')
    .filter((c) => c.params.channel === user.replace(/^U/, 'D') && String(c.params.text).match(/^Week \d+ of/))
    .map((c) => `${String(c.params.text)}\n${JSON.stringify(c.params.blocks)}`);
const tick = (iso: string) => t.app.scheduler.tick(new Date(iso));

/** Opens the user's Home tab and returns what was published, as text. */
async function home(user: string): Promise<string> {
  const published = () => t.fake.callsOf('views.publish').filter((c) => c.params.user_id === user);
  const before = published().length;
  await postSigned(
    `${t.baseUrl}/slack/events`,
    JSON.stringify({
      type: 'event_callback',
      team_id: TEAM,
      api_app_id: 'A0TEST',
      event: { type: 'app_home_opened', user, tab: 'home' },
      event_id: `Ev${user}${before}${Date.now()}`,
      event_time: 1,
    }),
    'application/json',
    { secret: SECRET },
  );
  await expect.poll(() => published().length).toBeGreaterThan(before);
  return JSON.stringify(published().at(-1)!.params.view);
}

/** The question of a practice question reply: the value its answer button (a letter, or Submit) carries. */
const questionOf = (reply: { blocks: unknown[] }) =>
  content.question(/"action_id":"pquiz(?::\d|_submit)","value":"([a-z0-9-]+?)(?::\d)?"/.exec(JSON.stringify(reply.blocks))![1]!)!;

/** Presses a button as Slack sends it; the reply by response_url, as text. */
async function press(user: string, actionId: string, value?: string, state?: unknown) {
  const before = t.fake.callsOf('response_url').length;
  const res = await t.action(actionId, { user, value, state, responseUrl: `${t.fake.responseUrlBase}${user}` });
  expect(res.status).toBe(200);
  await expect.poll(() => t.fake.callsOf('response_url').length).toBe(before + 1);
  const reply = t.fake.callsOf('response_url').at(-1)!.params;
  return `${String(reply.text)}\n${JSON.stringify(reply.blocks)}`;
}

describe('pauses', () => {
  it('pause N ends at the start of the learner’s local day N days on', async () => {
    const user = 'U0RHYTHMNY';
    at('2026-11-25T15:00:00Z'); // Wed 10:00 in New York
    await as(user, 'start devops');
    const reply = await as(user, 'pause 7');
    expect(reply.text).toContain('Wed 2 Dec');
    expect(await store().enrolments.current(TEAM, user)).toMatchObject({ status: 'paused', pausedUntil: new Date('2026-12-02T05:00:00.000Z') });
  });

  it('a timed pause that has ended reads as active in status and on Home, before the scheduler flips it', async () => {
    const user = 'U0RHYTHM01';
    at('2026-11-18T12:00:00Z');
    await as(user, 'start devops');
    await as(user, 'pause 2'); // ends Friday 20 Nov, 00:00
    at('2026-11-19T12:00:00Z');
    expect(field(JSON.stringify((await as(user, 'status')).blocks), 'State')).toContain('Paused');
    at('2026-11-21T12:00:00Z');
    const status = JSON.stringify((await as(user, 'status')).blocks);
    const homeTab = await home(user);
    expect(field(status, 'State')).toContain('Active');
    expect(status).not.toContain('Paused');
    expect(status).toContain('pause_nudges');
    expect(field(homeTab, 'State')).toMatch(/^active/);
    expect(field(status, 'Next nudge')).toMatch(/^Mon 23 Nov, 09:00/);
    expect(field(homeTab, 'Next nudge')).toBe(field(status, 'Next nudge'));
    // The stored status is still paused: only the read model says otherwise.
    expect((await store().enrolments.current(TEAM, user))?.status).toBe('paused');
    expect((await as(user, 'resume')).text).toContain('already on');
  });

  it('“Snooze a week” right after Monday’s nudge skips exactly the next nudge; pause 7 skips none', async () => {
    const user = 'U0RHYTHM02';
    at('2026-11-18T12:00:00Z');
    await as(user, 'start devops');
    await tick('2026-11-23T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(1);
    at('2026-11-23T09:05:00Z');
    const snoozed = await press(user, 'snooze_week');
    expect(snoozed).toContain('paused until Tue 1 Dec, 00:00');
    expect(snoozed).toContain('next nudge: Mon 7 Dec, 09:00');
    expect(await store().enrolments.current(TEAM, user)).toMatchObject({ pausedUntil: new Date('2026-12-01T00:00:00.000Z') });
    await tick('2026-11-30T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(1);
    await tick('2026-12-07T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(2);
    expect((await store().enrolments.current(TEAM, user))?.status).toBe('active');
  });

  it('pause 7 right after Monday’s nudge ends before the next one, which comes as usual', async () => {
    const user = 'U0RHYTHM09';
    at('2026-11-18T12:00:00Z');
    await as(user, 'start devops');
    await tick('2026-11-23T09:00:30Z');
    at('2026-11-23T09:05:00Z');
    expect((await as(user, 'pause 7')).text).toContain('paused until Mon 30 Nov, 00:00');
    await tick('2026-11-30T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(2);
    expect(nudgesTo(user)[1]).toMatch(/^Week 3 of/);
  });
});

describe('weeks follow the nudge day', () => {
  it('week 1 runs from joining to the first Monday; its nudge opens week 2, and status agrees', async () => {
    const user = 'U0RHYTHM03';
    at('2026-11-18T12:00:00Z'); // Wednesday
    expect((await as(user, 'start devops')).text).toContain('Week 1 of');
    at('2026-11-22T20:00:00Z'); // Sunday
    expect(field(JSON.stringify((await as(user, 'status')).blocks), 'Week')).toMatch(/^1 of/);
    await tick('2026-11-23T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(1);
    expect(nudgesTo(user)[0]).toMatch(/^Week 2 of 16/);
    at('2026-11-23T10:00:00Z');
    expect(field(JSON.stringify((await as(user, 'status')).blocks), 'Week')).toMatch(/^2 of/);
    expect(field(await home(user), 'Week')).toMatch(/^2 of/);
    expect((await as(user, 'done')).text).toContain('Week 2 done');
  });

  it('joining on a Monday before the nudge time: no nudge that day; the next Monday opens week 2', async () => {
    const user = 'U0RHYTHM04';
    at('2026-11-23T08:00:00Z');
    const joined = await as(user, 'start devops');
    expect(all(joined)).toContain('Next nudge: Mon 30 Nov, 09:00');
    expect((await store().enrolments.current(TEAM, user))?.nextNudgeAt).toEqual(new Date('2026-11-30T09:00:00.000Z'));
    await tick('2026-11-23T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(0);
    await tick('2026-11-30T09:00:30Z');
    expect(nudgesTo(user)).toHaveLength(1);
    expect(nudgesTo(user)[0]).toMatch(/^Week 2 of/);
  });

  it('a nudge for a week already marked done says so instead of asking to mark it', async () => {
    const user = 'U0RHYTHM05';
    at('2026-11-18T12:00:00Z');
    await as(user, 'start devops');
    at('2026-11-23T08:00:00Z'); // Monday before the nudge: week 2 already
    expect((await as(user, 'done')).text).toContain('Week 2 done');
    await tick('2026-11-23T09:00:30Z');
    const [nudge] = nudgesTo(user);
    expect(nudge).toMatch(/^Week 2 of/);
    expect(nudge).toContain('already marked done');
    expect(nudge).not.toContain('milestone_done');
    // Last week (week 1) was not marked: the nudge says how to catch up.
    expect(nudge).toContain('/aipath done 1');
  });
});

describe('/aipath done [week]', () => {
  it('marks a past week, refuses a future week or one beyond the track, and without a week marks this one', async () => {
    const user = 'U0RHYTHM06';
    at('2026-11-18T12:00:00Z');
    await as(user, 'start devops');
    at('2026-12-01T12:00:00Z'); // Tuesday of week 3
    const enrolment = (await store().enrolments.current(TEAM, user))!;
    expect((await as(user, 'done 1')).text).toContain('Week 1 done');
    const future = await as(user, 'done 4');
    expect(future.text).toMatch(/Week 4 starts Mon 7 Dec/);
    const beyond = await as(user, 'done 17');
    expect(beyond.text).toContain('16 weeks');
    expect((await as(user, 'done 1')).text).toContain('already marked done');
    expect((await as(user, 'done')).text).toContain('Week 3 done');
    expect(await store().enrolments.doneWeeks(enrolment.id)).toEqual([1, 3]);
    const milestonePoints = (await store().points.earnedBy(TEAM, user)).filter((p) => p.kind === 'milestone');
    expect(milestonePoints.map((p) => p.ref)).toEqual([`${enrolment.id}:1`, `${enrolment.id}:3`]);
  });
});

describe('study days and streak freezes', () => {
  it('settings days weekdays: shown in settings, and a weekend neither breaks nor extends the streak', async () => {
    const user = 'U0RHYTHM07';
    at('2026-11-23T10:00:00Z');
    await as(user, 'start devops');
    for (const d of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']) await store().points.markStudyDay(TEAM, user, d);
    expect((await as(user, 'settings days weekdays')).text).toMatch(/weekdays/i);
    expect((await store().users.get(TEAM, user))?.reviewDays).toBe('weekdays');
    expect((await as(user, 'settings')).text).toMatch(/Study days: \*?weekdays/i);
    expect(await press(user, 'tip_ack')).toContain('6 days');
    await as(user, 'settings days all');
    expect(field(JSON.stringify((await as(user, 'status')).blocks), 'Streak')).toMatch(/^1 day/);
  });

  it('a full week earns a freeze that covers a missed day, and status shows what is banked', async () => {
    const user = 'U0RHYTHM08';
    at('2026-11-23T10:00:00Z');
    await as(user, 'start devops');
    // Every day from Mon 2 to Sun 15 Nov (two full weeks: two freezes), Monday 16 missed, then every day to today.
    for (let d = DateTime.fromISO('2026-11-02'); d < DateTime.fromISO('2026-11-23'); d = d.plus({ days: 1 }))
      if (d.toISODate() !== '2026-11-16') await store().points.markStudyDay(TEAM, user, d.toISODate()!);
    const streak = field(JSON.stringify((await as(user, 'status')).blocks), 'Streak');
    expect(streak).toMatch(/^20 days/);
    expect(streak).toContain('1 freeze');
  });
});

describe('practice points per day', () => {
  it('scores 10 right practice answers a day (50 points), says which was the last, and keeps grading after', async () => {
    const user = 'U0RHYTHM09';
    at('2026-11-24T10:00:00Z');
    await as(user, 'start devops');
    const replies: string[] = [];
    for (let i = 0; i < 11; i++) {
      const q = questionOf(await as(user, 'quiz'));
      const a = answerAction(q, 'pquiz', q.id, rightResponse(q));
      replies.push(await press(user, a.actionId, a.value, a.state));
    }
    const practice = (await store().points.earnedBy(TEAM, user)).filter((p) => p.kind === 'personal_quiz');
    expect(practice.reduce((s, p) => s + p.points, 0)).toBe(50);
    expect(replies[8]).not.toContain('last scored practice answer');
    expect(replies[9]).toContain("that was today's last scored practice answer; keep practising, it still trains your reviews");
    expect(replies[10]).toContain('No points');
    expect((await store().reviews.logOf(TEAM, user)).length).toBe(11);
    // The next local day pays again.
    at('2026-11-25T10:00:00Z');
    const q = questionOf(await as(user, 'quiz'));
    const a = answerAction(q, 'pquiz', q.id, rightResponse(q));
    expect(await press(user, a.actionId, a.value, a.state)).toContain('+5 points');
    expect(all(await as(user, 'help'))).toMatch(/10 right answers a day/);
  });
});

describe("the weekly DM's last week", () => {
  it('gives last week’s answers and accuracy by domain, reviews, streak and rank change', async () => {
    const user = 'U0RHYTHM10';
    const rival = 'U0RHYTHM11';
    at('2026-11-11T12:00:00Z');
    await as(user, 'start devops');
    await as(rival, 'start devops');
    const { quiz, reviews, points } = store();
    // Before last week the rival was ahead.
    await points.award(TEAM, rival, 'milestone', 'rival-1', 30, new Date('2026-11-12T12:00:00Z'));
    await points.award(TEAM, user, 'milestone', 'mine-1', 10, new Date('2026-11-12T12:00:00Z'));
    await tick('2026-11-16T09:00:30Z');
    // Last week (Mon 16 to Sun 22 Nov): four practice answers on AIF-C01 (three right), two reviews (one right).
    const bank = content.quiz.filter((q) => q.cert === 'aif-c01');
    const d1 = bank.filter((q) => q.domain === 1).slice(0, 2);
    const d3 = bank.filter((q) => q.domain === 3).slice(0, 4);
    const answer = async (q: (typeof bank)[number], right: boolean, iso: string) =>
      quiz.answer(TEAM, user, q.id, null, right ? rightResponse(q) : wrongResponse(q), right, new Date(iso));
    await answer(d1[0]!, true, '2026-11-17T10:00:00Z');
    await answer(d1[1]!, false, '2026-11-17T10:05:00Z');
    await answer(d3[0]!, true, '2026-11-18T10:00:00Z');
    await answer(d3[1]!, true, '2026-11-19T10:00:00Z');
    // Outside the week: not counted.
    await answer(d3[2]!, false, '2026-11-12T10:00:00Z');
    for (const [q, right] of [
      [d3[3]!, true],
      [d1[0]!, false],
    ] as const) {
      const r = review(newCard(new Date('2026-11-20T10:00:00Z')), gradeOf(right), new Date('2026-11-20T10:00:00Z'));
      await reviews.saveReview(TEAM, user, q.id, r.card, r.log, 'review');
    }
    for (const d of ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']) await points.markStudyDay(TEAM, user, d);
    await points.award(TEAM, user, 'personal_quiz', 'x1', 40, new Date('2026-11-18T10:00:00Z'));
    await tick('2026-11-23T09:00:30Z');
    const [, nudge] = nudgesTo(user);
    expect(nudge).toBeDefined();
    expect(nudge).toMatch(/Last week/);
    expect(nudge).toContain('6 answers, 67% right');
    expect(nudge).toContain('Fundamentals of AI and ML');
    expect(nudge).toMatch(/Fundamentals of AI and ML[^"\\]*1\/3/);
    expect(nudge).toMatch(/Applications of Foundation Models[^"\\]*3\/3/);
    expect(nudge).toContain('2 reviews');
    expect(nudge).toContain('6-day streak');
    expect(nudge).toMatch(/rank 1 \(up from 2\)/);
  });
});
