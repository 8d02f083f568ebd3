import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM, startTestApp, type TestApp } from '../support/harness.js';
import { answerAction, rightResponse, wrongResponse } from '../support/quiz-answers.js';
import type { QuizQuestion } from '../../src/content/schema.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { now: new Date('2026-11-23T10:00:00Z') });
});
afterAll(async () => {
  await t.close();
});

const store = () => t.app.services.store;
const answersOf = (user: string) => store().quiz.answersOf(TEAM, user);
const earnedBy = async (user: string) => (await store().points.earnedBy(TEAM, user)).map((p) => ({ kind: p.kind, points: p.points }));

/** Clicks an answer button on a message the way Slack sends it (with the pickers' state for Submit). */
const click = (user: string, actionId: string, value: string, team = TEAM, state?: unknown) =>
  t.action(actionId, { user, value, team, state, channel: 'C0QUIZ0001', responseUrl: `${t.fake.responseUrlBase}${user}` });

describe('channel quiz', () => {
  let postId = 0;
  let question: QuizQuestion;
  const answerAs = (user: string, right: boolean, team = TEAM) => {
    const a = answerAction(question, 'cquiz', postId, right ? rightResponse(question) : wrongResponse(question));
    return click(user, a.actionId, a.value, team, a.state);
  };

  it('is posted with the daily tip, with answer buttons and a count', async () => {
    await t.commandJson('subscribe 09:00 UTC', { user: 'U0ADMIN001', channel: 'C0QUIZ0001' }).catch(() => undefined);
    // Admin rights come from AIPATH_ADMINS or users.info; make this user an admin in the fake workspace.
    t.fake.users.set('U0ADMIN002', { id: 'U0ADMIN002', is_admin: true });
    const reply = await t.commandJson('subscribe 09:00 UTC', { user: 'U0ADMIN002', channel: 'C0QUIZ0001' });
    // A new subscription: told to the admin alone; the channel gets aipath's intro post.
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Subscribed <#C0QUIZ0001>');
    const summary = await t.app.scheduler.tick(new Date('2026-11-24T09:00:20Z'));
    expect(summary.sent).toBe(2);
    const quizPost = t.fake.callsOf('chat.postMessage').find((c) => String(c.params.text).startsWith('Quiz of the day'))!;
    expect(quizPost.params.channel).toBe('C0QUIZ0001');
    const [delivery] = await store().ledger.list({ kind: 'daily_quiz' });
    const post = await store().quiz.postForDelivery(delivery!.id);
    postId = post!.id;
    expect(post).toMatchObject({ channelId: 'C0QUIZ0001', closedAt: null });
    expect(post!.messageTs).toBeTruthy();
    question = (await import('../../src/content/load.js')).loadContent().question(post!.questionId)!;
    expect(JSON.stringify(quizPost.params.blocks)).toContain(`"value":"${answerAction(question, 'cquiz', postId, rightResponse(question)).value}"`);
  });

  it('scores a first right answer once, however often it is clicked, and tells only the clicker', async () => {
    t.now.value = new Date('2026-11-24T10:00:00Z');
    const before = t.fake.callsOf('response_url').length;
    // Two clicks on the right answer at once; the wrong one only after they were answered: clicks are worked on
    // after their acknowledgement, side by side, so three sent at once could reach the database in any order.
    await answerAs('U0ANSWER01', true);
    await answerAs('U0ANSWER01', true);
    await expect.poll(() => t.fake.callsOf('response_url').length - before).toBe(2);
    await answerAs('U0ANSWER01', false);
    await expect.poll(() => t.fake.callsOf('response_url').length - before).toBe(3);
    const replies = t.fake.callsOf('response_url').slice(before);
    expect(replies.every((r) => r.params.response_type === 'ephemeral')).toBe(true);
    expect(replies.filter((r) => String(r.params.text).startsWith('Right!'))).toHaveLength(1);
    expect(replies.filter((r) => String(r.params.text).includes('already answered'))).toHaveLength(2);
    expect(await earnedBy('U0ANSWER01')).toEqual([{ kind: 'channel_quiz', points: 10 }]);
    expect(await answersOf('U0ANSWER01')).toHaveLength(1);
    // The week's boards (running totals) count it once too, on the team's board and the workspace's.
    const board = await t.commandJson('leaderboard week', { user: 'U0ANSWER01', channel: 'C0QUIZ0001' });
    expect(JSON.stringify(board.blocks).split('<@U0ANSWER01>: 10 pts')).toHaveLength(3);
    expect(board.text).toContain('You: rank 1 with 10 points');
  });

  it('scores nothing for a wrong first answer, and updates the channel count', async () => {
    await answerAs('U0ANSWER02', false);
    await expect.poll(() => t.fake.callsOf('chat.update').length).toBeGreaterThanOrEqual(2);
    expect(await earnedBy('U0ANSWER02')).toEqual([]);
    expect(JSON.stringify(t.fake.callsOf('chat.update').at(-1)!.params.blocks)).toContain('2 learners have answered');
  });

  it('ignores a click that claims another workspace', async () => {
    await answerAs('U0ANSWER03', true, 'T0OTHER01');
    await expect.poll(() => t.fake.callsOf('response_url').filter((c) => String(c.params.text).includes('no longer available')).length).toBe(1);
    expect(await answersOf('U0ANSWER03')).toEqual([]);
    expect(await store().quiz.answersOf('T0OTHER01', 'U0ANSWER03')).toEqual([]);
  });

  it('closes when the next one is posted, showing the answer and the share right', async () => {
    const updatesBefore = t.fake.callsOf('chat.update').length;
    await t.app.scheduler.tick(new Date('2026-11-25T09:00:20Z'));
    expect((await store().quiz.post(postId))?.closedAt).toBeTruthy();
    const closed = t.fake
      .callsOf('chat.update')
      .slice(updatesBefore)
      .find((c) => String(c.params.text).startsWith('Closed quiz'))!;
    expect(String(closed.params.text)).toContain('1 of 2 got it right (50%)');
    await answerAs('U0ANSWER04', true);
    await expect.poll(() => t.fake.callsOf('response_url').filter((c) => String(c.params.text).includes('This quiz has closed')).length).toBe(1);
  });
});

describe('personal quiz, points and leaderboards', () => {
  it('gives a question the learner has not answered, scores 5 once, and never repeats it', async () => {
    await t.commandJson('start devops', { user: 'U0SOLO0001' });
    const reply = await t.commandJson('quiz', { user: 'U0SOLO0001' });
    const questionId = /"value":"([a-z0-9-]+)(:\d)?"/.exec(JSON.stringify(reply.blocks))![1]!;
    const { loadContent } = await import('../../src/content/load.js');
    const q = loadContent().question(questionId)!;
    const a = answerAction(q, 'pquiz', questionId, rightResponse(q));
    await click('U0SOLO0001', a.actionId, a.value, TEAM, a.state);
    await click('U0SOLO0001', a.actionId, a.value, TEAM, a.state);
    await expect.poll(async () => (await answersOf('U0SOLO0001')).length).toBe(1);
    expect(await earnedBy('U0SOLO0001')).toEqual([{ kind: 'personal_quiz', points: 5 }]);
    for (let i = 0; i < 20; i++) {
      const next = await t.commandJson('quiz', { user: 'U0SOLO0001' });
      expect(JSON.stringify(next.blocks)).not.toMatch(new RegExp(`"value":"${questionId}(:\\d)?"`));
    }
  });

  it('pays 25 for a milestone, once', async () => {
    await t.commandJson('done', { user: 'U0SOLO0001' });
    await t.commandJson('done', { user: 'U0SOLO0001' });
    expect((await earnedBy('U0SOLO0001')).filter((p) => p.kind === 'milestone')).toEqual([{ kind: 'milestone', points: 25 }]);
  });

  it('shows the channel team and the workspace, ties sharing a rank, and the caller', async () => {
    const board = await t.commandJson('leaderboard all', { user: 'U0SOLO0001', channel: 'C0QUIZ0001' });
    const text = JSON.stringify(board.blocks);
    expect(text).toContain("This channel's team");
    expect(text).toContain('<@U0ANSWER01>: 10 pts');
    expect(text).toContain('<@U0SOLO0001>: 30 pts');
    expect(board.text).toContain('You: rank 1 with 30 points');
  });

  it('leaves out learners who turned leaderboards off, who still see their own points', async () => {
    await t.commandJson('settings leaderboard off', { user: 'U0ANSWER01' });
    const theirs = await t.commandJson('leaderboard all', { user: 'U0ANSWER01', channel: 'C0QUIZ0001' });
    expect(JSON.stringify(theirs.blocks)).not.toContain('<@U0ANSWER01>');
    expect(theirs.text).toContain("You're hidden from leaderboards");
    expect(theirs.text).toContain('You have 10 points');
    await t.commandJson('settings leaderboard on', { user: 'U0ANSWER01' });
  });

  it('keeps workspaces apart', async () => {
    const other = await t.commandJson('leaderboard all', { user: 'U0SOLO0001', team: 'T0ELSEWHR1', channel: 'C0QUIZ0001' });
    expect(JSON.stringify(other.blocks)).not.toContain('U0ANSWER01');
    expect(JSON.stringify(other.blocks)).not.toContain('<@U0SOLO0001>');
  });

  it('shows streak, points and rank in status', async () => {
    const status = await t.commandJson('status', { user: 'U0SOLO0001' });
    const text = JSON.stringify(status.blocks);
    expect(text).toContain('*Streak*\\n1 day');
    expect(text).toContain('*Points*\\n30 (rank 1 in the workspace)');
  });

  it('forget-me deletes answers, points and study days with the user', async () => {
    expect((await t.action('forget_me_confirm', { user: 'U0SOLO0001' })).status).toBe(200);
    await expect.poll(async () => store().users.get(TEAM, 'U0SOLO0001')).toBeUndefined();
    expect(await earnedBy('U0SOLO0001')).toEqual([]);
    expect(await answersOf('U0SOLO0001')).toEqual([]);
    expect(await store().points.studyDays(TEAM, 'U0SOLO0001', '2000-01-01')).toEqual(new Set());
    expect(await store().enrolments.current(TEAM, 'U0SOLO0001')).toBeUndefined();
  });
});

describe('the Monday post', () => {
  it("shows last week's top learners, highlights and team totals", async () => {
    const before = t.fake.callsOf('chat.postMessage').length;
    await t.app.scheduler.tick(new Date('2026-11-30T09:00:20Z'));
    const recap = t.fake
      .callsOf('chat.postMessage')
      .slice(before)
      .find((c) => String(c.params.text).startsWith("Last week's study leaderboard"))!;
    expect(recap.params.channel).toBe('C0QUIZ0001');
    const text = JSON.stringify(recap.params.blocks);
    expect(text).toContain('<@U0ANSWER01>: 10 pts');
    expect(text).toContain('Team totals: 2 questions answered, 50% correct');
    expect(text).toContain('Most improved: <@U0ANSWER01>');
  });
});
