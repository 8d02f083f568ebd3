/**
 * The repository contract, written once against the ports in src/ports/store.ts and run against every engine's
 * adapter (test/store/<engine>-contract.test.ts). It speaks only the Store port: no SQL, nothing from an adapter's
 * folder, so that SQLite and PostgreSQL are held to exactly the same behaviour. Every instant is a fixed Date.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { regrade, type MemoryCard, newCard, type ReviewGrade, type Reviewed, review } from '../../../src/domain/review/memory.js';
import type { Delivery, DeliveryKey, HeldClaim, Period, Store } from '../../../src/ports/store.js';

export interface OpenedStore {
  store: Store;
  /**
   * Closes the store and throws its data away. Must also work after the test itself closed the store's database
   * (the `database` tests do).
   */
  close(): Promise<void>;
}

// ---------- fixed instants and names

const NOW = new Date('2026-12-01T09:00:00.000Z');
/** `minutes` after (or, negative, before) `NOW`. */
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const WS = 'T0CONTRACT1';
const WS2 = 'E0GRID:T0CONTRACT2';
const OWNER_A = 'hosta/101.kx1.4026531836/1';
const OWNER_B = 'hostb/202.kx2.4026531836/1';
const FORGOTTEN_USER = 'forgotten-user';

const key = (over: Partial<DeliveryKey> = {}): DeliveryKey => ({ ws: WS, kind: 'daily_tip', target: 'C1', period: '2026-12-01', ...over });
const held = (d: Pick<Delivery, 'id' | 'fence'>): HeldClaim => ({ id: d.id, fence: d.fence });
const byRankThenUser = <T extends { rank: number; userId: string }>(entries: T[]) =>
  [...entries].sort((a, b) => a.rank - b.rank || a.userId.localeCompare(b.userId));
const byUser = <T extends { userId: string }>(scores: T[]) => [...scores].sort((a, b) => a.userId.localeCompare(b.userId));
/** A real FSRS card: a new card answered `grade` at `when`, or `card` answered `grade` at `when`. */
const answered = (grade: ReviewGrade, when: Date, card: MemoryCard = newCard(when)): Reviewed => review(card, grade, when);

export function describeStoreContract(engine: string, open: () => Promise<OpenedStore>): void {
  describe(`Store contract (${engine})`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    /** A delivery claimed by `owner` at `claimedAt`, its lease running until `leaseUntil`. */
    const claim = async (k: DeliveryKey, owner = OWNER_A, claimedAt = NOW, leaseUntil = at(5)) => {
      const d = await store.ledger.insert(k, claimedAt, 'claimed', false, owner, leaseUntil, claimedAt);
      expect(d).toBeDefined();
      return d!;
    };
    /** A delivery that went out, with what it showed. */
    const sent = async (k: DeliveryKey, contentId: string | null, when = NOW) => {
      const d = await claim(k, OWNER_A, when);
      expect(await store.ledger.markSent(held(d), k.target, `${d.id}.0001`, contentId, when)).toBe(true);
      return d;
    };
    /** A channel quiz post (with the delivery it belongs to), posted to Slack as `ts`. */
    const quizPost = async (ws: string, channel: string, questionId: string, period: string, ts: string | null = `ts-${period}`, when = NOW) => {
      const d = await claim(key({ ws, kind: 'daily_quiz', target: channel, period }), OWNER_A, when);
      const post = await store.quiz.createPost(ws, channel, questionId, d.id, when);
      if (ts !== null) await store.quiz.setMessageTs(post.id, ts);
      return (await store.quiz.post(post.id))!;
    };
    const users = async (ws: string, ...ids: string[]) => {
      for (const id of ids) await store.users.ensure(ws, id, NOW);
    };

    // ======================================================================================
    describe('users', () => {
      it('ensure creates the record once, with the defaults, as booleans and Dates', async () => {
        expect(await store.users.get(WS, 'U1')).toBeUndefined();
        const created = await store.users.ensure(WS, 'U1', NOW);
        expect(created).toEqual({
          workspaceId: WS,
          userId: 'U1',
          slackTz: null,
          tzOverride: null,
          nudgeTime: '09:00',
          onLeaderboard: true,
          isWorkspaceAdmin: false,
          profileFetchedAt: null,
          createdAt: NOW,
          dmChannel: null,
          examCert: null,
          examDate: null,
          reviewsOn: true,
          reviewDays: 'all',
        });
        expect(typeof created.onLeaderboard).toBe('boolean');
        expect(typeof created.isWorkspaceAdmin).toBe('boolean');
        expect(typeof created.reviewsOn).toBe('boolean');
        expect(created.createdAt).toBeInstanceOf(Date);

        await store.users.setNudgeTime(WS, 'U1', '07:45');
        const again = await store.users.ensure(WS, 'U1', at(60));
        expect(again).toEqual({ ...created, nudgeTime: '07:45' });
        expect(await store.users.get(WS, 'U1')).toEqual(again);
      });

      it('setProfile, setNudgeTime, setTzOverride, setOnLeaderboard and setDmChannel round-trip', async () => {
        await users(WS, 'U1');
        await store.users.setProfile(WS, 'U1', { tz: 'Europe/Berlin', isWorkspaceAdmin: true }, at(1));
        await store.users.setNudgeTime(WS, 'U1', '07:30');
        await store.users.setTzOverride(WS, 'U1', 'America/Argentina/Buenos_Aires');
        await store.users.setOnLeaderboard(WS, 'U1', false);
        await store.users.setDmChannel(WS, 'U1', 'D0DM1');
        const u = (await store.users.get(WS, 'U1'))!;
        expect(u).toEqual({
          workspaceId: WS,
          userId: 'U1',
          slackTz: 'Europe/Berlin',
          tzOverride: 'America/Argentina/Buenos_Aires',
          nudgeTime: '07:30',
          onLeaderboard: false,
          isWorkspaceAdmin: true,
          profileFetchedAt: at(1),
          createdAt: NOW,
          dmChannel: 'D0DM1',
          examCert: null,
          examDate: null,
          reviewsOn: true,
          reviewDays: 'all',
        });
        expect(u.onLeaderboard).toBe(false);
        expect(u.profileFetchedAt).toBeInstanceOf(Date);

        await store.users.setProfile(WS, 'U1', { tz: null, isWorkspaceAdmin: false }, at(2));
        await store.users.setTzOverride(WS, 'U1', null);
        await store.users.setOnLeaderboard(WS, 'U1', true);
        await store.users.setDmChannel(WS, 'U1', 'D0DM2');
        expect(await store.users.get(WS, 'U1')).toMatchObject({
          slackTz: null,
          tzOverride: null,
          onLeaderboard: true,
          isWorkspaceAdmin: false,
          profileFetchedAt: at(2),
          dmChannel: 'D0DM2',
        });
      });

      it('keeps workspaces apart: the same user id in two workspaces is two users', async () => {
        await store.users.ensure(WS, 'U1', NOW);
        await store.users.ensure(WS2, 'U1', at(1));
        await store.users.setNudgeTime(WS, 'U1', '06:00');
        await store.users.setOnLeaderboard(WS, 'U1', false);
        await store.points.award(WS, 'U1', 'milestone', 'w1', 25, NOW);
        await store.points.markStudyDay(WS, 'U1', '2026-12-01');
        await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-12-01', NOW);
        await store.subscriptions.upsert(
          { ws: WS2, channel: 'C1', time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: at(60), nextWeekly: at(600) },
          NOW,
        );

        expect(await store.users.get(WS2, 'U1')).toMatchObject({ workspaceId: WS2, nudgeTime: '09:00', onLeaderboard: true, createdAt: at(1) });
        expect(await store.points.standing(WS2, 'U1')).toEqual({ points: 0, rank: undefined });
        expect(await store.points.studyDays(WS2, 'U1', '2026-01-01')).toEqual(new Set());
        expect(await store.enrolments.current(WS2, 'U1')).toBeUndefined();

        expect(await store.users.forget(WS, 'U1')).toBe(true);
        expect(await store.users.get(WS, 'U1')).toBeUndefined();
        expect(await store.users.get(WS2, 'U1')).toBeDefined();
        expect((await store.subscriptions.get(WS2, 'C1'))?.createdBy).toBe('U1');
      });

      it('forget removes the user and everything about them, keeps what others need, and says whether anything was there', async () => {
        await users(WS, 'U1', 'U2');
        const before = new Date('2026-11-01T00:00:00.000Z');
        const period: Period = { from: before, to: at(24 * 60) };
        // U1's enrolments, milestones, answers, team membership, points and study days.
        const { enrolment: old } = await store.enrolments.switchTo(WS, 'U1', 'mlops', '2026-11-02', before);
        await store.enrolments.markDone(old.id, 1, before);
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        await store.enrolments.markDone(enrolment.id, 1, NOW);
        const post = await quizPost(WS, 'C1', 'q-channel', '2026-12-01');
        await store.quiz.answer(WS, 'U1', 'q-channel', post, [1], true, NOW);
        await store.quiz.answer(WS, 'U2', 'q-channel', post, [0], false, NOW);
        await store.quiz.answer(WS, 'U1', 'q-personal', null, [2], true, NOW);
        await store.points.award(WS, 'U1', 'channel_quiz', String(post.id), 10, NOW, 'C1');
        await store.points.award(WS, 'U1', 'milestone', `${enrolment.id}:1`, 25, NOW);
        await store.points.award(WS, 'U2', 'channel_quiz', String(post.id), 10, NOW, 'C1');
        await store.points.markStudyDay(WS, 'U1', '2026-12-01');
        // What U1 made for a channel, and deliveries addressed to U1 or to others.
        await store.subscriptions.upsert(
          { ws: WS, channel: 'C1', time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: at(60), nextWeekly: at(600) },
          NOW,
        );
        await store.subscriptions.upsert(
          { ws: WS, channel: 'C2', time: '10:00', tz: 'UTC', track: null, by: 'U2', nextDaily: at(60), nextWeekly: at(600) },
          NOW,
        );
        const nudgeU1 = key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W49' });
        const nudgeU1Earlier = key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W48' });
        const nudgeU2 = key({ kind: 'weekly_nudge', target: 'U2', period: '2026-W49' });
        await sent(nudgeU1Earlier, '1', before);
        await claim(nudgeU1);
        await claim(nudgeU2);

        expect(await store.users.forget(WS, 'U1')).toBe(true);

        expect(await store.users.get(WS, 'U1')).toBeUndefined();
        expect(await store.enrolments.current(WS, 'U1')).toBeUndefined();
        expect(await store.enrolments.doneWeeks(enrolment.id)).toEqual([]);
        expect(await store.enrolments.doneWeeks(old.id)).toEqual([]);
        expect(await store.quiz.answeredQuestions(WS, 'U1')).toEqual(new Set());
        expect(await store.quiz.tally(post.id)).toEqual({ answered: 1, correct: 0 });
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 0, rank: undefined });
        expect(await store.points.userPoints(WS, 'U1', period)).toBe(0);
        expect(await store.points.studyDays(WS, 'U1', '2026-01-01')).toEqual(new Set());
        expect(byUser(await store.points.teamScores(WS, 'C1', period))).toEqual([{ userId: 'U2', points: 10 }]);
        expect((await store.points.board(WS, 'all', { me: 'U1', limit: 10 })).top.map((e) => e.userId)).toEqual(['U2']);
        // Their DMs are gone from the ledger; other learners' DMs and channel posts stay.
        expect(await store.ledger.find(nudgeU1)).toBeUndefined();
        expect(await store.ledger.find(nudgeU1Earlier)).toBeUndefined();
        expect(await store.ledger.list({ ws: WS, target: 'U1' })).toEqual([]);
        expect(await store.ledger.find(nudgeU2)).toBeDefined();
        expect(await store.ledger.find(key({ kind: 'daily_quiz', target: 'C1', period: '2026-12-01' }))).toBeDefined();
        expect(await store.quiz.post(post.id)).toBeDefined();
        // The channel keeps its subscription; who made it is no longer said.
        expect(await store.subscriptions.get(WS, 'C1')).toMatchObject({ createdBy: FORGOTTEN_USER, status: 'active' });
        expect((await store.subscriptions.get(WS, 'C2'))?.createdBy).toBe('U2');
        // U2 is untouched.
        expect(await store.users.get(WS, 'U2')).toBeDefined();
        expect(await store.points.standing(WS, 'U2')).toEqual({ points: 10, rank: 1 });

        expect(await store.users.forget(WS, 'U1')).toBe(false);
        expect(await store.users.forget(WS, 'U0NOBODY')).toBe(false);
      });

      it('forget is true when only the user id in a subscription was left of them', async () => {
        await store.subscriptions.upsert(
          { ws: WS, channel: 'C9', time: '09:00', tz: 'UTC', track: null, by: 'U9', nextDaily: at(60), nextWeekly: at(600) },
          NOW,
        );
        expect(await store.users.forget(WS, 'U9')).toBe(true);
        expect((await store.subscriptions.get(WS, 'C9'))?.createdBy).toBe(FORGOTTEN_USER);
        expect(await store.users.forget(WS, 'U9')).toBe(false);
      });

      it('setExamTarget sets and clears the exam and its date together; setReviewsOn and setReviewDays round-trip', async () => {
        await users(WS, 'U1');
        await store.users.ensure(WS2, 'U1', NOW);
        await store.users.setExamTarget(WS, 'U1', { cert: 'aip-c01', date: '2027-03-15' });
        await store.users.setReviewsOn(WS, 'U1', false);
        await store.users.setReviewDays(WS, 'U1', 'weekdays');
        const u = (await store.users.get(WS, 'U1'))!;
        expect(u).toMatchObject({ examCert: 'aip-c01', examDate: '2027-03-15', reviewsOn: false, reviewDays: 'weekdays' });
        expect(u.reviewsOn).toBe(false);
        // Nothing else changed, and the same user id in another workspace keeps the defaults.
        expect(u).toMatchObject({ nudgeTime: '09:00', onLeaderboard: true, tzOverride: null, createdAt: NOW });
        expect(await store.users.get(WS2, 'U1')).toMatchObject({ examCert: null, examDate: null, reviewsOn: true, reviewDays: 'all' });

        await store.users.setExamTarget(WS, 'U1', { cert: 'mla-c02', date: '2027-06-01' });
        await store.users.setReviewsOn(WS, 'U1', true);
        await store.users.setReviewDays(WS, 'U1', 'all');
        expect(await store.users.get(WS, 'U1')).toMatchObject({ examCert: 'mla-c02', examDate: '2027-06-01', reviewsOn: true, reviewDays: 'all' });

        await store.users.setExamTarget(WS, 'U1', null);
        expect(await store.users.get(WS, 'U1')).toMatchObject({ examCert: null, examDate: null });
        // ensure on a known user keeps what was set.
        await store.users.setExamTarget(WS, 'U1', { cert: 'aif-c01', date: '2026-12-24' });
        expect(await store.users.ensure(WS, 'U1', at(60))).toMatchObject({ examCert: 'aif-c01', examDate: '2026-12-24', createdAt: NOW });
      });

      it("forget removes the learner's memory cards, review log, practice exams, exam target and DMs of every kind, and nobody else's", async () => {
        await users(WS, 'U1', 'U2');
        await store.users.ensure(WS2, 'U1', NOW);
        await store.users.setExamTarget(WS, 'U1', { cert: 'aip-c01', date: '2027-03-15' });
        const first = answered('again', at(-60));
        for (const [ws, user] of [
          [WS, 'U1'],
          [WS, 'U2'],
          [WS2, 'U1'],
        ] as const) {
          await store.reviews.saveReview(ws, user, 'q-1', first.card, first.log, 'review');
          await store.reviews.saveReview(ws, user, 'q-2', first.card, first.log, 'mock');
        }
        const mine = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1', 'q-2'], at(-10), at(120));
        await store.mocks.answer(mine.id, 'q-1', [0], true, at(-5));
        const theirs = await store.mocks.start(WS, 'U2', 'aip-c01', ['q-1'], at(-10), at(120));
        await store.mocks.answer(theirs.id, 'q-1', [1], false, at(-5));
        const reminderU1 = key({ kind: 'review_reminder', target: 'U1', period: '2026-12-01' });
        const reminderU2 = key({ kind: 'review_reminder', target: 'U2', period: '2026-12-01' });
        await sent(reminderU1, null);
        await sent(reminderU2, null);

        expect(await store.users.forget(WS, 'U1')).toBe(true);

        expect(await store.users.get(WS, 'U1')).toBeUndefined();
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toBeUndefined();
        expect(await store.reviews.cardsOf(WS, 'U1')).toEqual([]);
        expect(await store.reviews.logOf(WS, 'U1')).toEqual([]);
        expect(await store.reviews.dueCount(WS, 'U1', NOW)).toBe(0);
        expect(await store.mocks.get(mine.id)).toBeUndefined();
        expect(await store.mocks.answers(mine.id)).toEqual([]);
        expect(await store.mocks.active(WS, 'U1', NOW)).toBeUndefined();
        expect(await store.ledger.find(reminderU1)).toBeUndefined();
        // Coming back later, the learner starts afresh: no exam target, reminders on.
        expect(await store.users.ensure(WS, 'U1', at(60))).toMatchObject({ examCert: null, examDate: null, reviewsOn: true, createdAt: at(60) });

        // U2, and U1 in the other workspace, keep theirs.
        expect((await store.reviews.cardsOf(WS, 'U2')).map((c) => c.questionId)).toEqual(['q-1', 'q-2']);
        expect(await store.reviews.logOf(WS, 'U2')).toHaveLength(2);
        expect((await store.reviews.cardsOf(WS2, 'U1')).map((c) => c.questionId)).toEqual(['q-1', 'q-2']);
        expect(await store.reviews.logOf(WS2, 'U1')).toHaveLength(2);
        expect(await store.mocks.get(theirs.id)).toBeDefined();
        expect(await store.mocks.answers(theirs.id)).toHaveLength(1);
        expect(await store.ledger.find(reminderU2)).toBeDefined();
      });
    });

    // ======================================================================================
    describe('enrolments', () => {
      it('switchTo creates the current enrolment', async () => {
        await users(WS, 'U1');
        expect(await store.enrolments.current(WS, 'U1')).toBeUndefined();
        const { enrolment, resumed } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        expect(resumed).toBe(false);
        expect(enrolment).toEqual({
          id: expect.any(Number),
          workspaceId: WS,
          userId: 'U1',
          trackId: 'devops',
          startedOn: '2026-11-30',
          status: 'active',
          pausedUntil: null,
          statusReason: null,
          pausedBy: null,
          isCurrent: true,
          nextNudgeAt: null,
          createdAt: NOW,
          updatedAt: NOW,
        });
        expect(await store.enrolments.current(WS, 'U1')).toEqual(enrolment);
      });

      it('switching back resumes the earlier enrolment with its progress; only one is current', async () => {
        await users(WS, 'U1');
        const { enrolment: a } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-02', NOW);
        await store.enrolments.markDone(a.id, 1, NOW);
        await store.enrolments.markDone(a.id, 2, NOW);
        await store.enrolments.setStatus(a.id, 'paused', NOW, { pausedUntil: at(60 * 24), reason: 'holiday' });

        const { enrolment: b, resumed: bResumed } = await store.enrolments.switchTo(WS, 'U1', 'mlops', '2026-12-01', at(1));
        expect(bResumed).toBe(false);
        expect(b.id).not.toBe(a.id);
        expect(await store.enrolments.current(WS, 'U1')).toMatchObject({ id: b.id, trackId: 'mlops', isCurrent: true });

        const back = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-12-07', at(2));
        expect(back.resumed).toBe(true);
        expect(back.enrolment).toMatchObject({
          id: a.id,
          trackId: 'devops',
          startedOn: '2026-11-02',
          status: 'active',
          pausedUntil: null,
          statusReason: null,
          isCurrent: true,
          createdAt: NOW,
          updatedAt: at(2),
        });
        expect(await store.enrolments.doneWeeks(a.id)).toEqual([1, 2]);
        expect(await store.enrolments.current(WS, 'U1')).toEqual(back.enrolment);

        // The other one is no longer current, and kept: switching to it again resumes it.
        const again = await store.enrolments.switchTo(WS, 'U1', 'mlops', '2026-12-14', at(3));
        expect(again).toMatchObject({ resumed: true, enrolment: { id: b.id, startedOn: '2026-12-01', isCurrent: true } });
        expect((await store.enrolments.current(WS, 'U1'))?.id).toBe(b.id);
      });

      it('a finished track stays finished when the learner switches back to it', async () => {
        await users(WS, 'U1');
        const { enrolment: a } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-02', NOW);
        await store.enrolments.setStatus(a.id, 'finished', NOW);
        await store.enrolments.switchTo(WS, 'U1', 'mlops', '2026-12-01', at(1));
        const back = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-12-01', at(2));
        expect(back).toMatchObject({ resumed: true, enrolment: { id: a.id, status: 'finished', isCurrent: true } });
      });

      it('switching to the current track again keeps it, as resumed', async () => {
        await users(WS, 'U1');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-02', NOW);
        const again = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-12-01', at(1));
        expect(again).toMatchObject({ resumed: true, enrolment: { id: enrolment.id, startedOn: '2026-11-02', isCurrent: true } });
      });

      it('setStatus round-trips the status, a timed pause and the reason', async () => {
        await users(WS, 'U1');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        const until = new Date('2026-12-15T08:00:00.000Z');
        await store.enrolments.setStatus(enrolment.id, 'paused', at(5), { pausedUntil: until, reason: 'exam prep' });
        const paused = (await store.enrolments.current(WS, 'U1'))!;
        expect(paused).toMatchObject({
          status: 'paused',
          pausedUntil: until,
          statusReason: 'exam prep',
          pausedBy: 'learner',
          updatedAt: at(5),
          createdAt: NOW,
        });
        expect(paused.pausedUntil).toBeInstanceOf(Date);

        await store.enrolments.setStatus(enrolment.id, 'paused', at(6), { reason: 'user_not_found', by: 'slack' });
        expect(await store.enrolments.current(WS, 'U1')).toMatchObject({
          status: 'paused',
          pausedUntil: null,
          statusReason: 'user_not_found',
          pausedBy: 'slack',
        });

        await store.enrolments.setStatus(enrolment.id, 'stopped', at(7), { reason: 'channel_not_found' });
        expect(await store.enrolments.current(WS, 'U1')).toMatchObject({
          status: 'stopped',
          pausedUntil: null,
          statusReason: 'channel_not_found',
          pausedBy: null,
        });

        await store.enrolments.setStatus(enrolment.id, 'active', at(8));
        expect(await store.enrolments.current(WS, 'U1')).toMatchObject({ status: 'active', pausedUntil: null, statusReason: null, updatedAt: at(8) });
      });

      it('markDone records a week once; doneWeeks lists them sorted, per enrolment', async () => {
        await users(WS, 'U1', 'U2');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-02', NOW);
        const { enrolment: other } = await store.enrolments.switchTo(WS, 'U2', 'devops', '2026-11-02', NOW);
        expect(await store.enrolments.doneWeeks(enrolment.id)).toEqual([]);
        expect(await store.enrolments.markDone(enrolment.id, 3, NOW)).toBe(true);
        expect(await store.enrolments.markDone(enrolment.id, 1, NOW)).toBe(true);
        expect(await store.enrolments.markDone(enrolment.id, 3, at(1))).toBe(false);
        expect(await store.enrolments.markDone(enrolment.id, 2, at(2))).toBe(true);
        expect(await store.enrolments.markDone(other.id, 3, NOW)).toBe(true);
        expect(await store.enrolments.doneWeeks(enrolment.id)).toEqual([1, 2, 3]);
        expect(await store.enrolments.doneWeeks(other.id)).toEqual([3]);
      });

      it('setNextNudge sets the due time; advanceNudge is a compare-and-set', async () => {
        await users(WS, 'U1');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        // From no due time at all.
        expect(await store.enrolments.advanceNudge(enrolment, at(60))).toBe(true);
        expect((await store.enrolments.current(WS, 'U1'))?.nextNudgeAt).toEqual(at(60));

        await store.enrolments.setNextNudge(enrolment.id, at(120));
        const seen = (await store.enrolments.current(WS, 'U1'))!;
        expect(seen.nextNudgeAt).toEqual(at(120));
        expect(seen.nextNudgeAt).toBeInstanceOf(Date);

        // Two processes saw the same record: only the first moves it on.
        expect(await store.enrolments.advanceNudge(seen, at(180))).toBe(true);
        expect(await store.enrolments.advanceNudge(seen, at(240))).toBe(false);
        expect((await store.enrolments.current(WS, 'U1'))?.nextNudgeAt).toEqual(at(180));
        // The stale record from before setNextNudge fails too.
        expect(await store.enrolments.advanceNudge(enrolment, at(300))).toBe(false);

        const fresh = (await store.enrolments.current(WS, 'U1'))!;
        expect(await store.enrolments.advanceNudge(fresh, null)).toBe(true);
        expect((await store.enrolments.current(WS, 'U1'))?.nextNudgeAt).toBeNull();
        await store.enrolments.setNextNudge(enrolment.id, at(10));
        await store.enrolments.setNextNudge(enrolment.id, null);
        expect((await store.enrolments.current(WS, 'U1'))?.nextNudgeAt).toBeNull();
      });

      it('advanceNudges moves many due times in one call, each compare-and-set, and says which moved, in the order given', async () => {
        const enrol = async (user: string, minutes: number) => {
          await store.users.ensure(WS, user, NOW);
          const { enrolment } = await store.enrolments.switchTo(WS, user, 'devops', '2026-11-30', NOW);
          await store.enrolments.setNextNudge(enrolment.id, at(minutes));
          return (await store.enrolments.current(WS, user))!;
        };
        const [e1, e2, e3] = [await enrol('U1', -30), await enrol('U2', -20), await enrol('U3', -10)];
        // U2 moved on since it was read: that move is refused, the others go through.
        await store.enrolments.setNextNudge(e2.id, at(5));
        expect(
          await store.enrolments.advanceNudges([
            { target: e1, next: at(60) },
            { target: e2, next: at(70) },
            { target: e3, next: null },
          ]),
        ).toEqual([true, false, true]);
        expect((await store.enrolments.current(WS, 'U1'))?.nextNudgeAt).toEqual(at(60));
        expect((await store.enrolments.current(WS, 'U2'))?.nextNudgeAt).toEqual(at(5));
        expect((await store.enrolments.current(WS, 'U3'))?.nextNudgeAt).toBeNull();
        // Seen again with the same (now stale) records: nothing moves.
        expect(await store.enrolments.advanceNudges([{ target: e1, next: at(90) }])).toEqual([false]);
        expect(await store.enrolments.advanceNudges([])).toEqual([]);
      });

      it("dueNudges returns current active or paused enrolments due by now, oldest due first, with the learner's schedule, up to the limit", async () => {
        const due = async (ws: string, user: string, minutes: number | null, status?: 'paused' | 'stopped' | 'finished') => {
          await store.users.ensure(ws, user, NOW);
          const { enrolment } = await store.enrolments.switchTo(ws, user, 'devops', '2026-11-30', NOW);
          await store.enrolments.setNextNudge(enrolment.id, minutes === null ? null : at(minutes));
          if (status) await store.enrolments.setStatus(enrolment.id, status, NOW);
          return enrolment;
        };
        const u1 = await due(WS, 'U1', -30);
        await store.users.setTzOverride(WS, 'U1', 'Asia/Tokyo');
        await store.users.setNudgeTime(WS, 'U1', '07:15');
        const u2 = await due(WS, 'U2', -20, 'paused');
        await store.users.setProfile(WS, 'U2', { tz: 'Europe/Paris', isWorkspaceAdmin: false }, NOW);
        const u3 = await due(WS2, 'U3', -10);
        const u4 = await due(WS, 'U4', 0); // due exactly now
        await due(WS, 'U5', -40, 'stopped');
        await due(WS, 'U6', -40, 'finished');
        await due(WS, 'U7', 1); // not yet
        await due(WS, 'U8', null); // no due time
        // An enrolment that is no longer current is not nudged, however overdue.
        const old = await due(WS, 'U9', -50);
        await store.enrolments.switchTo(WS, 'U9', 'mlops', '2026-12-01', NOW);
        expect((await store.enrolments.current(WS, 'U9'))?.id).not.toBe(old.id);

        const all = await store.enrolments.dueNudges(NOW, 100);
        expect(all.map((n) => n.id)).toEqual([u1.id, u2.id, u3.id, u4.id]);
        expect(all[0]).toMatchObject({
          id: u1.id,
          workspaceId: WS,
          userId: 'U1',
          trackId: 'devops',
          status: 'active',
          isCurrent: true,
          nextNudgeAt: at(-30),
          tzOverride: 'Asia/Tokyo',
          slackTz: null,
          nudgeTime: '07:15',
        });
        expect(all[1]).toMatchObject({ userId: 'U2', status: 'paused', tzOverride: null, slackTz: 'Europe/Paris', nudgeTime: '09:00' });
        expect(all[2]).toMatchObject({ workspaceId: WS2, userId: 'U3' });

        expect((await store.enrolments.dueNudges(NOW, 2)).map((n) => n.id)).toEqual([u1.id, u2.id]);
        expect(await store.enrolments.dueNudges(at(-60), 100)).toEqual([]);
      });
    });

    // ======================================================================================
    describe('subscriptions', () => {
      const sub = (
        channel: string,
        over: Partial<{ ws: string; time: string; tz: string; track: string | null; by: string; nextDaily: Date; nextWeekly: Date }> = {},
      ) => ({
        ws: WS,
        channel,
        time: '09:00',
        tz: 'Europe/London',
        track: null,
        by: 'U1',
        nextDaily: at(60),
        nextWeekly: at(60 * 24),
        ...over,
      });

      it('upsert inserts a subscription; get reads it', async () => {
        expect(await store.subscriptions.get(WS, 'C1')).toBeUndefined();
        const s = await store.subscriptions.upsert(sub('C1', { track: 'devops' }), NOW);
        expect(s).toEqual({
          workspaceId: WS,
          channelId: 'C1',
          postTime: '09:00',
          tz: 'Europe/London',
          trackId: 'devops',
          status: 'active',
          statusReason: null,
          nextDailyAt: at(60),
          nextWeeklyAt: at(60 * 24),
          createdBy: 'U1',
          createdAt: NOW,
          updatedAt: NOW,
        });
        expect(await store.subscriptions.get(WS, 'C1')).toEqual(s);
        expect(await store.subscriptions.get(WS2, 'C1')).toBeUndefined();
        expect((await store.subscriptions.upsert(sub('C2'), NOW)).trackId).toBeNull();
      });

      it('upsert updates an existing subscription and makes it active again', async () => {
        await store.subscriptions.upsert(sub('C1'), NOW);
        await store.subscriptions.pause(WS, 'C1', 'not_in_channel', at(1));
        const updated = await store.subscriptions.upsert(
          sub('C1', { time: '17:30', tz: 'Asia/Kolkata', track: 'mlops', nextDaily: at(120), nextWeekly: at(2000) }),
          at(2),
        );
        expect(updated).toMatchObject({
          workspaceId: WS,
          channelId: 'C1',
          postTime: '17:30',
          tz: 'Asia/Kolkata',
          trackId: 'mlops',
          status: 'active',
          statusReason: null,
          nextDailyAt: at(120),
          nextWeeklyAt: at(2000),
          createdAt: NOW,
          updatedAt: at(2),
        });
        expect(await store.subscriptions.get(WS, 'C1')).toEqual(updated);
        expect(await store.subscriptions.inWorkspace(WS)).toHaveLength(1);
      });

      it('pause records why; remove deletes once', async () => {
        await store.subscriptions.upsert(sub('C1'), NOW);
        await store.subscriptions.pause(WS, 'C1', 'channel_not_found', at(3));
        expect(await store.subscriptions.get(WS, 'C1')).toMatchObject({ status: 'paused', statusReason: 'channel_not_found', updatedAt: at(3) });
        expect(await store.subscriptions.remove(WS2, 'C1')).toBe(false);
        expect(await store.subscriptions.remove(WS, 'C1')).toBe(true);
        expect(await store.subscriptions.get(WS, 'C1')).toBeUndefined();
        expect(await store.subscriptions.remove(WS, 'C1')).toBe(false);
      });

      it("inWorkspace lists a workspace's subscriptions by channel", async () => {
        await store.subscriptions.upsert(sub('C3'), NOW);
        await store.subscriptions.upsert(sub('C1'), NOW);
        await store.subscriptions.upsert(sub('C2'), NOW);
        await store.subscriptions.upsert(sub('C0', { ws: WS2 }), NOW);
        await store.subscriptions.pause(WS, 'C2', 'x', NOW);
        expect((await store.subscriptions.inWorkspace(WS)).map((s) => s.channelId)).toEqual(['C1', 'C2', 'C3']);
        expect((await store.subscriptions.inWorkspace(WS2)).map((s) => s.channelId)).toEqual(['C0']);
        expect(await store.subscriptions.inWorkspace('T0NONE')).toEqual([]);
      });

      it('dueDaily and dueWeekly return only active subscriptions due by now, soonest first, up to the limit', async () => {
        await store.subscriptions.upsert(sub('C1', { nextDaily: at(-10), nextWeekly: at(5) }), NOW);
        await store.subscriptions.upsert(sub('C2', { nextDaily: at(-30), nextWeekly: at(-1) }), NOW);
        await store.subscriptions.upsert(sub('C3', { ws: WS2, nextDaily: at(0), nextWeekly: at(-100) }), NOW);
        await store.subscriptions.upsert(sub('C4', { nextDaily: at(-50), nextWeekly: at(-50) }), NOW);
        await store.subscriptions.pause(WS, 'C4', 'not_in_channel', NOW);
        await store.subscriptions.upsert(sub('C5', { nextDaily: at(1), nextWeekly: at(1) }), NOW);

        expect((await store.subscriptions.dueDaily(NOW, 10)).map((s) => s.channelId)).toEqual(['C2', 'C1', 'C3']);
        expect((await store.subscriptions.dueDaily(NOW, 2)).map((s) => s.channelId)).toEqual(['C2', 'C1']);
        expect((await store.subscriptions.dueWeekly(NOW, 10)).map((s) => s.channelId)).toEqual(['C3', 'C2']);
        expect((await store.subscriptions.dueWeekly(NOW, 1)).map((s) => s.channelId)).toEqual(['C3']);
        expect((await store.subscriptions.dueDaily(NOW, 10))[0]).toMatchObject({ workspaceId: WS, status: 'active', nextDailyAt: at(-30) });
        expect(await store.subscriptions.dueDaily(at(-60), 10)).toEqual([]);
      });

      it('advanceDaily and advanceWeekly are compare-and-set', async () => {
        const s = await store.subscriptions.upsert(sub('C1', { nextDaily: at(-10), nextWeekly: at(-20) }), NOW);
        expect(await store.subscriptions.advanceDaily(s, at(60 * 24))).toBe(true);
        expect(await store.subscriptions.advanceDaily(s, at(60 * 48))).toBe(false);
        expect((await store.subscriptions.get(WS, 'C1'))?.nextDailyAt).toEqual(at(60 * 24));

        expect(await store.subscriptions.advanceWeekly(s, at(60 * 24 * 7))).toBe(true);
        expect(await store.subscriptions.advanceWeekly(s, at(60 * 24 * 14))).toBe(false);
        const now = (await store.subscriptions.get(WS, 'C1'))!;
        expect(now).toMatchObject({ nextDailyAt: at(60 * 24), nextWeeklyAt: at(60 * 24 * 7) });
        expect(await store.subscriptions.advanceWeekly(now, at(60 * 24 * 14))).toBe(true);
        expect(await store.subscriptions.advanceDaily(now, at(60 * 48))).toBe(true);
        expect(await store.subscriptions.dueDaily(NOW, 10)).toEqual([]);
      });

      it('advanceMany moves many daily or weekly due times in one call, each compare-and-set, and says which moved', async () => {
        const s1 = await store.subscriptions.upsert(sub('C1', { nextDaily: at(-10), nextWeekly: at(-20) }), NOW);
        const s2 = await store.subscriptions.upsert(sub('C2', { ws: WS2, nextDaily: at(-5), nextWeekly: at(-15) }), NOW);
        const s3 = await store.subscriptions.upsert(sub('C3', { nextDaily: at(-1), nextWeekly: at(-2) }), NOW);
        await store.subscriptions.upsert(sub('C3', { nextDaily: at(3), nextWeekly: at(-2) }), NOW); // moved since read
        expect(
          await store.subscriptions.advanceMany('daily', [
            { target: s1, next: at(60) },
            { target: s2, next: at(65) },
            { target: s3, next: at(70) },
          ]),
        ).toEqual([true, true, false]);
        expect(
          (await store.subscriptions.inWorkspace(WS))
            .concat(await store.subscriptions.inWorkspace(WS2))
            .map((s) => [s.channelId, s.nextDailyAt, s.nextWeeklyAt]),
        ).toEqual([
          ['C1', at(60), at(-20)],
          ['C3', at(3), at(-2)],
          ['C2', at(65), at(-15)],
        ]);
        expect(
          await store.subscriptions.advanceMany('weekly', [
            { target: s3, next: at(80) },
            { target: s1, next: at(90) },
          ]),
        ).toEqual([true, true]);
        expect((await store.subscriptions.get(WS, 'C3'))?.nextWeeklyAt).toEqual(at(80));
        expect(await store.subscriptions.get(WS, 'C1')).toMatchObject({ nextDailyAt: at(60), nextWeeklyAt: at(90) });
        expect(await store.subscriptions.advanceMany('weekly', [{ target: s1, next: at(100) }])).toEqual([false]);
        expect(await store.subscriptions.advanceMany('daily', [])).toEqual([]);
      });
    });

    // ======================================================================================
    describe('delivery ledger', () => {
      it('insert records a claim once per key; get and find read it', async () => {
        const k = key();
        const d = await store.ledger.insert(k, at(-5), 'claimed', false, OWNER_A, at(5), NOW);
        expect(d).toEqual({
          id: expect.any(Number),
          workspaceId: WS,
          kind: 'daily_tip',
          target: 'C1',
          period: '2026-12-01',
          dueAt: at(-5),
          status: 'claimed',
          claimedBy: OWNER_A,
          claimedAt: NOW,
          attempts: 0,
          late: false,
          contentId: null,
          channel: null,
          messageTs: null,
          error: null,
          updatedAt: NOW,
          leaseUntil: at(5),
          fence: expect.any(Number),
        });
        expect(await store.ledger.get(d!.id)).toEqual(d);
        expect(await store.ledger.find(k)).toEqual(d);
        expect(await store.ledger.insert(k, at(-5), 'claimed', false, OWNER_B, at(6), at(1))).toBeUndefined();
        expect(await store.ledger.insert(k, at(-5), 'missed', true, OWNER_B, at(6), at(1))).toBeUndefined();
        expect(await store.ledger.find(k)).toEqual(d);

        // Any part of the key makes another delivery.
        for (const other of [key({ ws: WS2 }), key({ kind: 'daily_quiz' }), key({ target: 'C2' }), key({ period: '2026-12-02' })]) {
          expect(await store.ledger.find(other)).toBeUndefined();
          expect((await store.ledger.insert(other, NOW, 'claimed', false, OWNER_A, at(5), NOW))?.id).not.toBe(d!.id);
        }
        expect(await store.ledger.get(d!.id + 1000)).toBeUndefined();
      });

      it('insertMany records many deliveries in one call, once per key: the new records in the order given, ids rising', async () => {
        const existing = await claim(key({ target: 'C2' }), OWNER_B);
        const rows = [
          { key: key({ target: 'C1' }), dueAt: at(-5), status: 'claimed' as const, late: false },
          { key: key({ target: 'C2' }), dueAt: at(-5), status: 'claimed' as const, late: false }, // already claimed
          { key: key({ target: 'U1', kind: 'weekly_nudge', period: '2026-W49' }), dueAt: at(-600), status: 'missed' as const, late: true },
          { key: key({ ws: WS2, target: 'C1', kind: 'daily_quiz' }), dueAt: at(-3), status: 'claimed' as const, late: true },
        ];
        const made = await store.ledger.insertMany(rows, OWNER_A, at(5), NOW);
        expect(made.map((d) => [d.workspaceId, d.kind, d.target, d.period])).toEqual([
          [WS, 'daily_tip', 'C1', '2026-12-01'],
          [WS, 'weekly_nudge', 'U1', '2026-W49'],
          [WS2, 'daily_quiz', 'C1', '2026-12-01'],
        ]);
        expect(made[0]!.id).toBeLessThan(made[1]!.id);
        expect(made[1]!.id).toBeLessThan(made[2]!.id);
        // Each is what insert would have recorded, read back as it is stored.
        expect(made[0]).toEqual(
          await store.ledger
            .insert(key({ target: 'C9' }), at(-5), 'claimed', false, OWNER_A, at(5), NOW)
            .then((d) => ({ ...d!, id: made[0]!.id, target: 'C1' })),
        );
        expect(made[1]).toMatchObject({ status: 'missed', claimedBy: null, late: true, dueAt: at(-600), claimedAt: NOW, updatedAt: NOW });
        expect(made[2]).toMatchObject({ status: 'claimed', claimedBy: OWNER_A, late: true, leaseUntil: at(5), attempts: 0 });
        for (const d of made) expect(await store.ledger.get(d.id)).toEqual(d);
        expect(await store.ledger.find(key({ target: 'C2' }))).toEqual(existing);
        // A second call for the same keys records nothing.
        expect(await store.ledger.insertMany(rows, OWNER_B, at(6), at(1))).toEqual([]);
        expect(await store.ledger.insertMany([], OWNER_A, at(5), NOW)).toEqual([]);
      });

      it('insert records a missed delivery, unowned, once', async () => {
        const k = key({ kind: 'weekly_leaderboard', period: '2026-W49' });
        const d = await store.ledger.insert(k, at(-600), 'missed', true, OWNER_A, at(5), NOW);
        expect(d).toMatchObject({ status: 'missed', claimedBy: null, late: true, attempts: 0, dueAt: at(-600), period: '2026-W49' });
        expect(d!.late).toBe(true);
        expect(await store.ledger.insert(k, at(-600), 'claimed', false, OWNER_A, at(5), NOW)).toBeUndefined();
        expect(await store.ledger.markSent(held(d!), 'C1', '1.2', null, NOW)).toBe(false);
      });

      it('markSent needs the fence and an open claim; it records where and what', async () => {
        const d = await claim(key());
        expect(await store.ledger.markSent({ id: d.id, fence: d.fence + 1 }, 'C1', '1700000000.000100', 'tip-1', at(1))).toBe(false);
        expect(await store.ledger.markSent({ id: d.id + 1000, fence: d.fence }, 'C1', '1700000000.000100', 'tip-1', at(1))).toBe(false);
        expect((await store.ledger.get(d.id))?.status).toBe('claimed');

        expect(await store.ledger.markSent(held(d), 'C1', '1700000000.000100', 'tip-1', at(2))).toBe(true);
        expect(await store.ledger.get(d.id)).toMatchObject({
          status: 'sent',
          claimedBy: null,
          channel: 'C1',
          messageTs: '1700000000.000100',
          contentId: 'tip-1',
          error: null,
          updatedAt: at(2),
          fence: d.fence,
        });
        expect(await store.ledger.markSent(held(d), 'C1', '1700000000.000200', 'tip-2', at(3))).toBe(false);
        expect((await store.ledger.get(d.id))?.messageTs).toBe('1700000000.000100');
      });

      it('markFailed, markMissed and setChannel need the fence and an open claim', async () => {
        const failing = await claim(key({ period: '2026-11-29' }));
        expect(await store.ledger.markFailed({ id: failing.id, fence: failing.fence + 1 }, 'channel_not_found', at(1))).toBe(false);
        expect(await store.ledger.markFailed(held(failing), 'channel_not_found', at(1))).toBe(true);
        expect(await store.ledger.get(failing.id)).toMatchObject({ status: 'failed', claimedBy: null, error: 'channel_not_found', updatedAt: at(1) });
        expect(await store.ledger.markFailed(held(failing), 'again', at(2))).toBe(false);
        expect(await store.ledger.markMissed(held(failing), 'late', at(2))).toBe(false);
        expect(await store.ledger.setChannel(held(failing), 'C1', 'tip-9', at(2))).toBe(false);
        expect(await store.ledger.markSent(held(failing), 'C1', '1.1', null, at(2))).toBe(false);

        const missing = await claim(key({ period: '2026-11-30' }));
        expect(await store.ledger.markMissed({ id: missing.id, fence: missing.fence + 1 }, 'too late', at(1))).toBe(false);
        expect(await store.ledger.markMissed(held(missing), 'too late', at(1))).toBe(true);
        expect(await store.ledger.get(missing.id)).toMatchObject({ status: 'missed', claimedBy: null, error: 'too late', updatedAt: at(1) });
        expect(await store.ledger.markMissed(held(missing), 'too late', at(2))).toBe(false);

        const going = await claim(key({ period: '2026-12-01' }));
        expect(await store.ledger.setChannel({ id: going.id, fence: going.fence + 1 }, 'D1', 'w3', at(1))).toBe(false);
        expect(await store.ledger.setChannel(held(going), 'D1', 'w3', at(1))).toBe(true);
        expect(await store.ledger.get(going.id)).toMatchObject({ status: 'claimed', claimedBy: OWNER_A, channel: 'D1', contentId: 'w3', updatedAt: at(1) });
        expect(await store.ledger.setChannel(held(going), 'D1', null, at(2))).toBe(true);
        expect((await store.ledger.get(going.id))?.contentId).toBeNull();
      });

      it('markLate marks a delivery late once', async () => {
        const d = await claim(key());
        expect(d.late).toBe(false);
        expect(await store.ledger.markLate(d.id)).toBe(true);
        expect((await store.ledger.get(d.id))?.late).toBe(true);
        expect(await store.ledger.markLate(d.id)).toBe(false);
        expect(await store.ledger.markLate(d.id + 1000)).toBe(false);
      });

      it('release gives a claim back counting an attempt; putBack gives it back untried; both need the fence', async () => {
        const d = await claim(key());
        await store.ledger.release({ id: d.id, fence: d.fence + 1 }, 'wrong fence', at(1));
        expect(await store.ledger.get(d.id)).toMatchObject({ claimedBy: OWNER_A, attempts: 0, error: null });

        await store.ledger.release(held(d), 'ratelimited', at(1));
        expect(await store.ledger.get(d.id)).toMatchObject({ status: 'claimed', claimedBy: null, attempts: 1, error: 'ratelimited', updatedAt: at(1) });
        await store.ledger.release(held(d), null, at(2));
        expect(await store.ledger.get(d.id)).toMatchObject({ status: 'claimed', claimedBy: null, attempts: 2, error: null, updatedAt: at(2) });

        const p = await claim(key({ period: '2026-12-02' }));
        await store.ledger.putBack({ id: p.id, fence: p.fence + 1 }, 'wrong fence', at(1));
        expect(await store.ledger.get(p.id)).toMatchObject({ claimedBy: OWNER_A, error: null });
        await store.ledger.putBack(held(p), 'workspace paused: token_revoked', at(1));
        expect(await store.ledger.get(p.id)).toMatchObject({
          status: 'claimed',
          claimedBy: null,
          attempts: 0,
          error: 'workspace paused: token_revoked',
          updatedAt: at(1),
        });

        // Neither touches a delivery that is no longer claimed.
        const done = await sent(key({ period: '2026-12-03' }), 'tip-1');
        await store.ledger.release(held(done), 'late', at(3));
        await store.ledger.putBack(held(done), 'late', at(3));
        expect(await store.ledger.get(done.id)).toMatchObject({ status: 'sent', attempts: 0, error: null });
      });

      it("reclaim raises the fence: the old owner's writes then fail, the new owner's succeed", async () => {
        const d = await claim(key(), OWNER_A, NOW, at(1));
        const fence = await store.ledger.reclaim(d, OWNER_B, at(20), at(10));
        expect(fence).toBe(d.fence + 1);
        expect(await store.ledger.get(d.id)).toMatchObject({
          status: 'claimed',
          claimedBy: OWNER_B,
          claimedAt: at(10),
          leaseUntil: at(20),
          fence: d.fence + 1,
          updatedAt: at(10),
        });
        // A second process that saw the same abandoned claim is too late.
        expect(await store.ledger.reclaim(d, OWNER_A, at(30), at(11))).toBeUndefined();

        const stale = held(d);
        expect(await store.ledger.confirm(stale, OWNER_A, at(40))).toBe(false);
        expect(await store.ledger.setChannel(stale, 'C1', 'tip-old', at(12))).toBe(false);
        expect(await store.ledger.markSent(stale, 'C1', '1.1', 'tip-old', at(12))).toBe(false);
        expect(await store.ledger.markFailed(stale, 'x', at(12))).toBe(false);
        expect(await store.ledger.markMissed(stale, 'x', at(12))).toBe(false);
        await store.ledger.release(stale, 'x', at(12));
        await store.ledger.putBack(stale, 'x', at(12));
        expect(await store.ledger.get(d.id)).toMatchObject({ status: 'claimed', claimedBy: OWNER_B, attempts: 0, error: null, channel: null });

        const mine: HeldClaim = { id: d.id, fence: fence! };
        expect(await store.ledger.confirm(mine, OWNER_B, at(25))).toBe(true);
        expect(await store.ledger.markSent(mine, 'C1', '1.2', 'tip-new', at(13))).toBe(true);
        expect(await store.ledger.get(d.id)).toMatchObject({ status: 'sent', contentId: 'tip-new', messageTs: '1.2' });
        // Nothing that is no longer claimed can be taken over.
        expect(await store.ledger.reclaim((await store.ledger.get(d.id))!, OWNER_A, at(30), at(14))).toBeUndefined();
      });

      it('reclaim takes over a claim that was given back', async () => {
        const d = await claim(key());
        await store.ledger.release(held(d), 'ratelimited', at(1));
        const given = (await store.ledger.get(d.id))!;
        const fence = await store.ledger.reclaim(given, OWNER_B, at(20), at(10));
        expect(fence).toBe(d.fence + 1);
        expect(await store.ledger.get(d.id)).toMatchObject({ claimedBy: OWNER_B, attempts: 1, fence });
      });

      it('confirm holds only for the owner with the current fence of an open claim, and renews its lease', async () => {
        const d = await claim(key(), OWNER_A, NOW, at(5));
        expect(await store.ledger.confirm(held(d), OWNER_A, at(9))).toBe(true);
        expect((await store.ledger.get(d.id))?.leaseUntil).toEqual(at(9));
        expect(await store.ledger.confirm(held(d), OWNER_B, at(12))).toBe(false);
        expect(await store.ledger.confirm({ id: d.id, fence: d.fence + 1 }, OWNER_A, at(12))).toBe(false);
        expect((await store.ledger.get(d.id))?.leaseUntil).toEqual(at(9));

        const released = await claim(key({ period: '2026-12-02' }));
        await store.ledger.release(held(released), null, NOW);
        expect(await store.ledger.confirm(held(released), OWNER_A, at(12))).toBe(false);

        await store.ledger.markSent(held(d), 'C1', '1.1', null, at(1));
        expect(await store.ledger.confirm(held(d), OWNER_A, at(12))).toBe(false);
      });

      it('renewAll extends the lease of every open claim the owner holds and says how many', async () => {
        const a1 = await claim(key({ period: '2026-12-01' }), OWNER_A);
        const a2 = await claim(key({ period: '2026-12-02', ws: WS2 }), OWNER_A);
        const a3 = await sent(key({ period: '2026-12-03' }), 'tip-1');
        const b1 = await claim(key({ period: '2026-12-04' }), OWNER_B);
        expect(await store.ledger.renewAll(OWNER_A, at(30))).toBe(2);
        expect((await store.ledger.get(a1.id))?.leaseUntil).toEqual(at(30));
        expect((await store.ledger.get(a2.id))?.leaseUntil).toEqual(at(30));
        expect((await store.ledger.get(a3.id))?.leaseUntil).toEqual(at(5));
        expect((await store.ledger.get(b1.id))?.leaseUntil).toEqual(at(5));
        expect(await store.ledger.renewAll('hostz/1.a.0/1', at(30))).toBe(0);
      });

      it('openClaims finds given-back, expired and same-host claims, oldest first; none from before the cut-off or of a recently probed paused workspace', async () => {
        const HOST = 'hosth';
        const wallNow = at(100);
        const claimedBefore = at(50);
        const probeBefore = at(-100);
        // Open claims, from oldest to newest.
        const expired = await claim(key({ period: 'p1' }), OWNER_A, at(1), at(99));
        const givenBack = await claim(key({ period: 'p2' }), OWNER_B, at(2), at(500));
        await store.ledger.release(held(givenBack), 'ratelimited', at(3));
        const sameHost = await claim(key({ period: 'p3' }), `${HOST}/303.kx3.4026531836/7`, at(4), at(500));
        const live = await claim(key({ period: 'p4' }), OWNER_B, at(5), at(500));
        const tooRecent = await claim(key({ period: 'p5' }), OWNER_A, at(50), at(60));
        const done = await sent(key({ period: 'p6' }), 'tip-1', at(6));
        const missed = await store.ledger.insert(key({ period: 'p7' }), at(7), 'missed', true, OWNER_A, at(8), at(7));
        // Paused workspaces: one probed recently (left alone), one not probed for a long while (its claims may be taken).
        const WS3 = 'T0CONTRACT3';
        const probedRecently = await claim(key({ ws: WS2, period: 'p8' }), OWNER_A, at(8), at(9));
        await store.workspaces.pause(WS2, 'token_revoked', at(-50));
        const probedLongAgo = await claim(key({ ws: WS3, period: 'p9' }), OWNER_A, at(9), at(10));
        await store.workspaces.pause(WS3, 'token_revoked', at(-200));

        const q = { claimedBefore, wallNow, host: HOST, probeBefore, limit: 100 };
        const open = await store.ledger.openClaims(q);
        expect(open.map((d) => d.id)).toEqual([expired.id, givenBack.id, sameHost.id, probedLongAgo.id]);
        for (const left of [live, tooRecent, done, missed!, probedRecently]) expect(open.map((d) => d.id)).not.toContain(left.id);
        expect(open[0]).toEqual(await store.ledger.get(expired.id));

        expect((await store.ledger.openClaims({ ...q, limit: 2 })).map((d) => d.id)).toEqual([expired.id, givenBack.id]);
        // Another host sees only what is abandoned whatever the host.
        expect((await store.ledger.openClaims({ ...q, host: 'hostq' })).map((d) => d.id)).toEqual([expired.id, givenBack.id, probedLongAgo.id]);
        // Once the paused workspace's probe is old enough, its claims are open again.
        expect((await store.ledger.openClaims({ ...q, probeBefore: at(-10) })).map((d) => d.id)).toEqual([
          expired.id,
          givenBack.id,
          sameHost.id,
          probedRecently.id,
          probedLongAgo.id,
        ]);
        // The cut-off is exclusive.
        expect((await store.ledger.openClaims({ ...q, claimedBefore: at(2) })).map((d) => d.id)).toEqual([expired.id]);
        // After the workspace resumes, its claims are open like any other.
        await store.workspaces.resume(WS2);
        expect((await store.ledger.openClaims(q)).map((d) => d.id)).toContain(probedRecently.id);
      });

      it('pendingWork says, in one look-up, whether openClaims may find a claim and which due sets may hold a target due now', async () => {
        const q = { claimedBefore: at(50), wallNow: at(100), host: 'hosth', probeBefore: at(-100) };
        /** Never false where a query would find something (it may be true where they find nothing). */
        const consistent = async (now: Date) => {
          const work = await store.ledger.pendingWork(now, q);
          if ((await store.ledger.openClaims({ ...q, limit: 1 })).length > 0) expect(work.openClaims).toBe(true);
          if ((await store.subscriptions.dueDaily(now, 1)).length > 0) expect(work.due).toContain('channel-daily');
          if ((await store.subscriptions.dueWeekly(now, 1)).length > 0) expect(work.due).toContain('channel-weekly');
          if ((await store.enrolments.dueNudges(now, 1)).length > 0) expect(work.due).toContain('learner-weekly');
          if ((await store.reviews.dueReminders(now, 1)).length > 0) expect(work.due).toContain('learner-daily');
          return work;
        };
        expect(await consistent(NOW)).toEqual({ openClaims: false, due: new Set() });
        // Claims that are not yet past the cut-off, or done with, are no work at all.
        await claim(key({ period: 'p1' }), OWNER_B, at(60), at(500));
        await sent(key({ period: 'p2' }), 'tip-1', at(2));
        expect(await consistent(NOW)).toEqual({ openClaims: false, due: new Set() });
        const expired = await claim(key({ period: 'p3' }), OWNER_A, at(3), at(99));
        expect((await consistent(NOW)).openClaims).toBe(true);
        await store.ledger.markSent(held(expired), 'C1', '1.1', null, at(4));
        // One whose lease still runs elsewhere: openClaims leaves it alone; pendingWork may or may not say so.
        await claim(key({ period: 'p4' }), OWNER_B, at(5), at(500));
        await consistent(NOW);

        // Each due set, as its due time comes: paused subscriptions and stopped learners are never due.
        await store.subscriptions.upsert({ ws: WS, channel: 'C1', time: '09:00', tz: 'UTC', track: null, by: 'U0', nextDaily: at(-1), nextWeekly: at(1) }, NOW);
        await store.subscriptions.upsert(
          { ws: WS, channel: 'C2', time: '09:00', tz: 'UTC', track: null, by: 'U0', nextDaily: at(-5), nextWeekly: at(-5) },
          NOW,
        );
        await store.subscriptions.pause(WS, 'C2', 'not_in_channel', NOW);
        expect((await consistent(NOW)).due).toEqual(new Set(['channel-daily']));
        expect((await consistent(at(1))).due).toEqual(new Set(['channel-daily', 'channel-weekly']));
        expect((await consistent(at(-2))).due).toEqual(new Set());

        await users(WS, 'U1', 'U2');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        await store.enrolments.setNextNudge(enrolment.id, at(-5));
        await store.enrolments.setStatus(enrolment.id, 'stopped', NOW);
        await store.reviews.setNextReminder(WS, 'U1', at(-5));
        await store.reviews.setNextReminder(WS, 'U2', at(-5)); // no enrolment: no reminder
        expect((await consistent(NOW)).due).toEqual(new Set(['channel-daily']));
        await store.enrolments.setStatus(enrolment.id, 'active', NOW);
        expect((await consistent(NOW)).due).toEqual(new Set(['channel-daily', 'learner-weekly', 'learner-daily']));
        expect((await consistent(at(-6))).due).toEqual(new Set());
        // A pause that ends later: the reminder is not due now, and pendingWork may or may not say it is.
        await store.enrolments.setStatus(enrolment.id, 'paused', NOW, { pausedUntil: at(60) });
        await consistent(NOW);
        await consistent(at(61));
      });

      it('openClaims matches the host literally: a host name with LIKE wildcards matches no other host', async () => {
        // A host name may hold '_' (a LIKE wildcard for any one character): 'web_1' must not pick up live claims of 'webx1'.
        const other = await claim(key({ period: 'p1' }), 'webx1/404.kx4.4026531836/1', NOW, at(500));
        const mine = await claim(key({ period: 'p2' }), 'web_1/505.kx5.4026531836/1', at(1), at(500));
        const open = await store.ledger.openClaims({ claimedBefore: at(50), wallNow: at(10), host: 'web_1', probeBefore: at(-100), limit: 10 });
        expect(open.map((d) => d.id)).toEqual([mine.id]);
        expect(open.map((d) => d.id)).not.toContain(other.id);
      });

      // Host names are compared exactly, as ownerAlive (src/scheduler/claim-owner.ts) compares them.
      it('openClaims matches the host case-sensitively, as owners are compared', async () => {
        const other = await claim(key({ period: 'p1' }), 'HOSTH/404.kx4.4026531836/1', NOW, at(500));
        const open = await store.ledger.openClaims({ claimedBefore: at(50), wallNow: at(10), host: 'hosth', probeBefore: at(-100), limit: 10 });
        expect(open.map((d) => d.id)).not.toContain(other.id);
      });

      it('contentCounts counts what went out to a target, by content id', async () => {
        await sent(key({ period: '2026-11-28' }), 'tip-a');
        await sent(key({ period: '2026-11-29' }), 'tip-a');
        await sent(key({ period: '2026-11-30' }), 'tip-b');
        await sent(key({ period: '2026-11-27' }), null);
        const pending = await claim(key({ period: '2026-12-01' }));
        await store.ledger.setChannel(held(pending), 'C1', 'tip-c', NOW);
        const failed = await claim(key({ period: '2026-12-02' }));
        await store.ledger.setChannel(held(failed), 'C1', 'tip-d', NOW);
        await store.ledger.markFailed(held(failed), 'is_archived', NOW);
        await sent(key({ target: 'C2', period: '2026-11-28' }), 'tip-a');
        await sent(key({ ws: WS2, period: '2026-11-28' }), 'tip-a');
        await sent(key({ kind: 'daily_quiz', period: '2026-11-28' }), 'tip-a');

        expect(await store.ledger.contentCounts(WS, 'C1', 'daily_tip')).toEqual(
          new Map([
            ['tip-a', 2],
            ['tip-b', 1],
          ]),
        );
        expect(await store.ledger.contentCounts(WS, 'C9', 'daily_tip')).toEqual(new Map());
      });

      it('missedDays lists the local dates of missed daily posts in the workspace since a date', async () => {
        const miss = (k: DeliveryKey) => store.ledger.insert(k, NOW, 'missed', true, OWNER_A, at(5), NOW);
        await miss(key({ kind: 'daily_tip', period: '2026-11-25' }));
        await miss(key({ kind: 'daily_quiz', target: 'C2', period: '2026-11-27' }));
        await miss(key({ kind: 'daily_quiz', period: '2026-11-25' }));
        await miss(key({ kind: 'daily_tip', period: '2026-11-20' })); // before `since`
        await miss(key({ kind: 'weekly_leaderboard', period: '2026-W48' })); // not a date
        await miss(key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W48' }));
        await miss(key({ ws: WS2, kind: 'daily_tip', period: '2026-11-26' }));
        await sent(key({ kind: 'daily_tip', period: '2026-11-28' }), 'tip-a');
        const missedLater = await claim(key({ kind: 'daily_tip', period: '2026-11-29' }));
        await store.ledger.markMissed(held(missedLater), 'down', NOW);

        expect(await store.ledger.missedDays(WS, '2026-11-21')).toEqual(new Set(['2026-11-25', '2026-11-27', '2026-11-29']));
        expect(await store.ledger.missedDays(WS, '2026-11-27')).toEqual(new Set(['2026-11-27', '2026-11-29']));
        expect(await store.ledger.missedDays(WS2, '2026-11-01')).toEqual(new Set(['2026-11-26']));
        expect(await store.ledger.missedDays(WS, '2026-12-01')).toEqual(new Set());
      });

      it('list returns every record oldest first, filtered by workspace, kind and target', async () => {
        const a = await claim(key({ period: '2026-11-30' }));
        const b = await claim(key({ kind: 'daily_quiz', period: '2026-11-30' }));
        const c = await claim(key({ ws: WS2, period: '2026-11-30' }));
        const d = await claim(key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W49' }));
        const e = await claim(key({ period: '2026-12-01' }));
        const ids = (ds: Delivery[]) => ds.map((x) => x.id);
        expect(ids(await store.ledger.list())).toEqual([a.id, b.id, c.id, d.id, e.id]);
        expect(ids(await store.ledger.list({}))).toEqual([a.id, b.id, c.id, d.id, e.id]);
        expect(ids(await store.ledger.list({ ws: WS }))).toEqual([a.id, b.id, d.id, e.id]);
        expect(ids(await store.ledger.list({ kind: 'daily_tip' }))).toEqual([a.id, c.id, e.id]);
        expect(ids(await store.ledger.list({ ws: WS, kind: 'daily_tip', target: 'C1' }))).toEqual([a.id, e.id]);
        expect(ids(await store.ledger.list({ target: 'U1' }))).toEqual([d.id]);
        expect(await store.ledger.list({ ws: 'T0NONE' })).toEqual([]);
        expect((await store.ledger.list({ target: 'U1' }))[0]).toEqual(d);
      });
    });

    // ======================================================================================
    describe('quiz', () => {
      it('createPost creates one post per delivery, however often it is called', async () => {
        const d = await claim(key({ kind: 'daily_quiz' }));
        const p = await store.quiz.createPost(WS, 'C1', 'q-1', d.id, NOW);
        expect(p).toEqual({
          id: expect.any(Number),
          workspaceId: WS,
          channelId: 'C1',
          questionId: 'q-1',
          deliveryId: d.id,
          messageTs: null,
          postedAt: NOW,
          closedAt: null,
        });
        expect(await store.quiz.createPost(WS, 'C1', 'q-2', d.id, at(5))).toEqual(p);
        expect(await store.quiz.post(p.id)).toEqual(p);
        expect(await store.quiz.postForDelivery(d.id)).toEqual(p);
        expect(await store.quiz.post(p.id + 1000)).toBeUndefined();
        expect(await store.quiz.postForDelivery(d.id + 1000)).toBeUndefined();
        expect(await store.quiz.postCounts(WS, 'C1')).toEqual(new Map([['q-1', 1]]));
      });

      it('setMessageTs, openBefore and close: a new post closes the posted, still open ones before it', async () => {
        const p1 = await quizPost(WS, 'C1', 'q-1', '2026-11-28', '1.1');
        const unposted = await quizPost(WS, 'C1', 'q-2', '2026-11-29', null);
        const p2 = await quizPost(WS, 'C1', 'q-3', '2026-11-30', '1.3');
        await quizPost(WS, 'C2', 'q-1', '2026-11-30', '2.1');
        await quizPost(WS2, 'C1', 'q-1', '2026-11-30', '3.1');
        const p3 = await quizPost(WS, 'C1', 'q-4', '2026-12-01', '1.4');
        expect(p1.messageTs).toBe('1.1');
        expect(unposted.messageTs).toBeNull();

        const open = await store.quiz.openBefore(WS, 'C1', p3.id);
        expect(open.map((p) => p.id)).toEqual([p1.id, p2.id]);
        expect(open[0]).toEqual(p1);

        expect(await store.quiz.close(p1.id, at(1))).toBe(true);
        expect(await store.quiz.close(p1.id, at(2))).toBe(false);
        expect((await store.quiz.post(p1.id))?.closedAt).toEqual(at(1));
        expect((await store.quiz.openBefore(WS, 'C1', p3.id)).map((p) => p.id)).toEqual([p2.id]);
        expect(await store.quiz.openBefore(WS, 'C1', p1.id)).toEqual([]);
        expect(await store.quiz.close(p3.id + 1000, at(1))).toBe(false);
      });

      it("answer scores the first answer only; a later click gets the first one's response and correctness", async () => {
        await users(WS, 'U1', 'U2');
        const post = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        expect(await store.quiz.answer(WS, 'U1', 'q-1', post, [2], false, NOW)).toEqual({ first: true, correct: false, response: [2] });
        expect(await store.quiz.answer(WS, 'U1', 'q-1', post, [1], true, at(1))).toEqual({ first: false, correct: false, response: [2] });

        // Multiple responses (and orderings) round-trip in their order.
        expect(await store.quiz.answer(WS, 'U2', 'q-1', post, [3, 0, 2], true, NOW)).toEqual({ first: true, correct: true, response: [3, 0, 2] });
        expect(await store.quiz.answer(WS, 'U2', 'q-1', post, [1], false, at(1))).toEqual({ first: false, correct: true, response: [3, 0, 2] });
        expect(await store.quiz.tally(post.id)).toEqual({ answered: 2, correct: 1 });
      });

      it('personal answers are apart from channel answers: once per learner and question', async () => {
        await users(WS, 'U1');
        await users(WS2, 'U1');
        const post = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        expect(await store.quiz.answer(WS, 'U1', 'q-1', null, [0, 1], true, NOW)).toEqual({ first: true, correct: true, response: [0, 1] });
        expect(await store.quiz.answer(WS, 'U1', 'q-1', null, [2], false, at(1))).toEqual({ first: false, correct: true, response: [0, 1] });
        // The same question in a channel post is another answer; so is the same learner id in another workspace.
        expect(await store.quiz.answer(WS, 'U1', 'q-1', post, [2], false, at(2))).toEqual({ first: true, correct: false, response: [2] });
        expect(await store.quiz.answer(WS2, 'U1', 'q-1', null, [1], false, at(2))).toEqual({ first: true, correct: false, response: [1] });
        expect(await store.quiz.answer(WS, 'U1', 'q-2', null, [0], false, at(3))).toEqual({ first: true, correct: false, response: [0] });
        expect(await store.quiz.tally(post.id)).toEqual({ answered: 1, correct: 0 });
      });

      it('tally, answeredQuestions and postCounts', async () => {
        await users(WS, 'U1', 'U2', 'U3');
        const p1 = await quizPost(WS, 'C1', 'q-1', '2026-11-29');
        const p2 = await quizPost(WS, 'C1', 'q-2', '2026-11-30');
        const p3 = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        await quizPost(WS, 'C2', 'q-3', '2026-12-01');
        await quizPost(WS2, 'C1', 'q-1', '2026-12-01');
        expect(await store.quiz.tally(p1.id)).toEqual({ answered: 0, correct: 0 });
        await store.quiz.answer(WS, 'U1', 'q-1', p1, [0], true, NOW);
        await store.quiz.answer(WS, 'U2', 'q-1', p1, [1], false, NOW);
        await store.quiz.answer(WS, 'U3', 'q-1', p1, [0], true, NOW);
        await store.quiz.answer(WS, 'U1', 'q-1', p1, [1], false, NOW);
        await store.quiz.answer(WS, 'U1', 'q-2', p2, [0], false, NOW);
        await store.quiz.answer(WS, 'U1', 'q-9', null, [0], false, NOW);
        expect(await store.quiz.tally(p1.id)).toEqual({ answered: 3, correct: 2 });
        expect(await store.quiz.tally(p2.id)).toEqual({ answered: 1, correct: 0 });
        expect(await store.quiz.tally(p3.id)).toEqual({ answered: 0, correct: 0 });

        expect(await store.quiz.answeredQuestions(WS, 'U1')).toEqual(new Set(['q-1', 'q-2', 'q-9']));
        expect(await store.quiz.answeredQuestions(WS, 'U2')).toEqual(new Set(['q-1']));
        expect(await store.quiz.answeredQuestions(WS2, 'U1')).toEqual(new Set());

        expect(await store.quiz.postCounts(WS, 'C1')).toEqual(
          new Map([
            ['q-1', 2],
            ['q-2', 1],
          ]),
        );
        expect(await store.quiz.postCounts(WS, 'C2')).toEqual(new Map([['q-3', 1]]));
        expect(await store.quiz.postCounts(WS, 'C9')).toEqual(new Map());

        // The team's answers per question of the channel's posts, since a time; personal answers and other channels apart.
        await store.quiz.answer(WS, 'U2', 'q-1', p3, [0], true, at(30));
        expect(await store.quiz.teamAnswers(WS, 'C1', at(-60))).toEqual(
          new Map([
            ['q-1', { answered: 4, correct: 3 }],
            ['q-2', { answered: 1, correct: 0 }],
          ]),
        );
        expect(await store.quiz.teamAnswers(WS, 'C1', at(1))).toEqual(new Map([['q-1', { answered: 1, correct: 1 }]]));
        expect(await store.quiz.teamAnswers(WS2, 'C1', at(-60))).toEqual(new Map());
      });
    });

    // ======================================================================================
    describe('points', () => {
      const ALL_OF_IT: Period = { from: new Date('2026-01-01T00:00:00.000Z'), to: new Date('2027-01-01T00:00:00.000Z') };

      it('award records points once per learner, kind and reference', async () => {
        await users(WS, 'U1', 'U2');
        expect(await store.points.award(WS, 'U1', 'channel_quiz', '17', 10, NOW, 'C1')).toBe(true);
        expect(await store.points.award(WS, 'U1', 'channel_quiz', '17', 10, at(1), 'C1')).toBe(false);
        expect(await store.points.award(WS, 'U1', 'personal_quiz', '17', 5, at(2))).toBe(true);
        expect(await store.points.award(WS, 'U1', 'channel_quiz', '18', 10, at(3), 'C1')).toBe(true);
        expect(await store.points.award(WS, 'U2', 'channel_quiz', '17', 10, at(4), 'C1')).toBe(true);
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 25, rank: 1 });
        expect(await store.points.userPoints(WS, 'U1', ALL_OF_IT)).toBe(25);
        expect(await store.points.userPoints(WS, 'U2', ALL_OF_IT)).toBe(10);
      });

      it('standing: all-time points and rank, ties sharing it; no rank for hidden or pointless learners', async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5');
        await store.points.award(WS, 'U1', 'milestone', 'a', 30, NOW);
        await store.points.award(WS, 'U2', 'milestone', 'a', 25, NOW);
        await store.points.award(WS, 'U2', 'personal_quiz', 'q', 5, NOW);
        await store.points.award(WS, 'U3', 'channel_quiz', '1', 10, NOW, 'C1');
        await store.points.award(WS, 'U4', 'streak_30', '2026-11-30', 100, NOW);
        await store.users.setOnLeaderboard(WS, 'U4', false);

        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 30, rank: 1 });
        expect(await store.points.standing(WS, 'U2')).toEqual({ points: 30, rank: 1 });
        expect(await store.points.standing(WS, 'U3')).toEqual({ points: 10, rank: 3 });
        expect(await store.points.standing(WS, 'U4')).toEqual({ points: 100, rank: undefined });
        expect(await store.points.standing(WS, 'U5')).toEqual({ points: 0, rank: undefined });
        expect(await store.points.standing(WS, 'U0NOBODY')).toEqual({ points: 0, rank: undefined });

        await store.users.setOnLeaderboard(WS, 'U4', true);
        expect(await store.points.standing(WS, 'U4')).toEqual({ points: 100, rank: 1 });
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 30, rank: 2 });
        expect(await store.points.standing(WS, 'U3')).toEqual({ points: 10, rank: 4 });
      });

      it("board 'all': the top ranks with ties sharing one, hidden learners left off, and the caller's own entry", async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7');
        const give = (u: string, n: number) => store.points.award(WS, u, 'milestone', `m-${u}`, n, NOW);
        await give('U1', 50);
        await give('U2', 40);
        await give('U3', 40);
        await give('U4', 30);
        await give('U5', 20);
        await give('U6', 100);
        await store.users.setOnLeaderboard(WS, 'U6', false);

        const board = await store.points.board(WS, 'all', { me: 'U5', limit: 2 });
        expect(board.top.map((e) => e.rank)).toEqual([...board.top.map((e) => e.rank)].sort((a, b) => a - b));
        expect(byRankThenUser(board.top)).toEqual([
          { userId: 'U1', points: 50, rank: 1 },
          { userId: 'U2', points: 40, rank: 2 },
          { userId: 'U3', points: 40, rank: 2 },
        ]);
        expect(board.me).toEqual({ userId: 'U5', points: 20, rank: 5 });

        expect(await store.points.board(WS, 'all', { me: 'U1', limit: 1 })).toEqual({
          top: [{ userId: 'U1', points: 50, rank: 1 }],
          me: { userId: 'U1', points: 50, rank: 1 },
        });
        // Hidden, and pointless, callers have no entry.
        expect((await store.points.board(WS, 'all', { me: 'U6', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, 'all', { me: 'U7', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, 'all', { me: 'U7', limit: 10 })).top.map((e) => e.userId)).not.toContain('U6');
        expect(await store.points.board(WS2, 'all', { me: 'U1', limit: 10 })).toEqual({ top: [], me: undefined });
      });

      it('board for a period counts only points earned in it, [from, to); for a channel only its team', async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4');
        const week: Period = { from: new Date('2026-11-30T00:00:00.000Z'), to: new Date('2026-12-07T00:00:00.000Z') };
        await store.points.award(WS, 'U1', 'milestone', 'old', 100, new Date('2026-11-29T23:59:59.999Z'));
        await store.points.award(WS, 'U1', 'personal_quiz', 'a', 5, week.from);
        await store.points.award(WS, 'U2', 'personal_quiz', 'a', 5, NOW);
        await store.points.award(WS, 'U2', 'personal_quiz', 'b', 5, NOW);
        await store.points.award(WS, 'U3', 'milestone', 'a', 25, week.to);
        await store.points.award(WS, 'U4', 'personal_quiz', 'a', 5, NOW);
        // U1 and U2 are C1's team (they answered its quiz); U4 answered C2's only.
        const c1 = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        const c2 = await quizPost(WS, 'C2', 'q-1', '2026-12-01');
        await store.quiz.answer(WS, 'U1', 'q-1', c1, [0], true, NOW);
        await store.quiz.answer(WS, 'U2', 'q-1', c1, [0], true, NOW);
        await store.quiz.answer(WS, 'U4', 'q-1', c2, [0], true, NOW);
        await store.quiz.answer(WS, 'U3', 'q-1', null, [0], true, NOW);

        const all = await store.points.board(WS, week, { me: 'U1', limit: 10 });
        expect(byRankThenUser(all.top)).toEqual([
          { userId: 'U2', points: 10, rank: 1 },
          { userId: 'U1', points: 5, rank: 2 },
          { userId: 'U4', points: 5, rank: 2 },
        ]);
        expect(all.me).toEqual({ userId: 'U1', points: 5, rank: 2 });
        expect((await store.points.board(WS, week, { me: 'U3', limit: 10 })).me).toBeUndefined();

        const team = await store.points.board(WS, week, { channel: 'C1', me: 'U4', limit: 10 });
        expect(byRankThenUser(team.top)).toEqual([
          { userId: 'U2', points: 10, rank: 1 },
          { userId: 'U1', points: 5, rank: 2 },
        ]);
        expect(team.me).toBeUndefined();
        expect(await store.points.board(WS, week, { channel: 'C1', me: 'U1', limit: 1 })).toEqual({
          top: [{ userId: 'U2', points: 10, rank: 1 }],
          me: { userId: 'U1', points: 5, rank: 2 },
        });
        // All time, the team board still ranks the team only.
        const teamAllTime = await store.points.board(WS, 'all', { channel: 'C1', me: 'U1', limit: 10 });
        expect(byRankThenUser(teamAllTime.top)).toEqual([
          { userId: 'U1', points: 105, rank: 1 },
          { userId: 'U2', points: 10, rank: 2 },
        ]);

        await store.users.setOnLeaderboard(WS, 'U2', false);
        expect(await store.points.board(WS, week, { channel: 'C1', me: 'U2', limit: 10 })).toEqual({
          top: [{ userId: 'U1', points: 5, rank: 1 }],
          me: undefined,
        });
      });

      it('userPoints sums a learner’s points in a period', async () => {
        await users(WS, 'U1');
        const day: Period = { from: new Date('2026-12-01T00:00:00.000Z'), to: new Date('2026-12-02T00:00:00.000Z') };
        expect(await store.points.userPoints(WS, 'U1', day)).toBe(0);
        await store.points.award(WS, 'U1', 'personal_quiz', 'a', 5, day.from);
        await store.points.award(WS, 'U1', 'channel_quiz', '1', 10, NOW, 'C1');
        await store.points.award(WS, 'U1', 'milestone', 'w1', 25, day.to);
        await store.points.award(WS, 'U1', 'milestone', 'w0', 25, new Date('2026-11-30T23:59:59.000Z'));
        expect(await store.points.userPoints(WS, 'U1', day)).toBe(15);
        expect(await store.points.userPoints(WS2, 'U1', day)).toBe(0);
        expect(await store.points.userPoints(WS, 'U0NOBODY', day)).toBe(0);
      });

      it("teamScores: the period's points of every visible learner who answered the channel's quizzes", async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5');
        const week: Period = { from: new Date('2026-11-30T00:00:00.000Z'), to: new Date('2026-12-07T00:00:00.000Z') };
        const c1 = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        const c2 = await quizPost(WS, 'C2', 'q-1', '2026-12-01');
        for (const u of ['U1', 'U2', 'U3', 'U5']) await store.quiz.answer(WS, u, 'q-1', c1, [0], true, NOW);
        await store.quiz.answer(WS, 'U4', 'q-1', c2, [0], true, NOW);
        await store.users.setOnLeaderboard(WS, 'U3', false);
        await store.points.award(WS, 'U1', 'channel_quiz', String(c1.id), 10, NOW, 'C1');
        await store.points.award(WS, 'U1', 'milestone', 'w1', 25, NOW);
        await store.points.award(WS, 'U2', 'channel_quiz', String(c1.id), 10, NOW, 'C1');
        await store.points.award(WS, 'U3', 'channel_quiz', String(c1.id), 10, NOW, 'C1');
        await store.points.award(WS, 'U4', 'channel_quiz', String(c2.id), 10, NOW, 'C2');
        await store.points.award(WS, 'U5', 'channel_quiz', 'last-week', 10, new Date('2026-11-29T12:00:00.000Z'), 'C1');

        expect(byUser(await store.points.teamScores(WS, 'C1', week))).toEqual([
          { userId: 'U1', points: 35 },
          { userId: 'U2', points: 10 },
        ]);
        expect(byUser(await store.points.teamScores(WS, 'C2', week))).toEqual([{ userId: 'U4', points: 10 }]);
        expect(await store.points.teamScores(WS, 'C9', week)).toEqual([]);
        expect(await store.points.teamScores(WS2, 'C1', week)).toEqual([]);
      });

      it('markStudyDay records a local date once; studyDays lists them since a date', async () => {
        await users(WS, 'U1', 'U2');
        await store.points.markStudyDay(WS, 'U1', '2026-11-28');
        await store.points.markStudyDay(WS, 'U1', '2026-11-30');
        await store.points.markStudyDay(WS, 'U1', '2026-11-30');
        await store.points.markStudyDay(WS, 'U1', '2026-12-01');
        await store.points.markStudyDay(WS, 'U2', '2026-11-29');
        expect(await store.points.studyDays(WS, 'U1', '2026-11-01')).toEqual(new Set(['2026-11-28', '2026-11-30', '2026-12-01']));
        expect(await store.points.studyDays(WS, 'U1', '2026-11-30')).toEqual(new Set(['2026-11-30', '2026-12-01']));
        expect(await store.points.studyDays(WS, 'U2', '2026-11-01')).toEqual(new Set(['2026-11-29']));
        expect(await store.points.studyDays(WS, 'U1', '2026-12-02')).toEqual(new Set());
      });

      it("teamTotals: answers to the channel's quizzes and its team's milestones in the period", async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4');
        const week: Period = { from: new Date('2026-11-30T00:00:00.000Z'), to: new Date('2026-12-07T00:00:00.000Z') };
        const earlier = new Date('2026-11-29T12:00:00.000Z');
        const c1 = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        const c1old = await quizPost(WS, 'C1', 'q-2', '2026-11-29', 'ts-old', earlier);
        const c2 = await quizPost(WS, 'C2', 'q-1', '2026-12-01');
        await store.quiz.answer(WS, 'U1', 'q-1', c1, [0], true, NOW);
        await store.quiz.answer(WS, 'U2', 'q-1', c1, [1], false, NOW);
        await store.quiz.answer(WS, 'U1', 'q-2', c1old, [0], true, earlier);
        await store.quiz.answer(WS, 'U3', 'q-1', c2, [0], true, NOW);
        await store.quiz.answer(WS, 'U1', 'q-3', null, [0], true, NOW);
        await store.points.award(WS, 'U1', 'milestone', 'w1', 25, NOW);
        await store.points.award(WS, 'U1', 'milestone', 'w0', 25, earlier);
        await store.points.award(WS, 'U2', 'milestone', 'w1', 25, NOW);
        await store.points.award(WS, 'U2', 'channel_quiz', String(c1.id), 10, NOW, 'C1');
        await store.points.award(WS, 'U3', 'milestone', 'w1', 25, NOW);
        await store.points.award(WS, 'U4', 'milestone', 'w1', 25, NOW);

        expect(await store.points.teamTotals(WS, 'C1', week)).toEqual({ answered: 2, correct: 1, milestones: 2 });
        expect(await store.points.teamTotals(WS, 'C2', week)).toEqual({ answered: 1, correct: 1, milestones: 1 });
        expect(await store.points.teamTotals(WS, 'C9', week)).toEqual({ answered: 0, correct: 0, milestones: 0 });
      });
    });

    // ======================================================================================
    describe('reviews', () => {
      it('dueReminders finds learners whose reminder is due, reminders on and a track active or finished; advanceReminder is compare-and-set', async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5');
        for (const u of ['U1', 'U2', 'U3', 'U4']) await store.enrolments.switchTo(WS, u, 'devops', '2026-11-30', NOW);
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U2'))!.id, 'paused', NOW);
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U3'))!.id, 'finished', NOW);
        await store.users.setReviewsOn(WS, 'U4', false);
        for (const u of ['U1', 'U2', 'U3', 'U4', 'U5']) await store.reviews.setNextReminder(WS, u, at(u === 'U3' ? -10 : -5));
        await store.users.setReviewDays(WS, 'U1', 'weekdays');
        const due = await store.reviews.dueReminders(NOW, 10);
        expect(due.map((t) => t.userId)).toEqual(['U3', 'U1']);
        expect(due[1]).toEqual({
          workspaceId: WS,
          userId: 'U1',
          nextReminderAt: at(-5),
          tzOverride: null,
          slackTz: null,
          nudgeTime: '09:00',
          reviewDays: 'weekdays',
          dueCards: 0,
        });
        // The cards due by each learner's reminder time come counted with the due set.
        const learnt = review(newCard(at(-100)), 'again', at(-100));
        await store.reviews.saveReview(WS, 'U1', 'q-1', learnt.card, learnt.log, 'review');
        expect((await store.reviews.dueReminders(NOW, 10)).find((t) => t.userId === 'U1')).toMatchObject({ dueCards: 1 });
        expect(await store.reviews.dueReminders(at(-6), 10)).toMatchObject([{ userId: 'U3' }]);
        // A timed pause that has ended counts as active, before anything flips its stored status.
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U2'))!.id, 'paused', NOW, { pausedUntil: at(-1) });
        expect((await store.reviews.dueReminders(NOW, 10)).map((t) => t.userId)).toEqual(['U3', 'U1', 'U2']);
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U2'))!.id, 'paused', NOW, { pausedUntil: at(1) });
        expect(await store.reviews.dueReminders(NOW, 1)).toMatchObject([{ userId: 'U3' }]);
        expect(await store.reviews.advanceReminder(due[1]!, at(60))).toBe(true);
        expect(await store.reviews.advanceReminder(due[1]!, at(120))).toBe(false);
        expect((await store.reviews.dueReminders(NOW, 10)).map((t) => t.userId)).toEqual(['U3']);
        await store.reviews.setNextReminder(WS, 'U3', null);
        expect(await store.reviews.dueReminders(NOW, 10)).toEqual([]);
      });

      it('advanceReminders moves many reminders in one call, each compare-and-set, and says which moved, in order', async () => {
        await users(WS, 'U1', 'U2', 'U3');
        for (const u of ['U1', 'U2', 'U3']) {
          await store.enrolments.switchTo(WS, u, 'devops', '2026-11-30', NOW);
          await store.reviews.setNextReminder(WS, u, at(-5));
        }
        const due = await store.reviews.dueReminders(NOW, 10);
        expect(due.map((t) => t.userId)).toEqual(['U1', 'U2', 'U3']);
        await store.reviews.setNextReminder(WS, 'U2', at(-4)); // moved since read
        expect(await store.reviews.advanceReminders(due.map((target, i) => ({ target, next: i === 2 ? null : at(60 + i) })))).toEqual([true, false, true]);
        expect((await store.reviews.dueReminders(NOW, 10)).map((t) => [t.userId, t.nextReminderAt])).toEqual([['U2', at(-4)]]);
        // U3's reminder was cleared: it is never due again.
        expect((await store.reviews.dueReminders(at(100), 10)).map((t) => [t.userId, t.nextReminderAt])).toEqual([
          ['U2', at(-4)],
          ['U1', at(60)],
        ]);
        expect(await store.reviews.advanceReminders([{ target: due[0]!, next: at(90) }])).toEqual([false]);
        expect(await store.reviews.advanceReminders([])).toEqual([]);
      });

      /** Saves what a review of `questionId` produced, as the learner's card and a log entry. */
      const save = (ws: string, user: string, questionId: string, r: Reviewed, source: 'channel_quiz' | 'personal_quiz' | 'review' | 'mock' = 'review') =>
        store.reviews.saveReview(ws, user, questionId, r.card, r.log, source);

      it('lastReview and regradeLast: the latest review graded again changes its rating and the card, adding no review', async () => {
        await users(WS, 'U1');
        expect(await store.reviews.lastReview(WS, 'U1', 'q-1')).toBeUndefined();
        const first = answered('good', new Date('2026-11-28T09:00:00.000Z'));
        await save(WS, 'U1', 'q-1', first, 'personal_quiz');
        const second = answered('good', new Date('2026-11-29T09:00:00.000Z'), first.card);
        await save(WS, 'U1', 'q-1', second, 'review');
        expect(await store.reviews.lastReview(WS, 'U1', 'q-1')).toEqual({ questionId: 'q-1', source: 'review', log: second.log });
        const hard = regrade(second.card, second.log, 'hard');
        await store.reviews.regradeLast(WS, 'U1', 'q-1', hard.card, 'hard');
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toEqual(hard.card);
        expect((await store.reviews.logOf(WS, 'U1')).map((l) => l.log.rating)).toEqual(['good', 'hard']);
        // The card counts its answers (a regrade is no new answer), for readiness.
        expect(await store.reviews.memoryOf(WS, 'U1')).toEqual([{ questionId: 'q-1', card: hard.card, answered: 2, right: 2 }]);
        const missed = answered('again', at(60), hard.card);
        await save(WS, 'U1', 'q-1', missed, 'review');
        expect(await store.reviews.memoryOf(WS, 'U1')).toMatchObject([{ questionId: 'q-1', answered: 3, right: 2 }]);
        expect(await store.reviews.memoryOf(WS2, 'U1')).toEqual([]);
        // Nothing to regrade for a question never reviewed: nothing changes.
        await store.reviews.regradeLast(WS, 'U1', 'q-2', hard.card, 'easy');
        expect(await store.reviews.card(WS, 'U1', 'q-2')).toBeUndefined();
      });

      it('saveReview stores a real FSRS card exactly, replaces it on the next review, and appends every review to the log', async () => {
        await users(WS, 'U1');
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toBeUndefined();
        const firstAt = new Date('2026-11-28T09:00:00.000Z');
        const first = answered('good', firstAt);
        await save(WS, 'U1', 'q-1', first, 'channel_quiz');
        const stored = (await store.reviews.card(WS, 'U1', 'q-1'))!;
        expect(stored).toEqual(first.card);
        expect(stored.due).toBeInstanceOf(Date);
        expect(stored.lastReview).toBeInstanceOf(Date);
        // Every field, as FSRS computed it (fractional stability and difficulty included).
        expect(stored).toEqual({
          due: new Date('2026-11-28T09:10:00.000Z'),
          stability: first.card.stability,
          difficulty: first.card.difficulty,
          elapsedDays: 0,
          scheduledDays: 0,
          learningSteps: 1,
          reps: 1,
          lapses: 0,
          state: 'learning',
          lastReview: firstAt,
        });
        expect(Number.isInteger(stored.stability)).toBe(false);
        expect(Number.isInteger(stored.difficulty)).toBe(false);

        // Graduates to review, then lapses into relearning.
        const second = answered('good', new Date('2026-11-29T09:00:00.000Z'), stored);
        await save(WS, 'U1', 'q-1', second, 'personal_quiz');
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toEqual(second.card);
        expect(second.card.state).toBe('review');
        const third = answered('again', at(-60), (await store.reviews.card(WS, 'U1', 'q-1'))!);
        await save(WS, 'U1', 'q-1', third, 'review');
        const lapsed = (await store.reviews.card(WS, 'U1', 'q-1'))!;
        expect(lapsed).toEqual(third.card);
        expect(lapsed).toMatchObject({ state: 'relearning', lapses: 1, reps: 3 });
        expect(await store.reviews.cardsOf(WS, 'U1')).toEqual([{ questionId: 'q-1', card: third.card }]);

        const log = await store.reviews.logOf(WS, 'U1');
        expect(log).toEqual([
          { questionId: 'q-1', source: 'channel_quiz', log: first.log },
          { questionId: 'q-1', source: 'personal_quiz', log: second.log },
          { questionId: 'q-1', source: 'review', log: third.log },
        ]);
        // The log keeps the card as it was before each review.
        expect(log[2]!.log).toMatchObject({ rating: 'again', state: 'review', stability: second.card.stability, review: at(-60) });
        expect(log[0]!.log.due).toBeInstanceOf(Date);
      });

      it('saveReview stores the card and the log entry together or not at all', async () => {
        await users(WS, 'U1');
        const r = answered('good', NOW);
        await expect(store.reviews.saveReview(WS, 'U1', 'q-1', r.card, r.log, 'bogus' as 'review')).rejects.toThrow();
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toBeUndefined();
        expect(await store.reviews.logOf(WS, 'U1')).toEqual([]);
        // A learner who does not exist gets neither.
        await expect(save(WS, 'U0NOBODY', 'q-1', r)).rejects.toThrow();
        expect(await store.reviews.card(WS, 'U0NOBODY', 'q-1')).toBeUndefined();
        // Inside a transaction, a review is rolled back with the rest.
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.reviews.saveReview(WS, 'U1', 'q-2', r.card, r.log, 'review');
            expect(await tx.reviews.card(WS, 'U1', 'q-2')).toEqual(r.card);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.reviews.cardsOf(WS, 'U1')).toEqual([]);
        expect(await store.reviews.logOf(WS, 'U1')).toEqual([]);
      });

      it('dueCards: due by now, by due time then question id, up to the limit; dueCount; nextDue strictly after', async () => {
        await users(WS, 'U1');
        await save(WS, 'U1', 'q-b', answered('again', at(-61))); // due at(-60)
        await save(WS, 'U1', 'q-a', answered('again', at(-61))); // due at(-60), same time: by question id
        await save(WS, 'U1', 'q-c', answered('good', at(-10))); // due exactly now
        await save(WS, 'U1', 'q-d', answered('hard', at(-30))); // due at(-24)
        await save(WS, 'U1', 'q-e', answered('good', at(-5))); // due at(5)
        await save(WS, 'U1', 'q-f', answered('easy', NOW)); // due in days

        const due = await store.reviews.dueCards(WS, 'U1', NOW, 10);
        expect(due.map((c) => [c.questionId, c.card.due])).toEqual([
          ['q-a', at(-60)],
          ['q-b', at(-60)],
          ['q-d', at(-24)],
          ['q-c', NOW],
        ]);
        expect(due[2]!.card).toEqual(answered('hard', at(-30)).card);
        expect((await store.reviews.dueCards(WS, 'U1', NOW, 2)).map((c) => c.questionId)).toEqual(['q-a', 'q-b']);
        expect(await store.reviews.dueCards(WS, 'U1', at(-61), 10)).toEqual([]);
        expect(await store.reviews.dueCount(WS, 'U1', NOW)).toBe(4);
        expect(await store.reviews.dueCount(WS, 'U1', at(-1))).toBe(3);
        expect(await store.reviews.dueCount(WS, 'U1', at(-61))).toBe(0);

        expect(await store.reviews.nextDue(WS, 'U1', NOW)).toEqual(at(5));
        expect(await store.reviews.nextDue(WS, 'U1', at(-60))).toEqual(at(-24));
        expect(await store.reviews.nextDue(WS, 'U1', at(-61))).toEqual(at(-60));
        const easyDue = answered('easy', NOW).card.due;
        expect(await store.reviews.nextDue(WS, 'U1', at(5))).toEqual(easyDue);
        expect(await store.reviews.nextDue(WS, 'U1', easyDue)).toBeUndefined();

        // Reviewing a due card moves it out of the due set.
        await save(WS, 'U1', 'q-a', answered('easy', NOW, (await store.reviews.card(WS, 'U1', 'q-a'))!));
        expect((await store.reviews.dueCards(WS, 'U1', NOW, 10)).map((c) => c.questionId)).toEqual(['q-b', 'q-d', 'q-c']);
        expect(await store.reviews.dueCount(WS, 'U1', NOW)).toBe(3);

        // Another learner has none of these.
        expect(await store.reviews.dueCards(WS, 'U2', NOW, 10)).toEqual([]);
        expect(await store.reviews.dueCount(WS, 'U2', NOW)).toBe(0);
        expect(await store.reviews.nextDue(WS, 'U2', NOW)).toBeUndefined();
      });

      it('cardsOf lists every card of the learner with its question id; logOf lists reviews oldest first', async () => {
        await users(WS, 'U1', 'U2');
        const c = answered('good', at(-30));
        const a = answered('again', at(-20));
        const b = answered('easy', at(-40));
        await save(WS, 'U1', 'q-c', c, 'channel_quiz');
        await save(WS, 'U1', 'q-a', a, 'mock');
        await save(WS, 'U1', 'q-b', b, 'personal_quiz');
        await save(WS, 'U2', 'q-z', answered('good', NOW));
        expect(await store.reviews.cardsOf(WS, 'U1')).toEqual([
          { questionId: 'q-a', card: a.card },
          { questionId: 'q-b', card: b.card },
          { questionId: 'q-c', card: c.card },
        ]);
        expect(await store.reviews.logOf(WS, 'U1')).toEqual([
          { questionId: 'q-b', source: 'personal_quiz', log: b.log },
          { questionId: 'q-c', source: 'channel_quiz', log: c.log },
          { questionId: 'q-a', source: 'mock', log: a.log },
        ]);
        expect(await store.reviews.cardsOf(WS, 'U3')).toEqual([]);
        expect(await store.reviews.logOf(WS, 'U3')).toEqual([]);
      });

      it('keeps workspaces apart: the same user id and question in two workspaces are two cards', async () => {
        await users(WS, 'U1');
        await store.users.ensure(WS2, 'U1', NOW);
        const here = answered('again', at(-30));
        const there = answered('easy', at(-30));
        await save(WS, 'U1', 'q-1', here);
        await save(WS2, 'U1', 'q-1', there, 'mock');
        expect(await store.reviews.card(WS, 'U1', 'q-1')).toEqual(here.card);
        expect(await store.reviews.card(WS2, 'U1', 'q-1')).toEqual(there.card);
        expect(await store.reviews.dueCount(WS, 'U1', NOW)).toBe(1);
        expect(await store.reviews.dueCount(WS2, 'U1', NOW)).toBe(0);
        expect((await store.reviews.dueCards(WS2, 'U1', NOW, 10)).map((c) => c.questionId)).toEqual([]);
        expect(await store.reviews.nextDue(WS, 'U1', NOW)).toBeUndefined();
        expect(await store.reviews.nextDue(WS2, 'U1', NOW)).toEqual(there.card.due);
        expect(await store.reviews.logOf(WS2, 'U1')).toEqual([{ questionId: 'q-1', source: 'mock', log: there.log }]);
        expect(await store.reviews.cardsOf(WS, 'U1')).toEqual([{ questionId: 'q-1', card: here.card }]);
      });
    });

    // ======================================================================================
    describe('mocks', () => {
      it('start records a practice exam with its questions in order; get reads it', async () => {
        await users(WS, 'U1');
        const mock = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-3', 'q-1', 'q-2'], NOW, at(90));
        expect(mock).toEqual({
          id: expect.any(Number),
          workspaceId: WS,
          userId: 'U1',
          cert: 'aip-c01',
          questionIds: ['q-3', 'q-1', 'q-2'],
          startedAt: NOW,
          endsAt: at(90),
          finishedAt: null,
        });
        expect(await store.mocks.get(mock.id)).toEqual(mock);
        expect(await store.mocks.get(mock.id + 1000)).toBeUndefined();
        const other = await store.mocks.start(WS, 'U1', 'mla-c02', [], at(1), at(2));
        expect(other.id).not.toBe(mock.id);
        expect(other.questionIds).toEqual([]);
      });

      it('active: the learner’s latest unfinished exam in progress (started, time not up)', async () => {
        await users(WS, 'U1', 'U2');
        await store.users.ensure(WS2, 'U1', NOW);
        expect(await store.mocks.active(WS, 'U1', NOW)).toBeUndefined();
        const older = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], at(-30), at(60));
        const newer = await store.mocks.start(WS, 'U1', 'aif-c01', ['q-2'], at(-10), at(30));
        expect(await store.mocks.active(WS, 'U1', NOW)).toEqual(newer);
        // Before the newer one started, the older one was in progress; before either, none.
        expect(await store.mocks.active(WS, 'U1', at(-20))).toEqual(older);
        expect(await store.mocks.active(WS, 'U1', at(-31))).toBeUndefined();
        expect(await store.mocks.active(WS, 'U1', at(29))).toEqual(newer);
        // At its end time it is over; the older one still runs.
        expect(await store.mocks.active(WS, 'U1', at(30))).toEqual(older);
        expect(await store.mocks.active(WS, 'U1', at(60))).toBeUndefined();
        expect(await store.mocks.finish(newer.id, at(1))).toBe(true);
        expect(await store.mocks.active(WS, 'U1', at(2))).toEqual(older);
        expect(await store.mocks.active(WS, 'U2', NOW)).toBeUndefined();
        expect(await store.mocks.active(WS2, 'U1', NOW)).toBeUndefined();
      });

      it('answer counts the first answer to each question only; answers lists them in the order given', async () => {
        await users(WS, 'U1');
        const mock = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1', 'q-2', 'q-3'], NOW, at(90));
        const second = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], NOW, at(90));
        expect(await store.mocks.answers(mock.id)).toEqual([]);
        expect(await store.mocks.answer(mock.id, 'q-2', [1], false, at(1))).toBe(true);
        expect(await store.mocks.answer(mock.id, 'q-1', [0, 2], true, at(2))).toBe(true);
        // A double click, or a change of mind: the first answer stands.
        expect(await store.mocks.answer(mock.id, 'q-2', [0], true, at(3))).toBe(false);
        // The same question in another exam is another answer.
        expect(await store.mocks.answer(second.id, 'q-1', [3], false, at(4))).toBe(true);

        const given = await store.mocks.answers(mock.id);
        expect(given).toEqual([
          { questionId: 'q-2', response: [1], correct: false, answeredAt: at(1) },
          { questionId: 'q-1', response: [0, 2], correct: true, answeredAt: at(2) },
        ]);
        expect(typeof given[0]!.correct).toBe('boolean');
        expect(await store.mocks.answers(second.id)).toEqual([{ questionId: 'q-1', response: [3], correct: false, answeredAt: at(4) }]);
        expect(await store.mocks.answers(mock.id + 1000)).toEqual([]);
        // Nothing is recorded for an exam that does not exist.
        expect(await store.mocks.answer(mock.id + 1000, 'q-1', [0], true, at(5))).toBe(false);
      });

      it('finish is a compare-and-set; a finished exam takes no more answers', async () => {
        await users(WS, 'U1');
        const mock = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1', 'q-2'], NOW, at(90));
        await store.mocks.answer(mock.id, 'q-1', [0], true, at(1));
        expect(await store.mocks.finish(mock.id, at(10))).toBe(true);
        expect(await store.mocks.finish(mock.id, at(11))).toBe(false);
        expect(await store.mocks.get(mock.id)).toEqual({ ...mock, finishedAt: at(10) });
        expect(await store.mocks.active(WS, 'U1', at(12))).toBeUndefined();
        expect(await store.mocks.answer(mock.id, 'q-2', [1], true, at(12))).toBe(false);
        expect(await store.mocks.answers(mock.id)).toEqual([{ questionId: 'q-1', response: [0], correct: true, answeredAt: at(1) }]);
        expect(await store.mocks.finish(mock.id + 1000, at(13))).toBe(false);
      });
    });

    // ======================================================================================
    describe('workspaces', () => {
      it('pause, pauseOf, takeProbe (compare-and-set) and resume', async () => {
        expect(await store.workspaces.pauseOf(WS)).toBeUndefined();
        expect(await store.workspaces.takeProbe(WS, NOW, NOW)).toBe(false);
        expect(await store.workspaces.resume(WS)).toBe(false);

        await store.workspaces.pause(WS, 'token_revoked', NOW);
        expect(await store.workspaces.pauseOf(WS)).toEqual({ reason: 'token_revoked', pausedAt: NOW, probedAt: NOW });
        expect(await store.workspaces.pauseOf(WS2)).toBeUndefined();

        // Not probed for long enough yet.
        expect(await store.workspaces.takeProbe(WS, at(-1), at(10))).toBe(false);
        // Two passes due to probe: only the first takes it.
        expect(await store.workspaces.takeProbe(WS, NOW, at(10))).toBe(true);
        expect(await store.workspaces.takeProbe(WS, NOW, at(10))).toBe(false);
        expect(await store.workspaces.pauseOf(WS)).toEqual({ reason: 'token_revoked', pausedAt: NOW, probedAt: at(10) });

        // Pausing again (the probe failed) keeps when the pause began.
        await store.workspaces.pause(WS, 'invalid_auth', at(20));
        expect(await store.workspaces.pauseOf(WS)).toEqual({ reason: 'invalid_auth', pausedAt: NOW, probedAt: at(20) });

        expect(await store.workspaces.resume(WS)).toBe(true);
        expect(await store.workspaces.pauseOf(WS)).toBeUndefined();
        expect(await store.workspaces.resume(WS)).toBe(false);
      });
    });

    // ======================================================================================
    describe('pace', () => {
      const ms = (d: Date) => d.getTime() - NOW.getTime();

      it('reserve hands out send slots spacingMs apart from now, one per call, per workspace', async () => {
        expect(await store.pace.reserve(WS, 20, NOW)).toEqual(NOW);
        expect(ms(await store.pace.reserve(WS, 20, NOW))).toBe(20);
        // A fractional spacing is rounded up to whole milliseconds: the slot after this one is 21 ms on.
        expect(ms(await store.pace.reserve(WS, 20.4, NOW))).toBe(40);
        expect(ms(await store.pace.reserve(WS, 20, NOW))).toBe(61);
        // A caller later than the reserved slots gets its own now: the queue has moved on.
        expect(ms(await store.pace.reserve(WS, 20, new Date(NOW.getTime() + 70)))).toBe(81);
        // Another workspace has a pace of its own.
        expect(await store.pace.reserve(WS2, 1000, NOW)).toEqual(NOW);
        expect(ms(await store.pace.reserve(WS2, 1000, NOW))).toBe(1000);
        expect(ms(await store.pace.reserve(WS, 20, NOW))).toBe(101);
      });

      it('time nobody used is not saved up: after a quiet minute the next slot is now, then spaced again', async () => {
        await store.pace.reserve(WS, 200, NOW);
        expect(await store.pace.reserve(WS, 200, at(1))).toEqual(at(1));
        expect(ms(await store.pace.reserve(WS, 200, at(1)))).toBe(60_000 + 200);
      });

      it('holdUntil: no slot begins before the hold; an earlier hold than the one in place changes nothing', async () => {
        await store.pace.holdUntil(WS, at(2));
        expect(await store.pace.reserve(WS, 20, NOW)).toEqual(at(2));
        await store.pace.holdUntil(WS, at(1));
        expect(ms(await store.pace.reserve(WS, 20, NOW))).toBe(120_000 + 20);
        // A hold past the reserved slots moves the next one there.
        await store.pace.holdUntil(WS, at(3));
        expect(await store.pace.reserve(WS, 20, at(2))).toEqual(at(3));
        // Only that workspace waits.
        expect(await store.pace.reserve(WS2, 20, NOW)).toEqual(NOW);
      });

      it('concurrent reservations each get a slot of their own, spaced as asked', async () => {
        const slots = await Promise.all(Array.from({ length: 40 }, () => store.pace.reserve(WS, 25, NOW)));
        expect(slots.map(ms).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i * 25));
      });

      it('reserve works inside a transaction too, and is kept with it', async () => {
        const slot = await store.transaction((tx) => tx.pace.reserve(WS, 50, NOW));
        expect(slot).toEqual(NOW);
        expect(ms(await store.pace.reserve(WS, 50, NOW))).toBe(50);
      });
    });

    // ======================================================================================
    describe('transaction', () => {
      it("commits every write and returns the work's result; the work reads its own writes", async () => {
        const result = await store.transaction(async (tx) => {
          await tx.users.ensure(WS, 'U1', NOW);
          const { enrolment } = await tx.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
          await tx.enrolments.markDone(enrolment.id, 1, NOW);
          expect(await tx.points.award(WS, 'U1', 'milestone', `${enrolment.id}:1`, 25, NOW)).toBe(true);
          const d = await tx.ledger.insert(key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W49' }), NOW, 'claimed', false, OWNER_A, at(5), NOW);
          expect((await tx.users.get(WS, 'U1'))?.userId).toBe('U1');
          return { enrolmentId: enrolment.id, deliveryId: d!.id };
        });
        expect(await store.users.get(WS, 'U1')).toBeDefined();
        expect(await store.enrolments.doneWeeks(result.enrolmentId)).toEqual([1]);
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 25, rank: 1 });
        expect((await store.ledger.get(result.deliveryId))?.claimedBy).toBe(OWNER_A);
      });

      it('a thrown error rolls back every write made through tx, and reaches the caller', async () => {
        await users(WS, 'U0');
        const boom = new Error('boom');
        let deliveryId = 0;
        let enrolmentId = 0;
        await expect(
          store.transaction(async (tx) => {
            await tx.users.ensure(WS, 'U1', NOW);
            await tx.users.setNudgeTime(WS, 'U0', '06:00');
            const { enrolment } = await tx.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
            enrolmentId = enrolment.id;
            await tx.enrolments.markDone(enrolment.id, 1, NOW);
            await tx.points.award(WS, 'U1', 'milestone', 'w1', 25, NOW);
            await tx.points.markStudyDay(WS, 'U1', '2026-12-01');
            await tx.subscriptions.upsert({ ws: WS, channel: 'C1', time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: at(1), nextWeekly: at(2) }, NOW);
            const d = await tx.ledger.insert(key({ kind: 'daily_quiz' }), NOW, 'claimed', false, OWNER_A, at(5), NOW);
            deliveryId = d!.id;
            const post = await tx.quiz.createPost(WS, 'C1', 'q-1', d!.id, NOW);
            await tx.quiz.answer(WS, 'U1', 'q-1', post, [0], true, NOW);
            await tx.workspaces.pause(WS, 'token_revoked', NOW);
            expect(await tx.users.forget(WS, 'U0')).toBe(true);
            throw boom;
          }),
        ).rejects.toBe(boom);

        expect(await store.users.get(WS, 'U1')).toBeUndefined();
        expect(await store.users.get(WS, 'U0')).toMatchObject({ nudgeTime: '09:00' });
        expect(await store.enrolments.current(WS, 'U1')).toBeUndefined();
        expect(await store.enrolments.doneWeeks(enrolmentId)).toEqual([]);
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 0, rank: undefined });
        expect(await store.points.studyDays(WS, 'U1', '2026-01-01')).toEqual(new Set());
        expect(await store.subscriptions.get(WS, 'C1')).toBeUndefined();
        expect(await store.ledger.list()).toEqual([]);
        expect(await store.quiz.postForDelivery(deliveryId)).toBeUndefined();
        expect(await store.quiz.answeredQuestions(WS, 'U1')).toEqual(new Set());
        expect(await store.workspaces.pauseOf(WS)).toBeUndefined();
        // The store works on after a rollback.
        expect(await store.transaction(async (tx) => (await tx.users.ensure(WS, 'U1', NOW)).userId)).toBe('U1');
      });

      it('two concurrent transactions both complete, as if one ran after the other', async () => {
        await users(WS, 'U1');
        const k = key({ kind: 'weekly_nudge', target: 'U1', period: '2026-W49' });
        const run = (owner: string, ref: string, hhmm: string) =>
          store.transaction(async (tx) => {
            const d = await tx.ledger.insert(k, NOW, 'claimed', false, owner, at(5), NOW);
            await tx.points.award(WS, 'U1', 'milestone', ref, 25, NOW);
            await tx.users.setNudgeTime(WS, 'U1', hhmm);
            await tx.points.markStudyDay(WS, 'U1', `2026-12-0${ref.slice(-1)}`);
            return d;
          });
        const [a, b] = await Promise.all([run(OWNER_A, 'w1', '07:00'), run(OWNER_B, 'w2', '08:00')]);
        // The delivery was claimed by exactly one of them, and each one's other writes all landed.
        expect([a, b].filter((d) => d !== undefined)).toHaveLength(1);
        const winner = a ? OWNER_A : OWNER_B;
        expect(await store.ledger.list({ target: 'U1' })).toEqual([expect.objectContaining({ claimedBy: winner })]);
        expect(await store.points.standing(WS, 'U1')).toEqual({ points: 50, rank: 1 });
        expect(await store.points.studyDays(WS, 'U1', '2026-12-01')).toEqual(new Set(['2026-12-01', '2026-12-02']));
        expect(['07:00', '08:00']).toContain((await store.users.get(WS, 'U1'))?.nudgeTime);
      });

      it('a statement on the store issued while a transaction is open is not rolled back with it', async () => {
        let signalOpen = () => {};
        const isOpen = new Promise<void>((resolve) => {
          signalOpen = resolve;
        });
        let letFail = () => {};
        const mayFail = new Promise<void>((resolve) => {
          letFail = resolve;
        });
        const boom = new Error('boom');
        const failing = store.transaction(async (tx) => {
          await tx.users.ensure(WS, 'U-TX', NOW);
          signalOpen();
          await mayFail;
          await tx.users.setNudgeTime(WS, 'U-TX', '06:00');
          throw boom;
        });
        await isOpen;
        const outside = store.users.ensure(WS, 'U-OUT', NOW);
        letFail();
        await expect(failing).rejects.toBe(boom);
        expect((await outside).userId).toBe('U-OUT');
        expect(await store.users.get(WS, 'U-OUT')).toBeDefined();
        expect(await store.users.get(WS, 'U-TX')).toBeUndefined();
      });
    });

    // ======================================================================================
    describe('database', () => {
      it('is healthy, accepts writes, and names its engine', async () => {
        expect(store.database.engine).toBe(engine);
        const health = await store.database.health();
        expect(health.ok).toBe(true);
        expect(typeof health.detail).toBe('string');
        expect(store.database.writesRefused()).toBeUndefined();
      });

      it('purgeDeleted resolves to a boolean after a user is forgotten', async () => {
        await users(WS, 'U1');
        await store.points.markStudyDay(WS, 'U1', '2026-12-01');
        await store.users.forget(WS, 'U1');
        expect(typeof (await store.database.purgeDeleted())).toBe('boolean');
        expect(await store.users.get(WS, 'U1')).toBeUndefined();
      });

      it('close ends the store: later calls are refused', async () => {
        await users(WS, 'U1');
        await store.database.close();
        await expect(store.users.get(WS, 'U1')).rejects.toThrow();
      });
    });
  });
}
