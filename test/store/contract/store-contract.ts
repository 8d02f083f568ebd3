/**
 * The repository contract, written once against the ports in src/ports/store.ts and run against every engine's
 * adapter (test/store/<engine>-contract.test.ts). It speaks only the Store port: no SQL, nothing from an adapter's
 * folder, so that SQLite and PostgreSQL are held to exactly the same behaviour. Every instant is a fixed Date.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { periodBounds } from '../../../src/domain/due.js';
import { type PointsKind, rankByScore } from '../../../src/domain/scoring.js';
import { regrade, type MemoryCard, newCard, type ReviewGrade, type Reviewed, review } from '../../../src/domain/review/memory.js';
import type { Delivery, DeliveryKey, HeldClaim, InstallationRecord, Period, Store } from '../../../src/ports/store.js';
import { EMPTY_WORKSPACE, readWorkspace, seedWorkspace } from './workspace-seed.js';

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

/** An installation of workspace WS as OAuth stores it, with `over` changed. */
const installation = (over: Partial<Omit<InstallationRecord, 'state' | 'inactiveSince'>> = {}): Omit<InstallationRecord, 'state' | 'inactiveSince'> => ({
  workspaceId: WS,
  teamId: WS,
  enterpriseId: null,
  isEnterpriseInstall: false,
  teamName: 'Contract Team',
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  scopes: ['commands', 'chat:write', 'im:write'],
  installerUserId: 'U0INSTALLER',
  tokenCiphertext: 'v1.k1.sealed',
  installedAt: NOW,
  ...over,
});

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
        expect(await store.mocks.unfinished(WS, 'U1', NOW)).toBeUndefined();
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
          if ((await store.mocks.dueTimeUps(now, 1)).length > 0) expect(work.due).toContain('mock-time-up');
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

        // A practice exam, from the end of its time until it is finished.
        await store.enrolments.setStatus(enrolment.id, 'stopped', NOW);
        const mock = await store.mocks.start(WS, 'U2', 'aip-c01', ['q-1'], at(-60), at(30));
        expect((await consistent(NOW)).due).toEqual(new Set(['channel-daily']));
        expect((await consistent(at(30))).due).toEqual(new Set(['channel-daily', 'channel-weekly', 'mock-time-up']));
        await store.mocks.finish(mock.id, at(10));
        expect((await consistent(at(30))).due).toEqual(new Set(['channel-daily', 'channel-weekly']));
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

      it("board 'all': the first learners with ties sharing a rank, whether more tie with the last, hidden learners left off, and the caller's own entry", async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7');
        const give = (u: string, n: number) => store.points.award(WS, u, 'milestone', `m-${u}`, n, NOW);
        await give('U1', 50);
        await give('U2', 40);
        await give('U3', 40);
        await give('U4', 30);
        await give('U5', 20);
        await give('U6', 100);
        await store.users.setOnLeaderboard(WS, 'U6', false);

        // U2 and U3 tie second: two places list one of them (the store's choice) and say that more tie.
        const board = await store.points.board(WS, 'all', { me: 'U5', limit: 2 });
        expect(board.top).toHaveLength(2);
        expect(board.top[0]).toEqual({ userId: 'U1', points: 50, rank: 1 });
        expect(board.top[1]).toMatchObject({ points: 40, rank: 2 });
        expect(['U2', 'U3']).toContain(board.top[1]!.userId);
        expect(board.moreTied).toBe(true);
        expect(board.me).toEqual({ userId: 'U5', points: 20, rank: 5 });
        expect(byRankThenUser((await store.points.board(WS, 'all', { me: 'U5', limit: 3 })).top)).toEqual([
          { userId: 'U1', points: 50, rank: 1 },
          { userId: 'U2', points: 40, rank: 2 },
          { userId: 'U3', points: 40, rank: 2 },
        ]);
        expect((await store.points.board(WS, 'all', { me: 'U5', limit: 3 })).moreTied).toBe(false);

        expect(await store.points.board(WS, 'all', { me: 'U1', limit: 1 })).toEqual({
          top: [{ userId: 'U1', points: 50, rank: 1 }],
          moreTied: false,
          me: { userId: 'U1', points: 50, rank: 1 },
        });
        // Hidden, and pointless, callers have no entry.
        expect((await store.points.board(WS, 'all', { me: 'U6', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, 'all', { me: 'U7', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, 'all', { me: 'U7', limit: 10 })).top.map((e) => e.userId)).not.toContain('U6');
        expect(await store.points.board(WS2, 'all', { me: 'U1', limit: 10 })).toEqual({ top: [], moreTied: false, me: undefined });
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
          moreTied: false,
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
          moreTied: false,
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
    describe('running totals of week and month boards', () => {
      /** A period as the leaderboard draws it: the week or month of `zone`'s calendar containing `at`. */
      const zoned = (unit: 'week' | 'month', when: Date, zone: string): Period => {
        const { from, to } = periodBounds(unit, when, zone);
        return { from, to, zone };
      };
      /** The same instants without a zone: summed from the points, the way every other period is. */
      const summed = (p: Period): Period => ({ from: p.from, to: p.to });

      it('a zone’s boards count each award once, in the week and month of the zone’s calendar, and equal the points summed', async () => {
        await users(WS, 'U1', 'U2', 'U3');
        // Sunday 29 November, 23:30 in UTC is already Monday 30 November in Kolkata (+05:30): another week there.
        const sundayNight = new Date('2026-11-29T23:30:00.000Z');
        await store.points.award(WS, 'U1', 'milestone', 'a', 25, sundayNight);
        expect(await store.points.award(WS, 'U1', 'milestone', 'a', 25, NOW)).toBe(false);
        await store.points.award(WS, 'U2', 'channel_quiz', 'post:1', 10, NOW, 'C1');
        await store.points.award(WS, 'U3', 'personal_quiz', 'q', 5, new Date('2026-12-31T20:00:00.000Z'));

        const utcWeek = zoned('week', NOW, 'UTC');
        const kolkataWeek = zoned('week', NOW, 'Asia/Kolkata');
        expect((await store.points.board(WS, utcWeek, { me: 'U1', limit: 10 })).top).toEqual([{ userId: 'U2', points: 10, rank: 1 }]);
        expect(byRankThenUser((await store.points.board(WS, kolkataWeek, { me: 'U1', limit: 10 })).top)).toEqual([
          { userId: 'U1', points: 25, rank: 1 },
          { userId: 'U2', points: 10, rank: 2 },
        ]);
        // U1's Sunday night is still November in Kolkata, and 31 December, 20:00 UTC is already 1 January there.
        expect(await store.points.board(WS, zoned('month', NOW, 'Asia/Kolkata'), { me: 'U3', limit: 10 })).toEqual({
          top: [{ userId: 'U2', points: 10, rank: 1 }],
          moreTied: false,
          me: undefined,
        });
        expect((await store.points.board(WS, zoned('month', NOW, 'UTC'), { me: 'U3', limit: 10 })).me).toEqual({ userId: 'U3', points: 5, rank: 2 });
        for (const p of [utcWeek, kolkataWeek, zoned('month', NOW, 'UTC'), zoned('month', NOW, 'Asia/Kolkata')])
          for (const me of ['U1', 'U2', 'U3'])
            expect(await store.points.board(WS, p, { me, limit: 10 })).toEqual(await store.points.board(WS, summed(p), { me, limit: 10 }));

        // Later awards are added to the zones kept by then, in their transaction.
        await store.points.award(WS, 'U3', 'milestone', 'b', 25, NOW);
        expect((await store.points.board(WS, kolkataWeek, { me: 'U3', limit: 1 })).me).toEqual({ userId: 'U3', points: 25, rank: 1 });
        expect((await store.points.board(WS, utcWeek, { me: 'U2', limit: 1 })).me).toEqual({ userId: 'U2', points: 10, rank: 2 });
        // A kept period nobody scored in, and another workspace, are empty.
        expect(await store.points.board(WS, zoned('week', new Date('2027-03-03T00:00:00.000Z'), 'UTC'), { me: 'U1', limit: 10 })).toEqual({
          top: [],
          moreTied: false,
          me: undefined,
        });
        expect(await store.points.board(WS2, utcWeek, { me: 'U1', limit: 10 })).toEqual({ top: [], moreTied: false, me: undefined });
      });

      it('keepZone builds a zone’s totals from the points earned before, once; later awards add to them', async () => {
        await users(WS, 'U1', 'U2');
        await store.points.award(WS, 'U1', 'milestone', 'a', 25, new Date('2026-10-31T23:30:00.000Z'));
        await store.points.award(WS, 'U2', 'milestone', 'a', 25, NOW);
        expect(await store.points.keepZone(WS, 'America/New_York')).toBe(true);
        expect(await store.points.keepZone(WS, 'America/New_York')).toBe(false);
        expect(await store.points.keepZone(WS, 'Not/AZone')).toBe(false);
        await store.points.award(WS, 'U2', 'personal_quiz', 'x', 5, NOW);
        // 23:30 UTC on 31 October is 19:30 in New York: October there.
        const october = zoned('month', new Date('2026-10-15T12:00:00.000Z'), 'America/New_York');
        expect((await store.points.board(WS, october, { me: 'U1', limit: 10 })).top).toEqual([{ userId: 'U1', points: 25, rank: 1 }]);
        expect((await store.points.board(WS, zoned('month', NOW, 'America/New_York'), { me: 'U2', limit: 10 })).top).toEqual([
          { userId: 'U2', points: 30, rank: 1 },
        ]);
        expect(await store.points.keepZones('UTC')).toBe(1);
        expect(await store.points.keepZones('UTC')).toBe(0);
      });

      it('a channel’s board ranks its team only; team scores and userPoints agree with the points summed', async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4');
        const c1 = await quizPost(WS, 'C1', 'q-1', '2026-12-01');
        for (const u of ['U1', 'U2', 'U3']) await store.quiz.answer(WS, u, 'q-1', c1, [0], true, NOW);
        const give = (u: string, n: number) => store.points.award(WS, u, 'milestone', `m-${u}`, n, NOW);
        await give('U1', 10);
        await give('U2', 30);
        await give('U3', 20);
        await give('U4', 40);
        await store.users.setOnLeaderboard(WS, 'U3', false);
        const week = zoned('week', NOW, 'Europe/London');
        const team = await store.points.board(WS, week, { channel: 'C1', me: 'U1', limit: 10 });
        expect(byRankThenUser(team.top)).toEqual([
          { userId: 'U2', points: 30, rank: 1 },
          { userId: 'U1', points: 10, rank: 2 },
        ]);
        expect(team.me).toEqual({ userId: 'U1', points: 10, rank: 2 });
        expect((await store.points.board(WS, week, { channel: 'C1', me: 'U4', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, week, { channel: 'C1', limit: 10 })).me).toBeUndefined();
        expect((await store.points.board(WS, week, { me: 'U1', limit: 10 })).me).toEqual({ userId: 'U1', points: 10, rank: 3 });
        expect(byUser(await store.points.teamScores(WS, 'C1', week))).toEqual(byUser(await store.points.teamScores(WS, 'C1', summed(week))));
        expect(await store.points.userPoints(WS, 'U2', week)).toBe(30);
      });

      it('forgetting a learner takes them off every board, and off the totals', async () => {
        await users(WS, 'U1', 'U2');
        await store.points.award(WS, 'U1', 'milestone', 'a', 25, NOW);
        await store.points.award(WS, 'U2', 'milestone', 'a', 10, NOW);
        const week = zoned('week', NOW, 'UTC');
        expect((await store.points.board(WS, week, { me: 'U2', limit: 10 })).me).toEqual({ userId: 'U2', points: 10, rank: 2 });
        expect(await store.users.forget(WS, 'U1')).toBe(true);
        expect(await store.points.board(WS, week, { me: 'U2', limit: 10 })).toEqual({
          top: [{ userId: 'U2', points: 10, rank: 1 }],
          moreTied: false,
          me: { userId: 'U2', points: 10, rank: 1 },
        });
        // The same user id coming back starts from nothing.
        await users(WS, 'U1');
        expect((await store.points.board(WS, week, { me: 'U1', limit: 10 })).me).toBeUndefined();
        await store.points.award(WS, 'U1', 'milestone', 'b', 5, NOW);
        expect((await store.points.board(WS, week, { me: 'U1', limit: 10 })).me).toEqual({ userId: 'U1', points: 5, rank: 2 });
      });

      it('after any sequence of awards, answers, repeats, hidden learners and forgetting, every board equals the points summed (property)', async () => {
        const LEARNERS = ['U1', 'U2', 'U3', 'U4'];
        const ZONES = ['UTC', 'Asia/Kolkata', 'America/New_York'];
        // Three weeks either side of the end of October, when New York and Europe change their clocks.
        const START = Date.parse('2026-10-12T00:00:00.000Z');
        const instant = fc.integer({ min: 0, max: 42 * 24 * 4 }).map((q) => new Date(START + q * 15 * 60_000));
        const action = fc.oneof(
          fc.record({
            kind: fc.constant('award' as const),
            user: fc.constantFrom(...LEARNERS),
            what: fc.constantFrom('milestone', 'personal_quiz', 'streak_7'),
            ref: fc.constantFrom('a', 'b', 'c'),
            points: fc.constantFrom(5, 10, 25),
            at: instant,
          }),
          fc.record({
            kind: fc.constant('answer' as const),
            user: fc.constantFrom(...LEARNERS),
            post: fc.constantFrom(0, 1),
            right: fc.boolean(),
            at: instant,
          }),
          fc.record({ kind: fc.constant('hide' as const), user: fc.constantFrom(...LEARNERS), on: fc.boolean() }),
          fc.record({ kind: fc.constant('forget' as const), user: fc.constantFrom(...LEARNERS) }),
          fc.record({ kind: fc.constant('keep' as const), zone: fc.constantFrom(...ZONES) }),
        );
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 25 }), async (actions) => {
            const ws = `T0PROPERTY${++run}`;
            for (const u of LEARNERS) await store.users.ensure(ws, u, NOW);
            const posts = [await quizPost(ws, 'C1', 'q-1', `p${run}-1`), await quizPost(ws, 'C2', 'q-2', `p${run}-2`)];
            /** What the store should hold: every award that counted, by learner, kind and ref. */
            const earned = new Map<string, { user: string; points: number; at: Date }>();
            const team = new Set<string>();
            const hidden = new Set<string>();
            const instants: Date[] = [];
            for (const a of actions) {
              if (a.kind === 'award' || a.kind === 'answer') {
                let kind: PointsKind = a.kind === 'award' ? (a.what as PointsKind) : 'channel_quiz';
                let ref = a.kind === 'award' ? a.ref : `post:${posts[a.post]!.id}`;
                let channel: string | null = null;
                if (a.kind === 'answer') {
                  // The quiz's rule: only a learner's first answer to a post scores, and only if right.
                  const post = posts[a.post]!;
                  const first = (await store.quiz.answer(ws, a.user, post.questionId, post, [0], a.right, a.at)).first;
                  if (post.channelId === 'C1') team.add(a.user);
                  if (!first || !a.right) continue;
                  channel = post.channelId;
                  kind = 'channel_quiz';
                  ref = `post:${post.id}`;
                }
                const key = `${a.user}/${kind}/${ref}`;
                const paid = await store.points.award(ws, a.user, kind, ref, a.kind === 'award' ? a.points : 10, a.at, channel);
                expect(paid).toBe(!earned.has(key));
                if (paid) earned.set(key, { user: a.user, points: a.kind === 'award' ? a.points : 10, at: a.at });
                instants.push(a.at);
              } else if (a.kind === 'hide') {
                await store.users.setOnLeaderboard(ws, a.user, a.on);
                if (a.on) hidden.delete(a.user);
                else hidden.add(a.user);
              } else if (a.kind === 'forget') {
                await store.users.forget(ws, a.user);
                await store.users.ensure(ws, a.user, NOW);
                for (const [k, e] of earned) if (e.user === a.user) earned.delete(k);
                team.delete(a.user);
                hidden.delete(a.user);
              } else {
                await store.points.keepZone(ws, a.zone);
              }
            }
            // Every week and month of every zone that counts an award, plus one nobody scored in.
            const periods = new Map<string, Period>();
            for (const zone of ZONES)
              for (const when of [...instants, new Date(START - 30 * 86_400_000)])
                for (const unit of ['week', 'month'] as const) {
                  const p = zoned(unit, when, zone);
                  periods.set(`${zone} ${p.from.toISOString()} ${p.to.toISOString()}`, p);
                }
            for (const p of periods.values()) {
              const scores = new Map<string, number>();
              for (const e of earned.values())
                if (e.at >= p.from && e.at < p.to && !hidden.has(e.user)) scores.set(e.user, (scores.get(e.user) ?? 0) + e.points);
              const expected = (channel?: string) =>
                rankByScore(
                  [...scores].filter(([u]) => !channel || team.has(u)).map(([userId, points]) => ({ userId, points })),
                  (s) => s.points,
                ).map((r) => ({ userId: r.item.userId, points: r.item.points, rank: r.rank }));
              for (const channel of [undefined, 'C1']) {
                const ranked = expected(channel);
                for (const me of LEARNERS) {
                  const board = await store.points.board(ws, p, { channel, me, limit: 2 });
                  // The first two by points, each a learner with that score and rank (which of tied ones is free).
                  expect(board.top.map((e) => [e.points, e.rank])).toEqual(ranked.slice(0, 2).map((r) => [r.points, r.rank]));
                  for (const e of board.top) expect(ranked).toContainEqual(e);
                  expect(new Set(board.top.map((e) => e.userId)).size).toBe(board.top.length);
                  expect(board.moreTied).toBe(ranked.length > 2 && ranked[2]!.points === ranked[1]!.points);
                  expect(board.me).toEqual(ranked.find((r) => r.userId === me));
                }
              }
              expect(byUser(await store.points.teamScores(ws, 'C1', p))).toEqual(byUser(expected('C1').map(({ userId, points }) => ({ userId, points }))));
            }
          }),
          { numRuns: 12 },
        );
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

      it('answerTallies: a tally a question, cards (stability and last review unless new) and quiz answers without a card counted', async () => {
        await users(WS, 'U1', 'U2');
        await users(WS2, 'U1');
        expect(await store.reviews.answerTallies(WS, 'U1')).toEqual([]);
        // A card answered twice (right, then wrong): its own counts, its stability and last review to the millisecond.
        const first = answered('good', new Date('2026-11-28T09:00:00.123Z'));
        await save(WS, 'U1', 'q-card', first, 'personal_quiz');
        const lapse = answered('again', new Date('2026-11-29T17:45:10.987Z'), first.card);
        await save(WS, 'U1', 'q-card', lapse, 'review');
        // A card stored new (no review makes one, but a card's state is what the store keeps): not seen, counts kept.
        const fresh = answered('good', NOW);
        await save(WS, 'U1', 'q-new', { card: newCard(NOW), log: fresh.log }, 'review');
        // Quiz answers from before cards existed: two channel posts and a personal answer of one question, one of another.
        const p1 = await quizPost(WS, 'C1', 'q-old', '2026-11-01');
        const p2 = await quizPost(WS, 'C1', 'q-old', '2026-11-02');
        await store.quiz.answer(WS, 'U1', 'q-old', p1, [1], true, NOW);
        await store.quiz.answer(WS, 'U1', 'q-old', p2, [0], false, NOW);
        await store.quiz.answer(WS, 'U1', 'q-old', null, [1], true, NOW);
        await store.quiz.answer(WS, 'U1', 'q-old2', null, [3], false, NOW);
        // A quiz answer to a question with a card counts in the card, not again.
        await store.quiz.answer(WS, 'U1', 'q-card', null, [2], true, NOW);
        // Other learners' answers and cards, here and in another workspace, are theirs.
        await save(WS, 'U2', 'q-card', first);
        await store.quiz.answer(WS, 'U2', 'q-old', p1, [1], true, NOW);
        await save(WS2, 'U1', 'q-card', first);

        const tallies = await store.reviews.answerTallies(WS, 'U1');
        expect([...tallies].sort((a, b) => (a.questionId < b.questionId ? -1 : 1))).toEqual([
          { questionId: 'q-card', stability: lapse.card.stability, lastReviewMs: Date.parse('2026-11-29T17:45:10.987Z'), answered: 2, right: 1 },
          { questionId: 'q-new', stability: null, lastReviewMs: null, answered: 1, right: 1 },
          { questionId: 'q-old', stability: null, lastReviewMs: null, answered: 3, right: 2 },
          { questionId: 'q-old2', stability: null, lastReviewMs: null, answered: 1, right: 0 },
        ]);
        // Every question the learner has a card for or answered, once: what a review session counts as seen.
        const seen = new Set([...(await store.reviews.cardsOf(WS, 'U1')).map((c) => c.questionId), ...(await store.quiz.answeredQuestions(WS, 'U1'))]);
        expect(new Set(tallies.map((t) => t.questionId))).toEqual(seen);
        expect(tallies).toHaveLength(seen.size);
        expect(await store.reviews.answerTallies(WS2, 'U1')).toEqual([
          { questionId: 'q-card', stability: first.card.stability, lastReviewMs: first.card.lastReview!.getTime(), answered: 1, right: 1 },
        ]);
        expect(await store.reviews.answerTallies(WS, 'U0NOBODY')).toEqual([]);
      });

      it('answerTallies and dueCards give the instants written to the millisecond, across the years', async () => {
        await users(WS, 'U1');
        const instants = [
          '1970-01-01T00:00:00.001Z',
          '2001-09-09T01:46:39.999Z',
          '2026-12-01T09:00:00.500Z',
          '2026-12-01T09:00:00.999Z',
          '2038-01-19T03:14:08.001Z',
          '2099-12-31T23:59:59.999Z',
          '2199-06-30T12:00:00.555Z',
        ].map((iso) => new Date(iso));
        // And more, a prime number of milliseconds apart (every last digit, every fraction of a second).
        for (let ms = Date.parse('2026-01-01T00:00:00Z'); instants.length < 200; ms += 7_919_999_993) instants.push(new Date(ms));
        const written = new Map(instants.map((when, i) => [`q-${i}`, answered('good', when)]));
        for (const [q, r] of written) await save(WS, 'U1', q, r);
        const tallies = await store.reviews.answerTallies(WS, 'U1');
        expect(new Map(tallies.map((t) => [t.questionId, t.lastReviewMs]))).toEqual(new Map([...written].map(([q, r]) => [q, r.card.lastReview!.getTime()])));
        const due = await store.reviews.dueCards(WS, 'U1', new Date('2300-01-01T00:00:00Z'), 500);
        expect(new Map(due.map((c) => [c.questionId, [c.card.due.getTime(), c.card.lastReview?.getTime()]]))).toEqual(
          new Map([...written].map(([q, r]) => [q, [r.card.due.getTime(), r.card.lastReview!.getTime()]])),
        );
      });

      it('answerTallies: answers to a question without a card count until its card is written, then only the card counts', async () => {
        await users(WS, 'U1');
        const p1 = await quizPost(WS, 'C1', 'q-1', '2026-11-01');
        const p2 = await quizPost(WS, 'C1', 'q-1', '2026-11-02');
        await store.quiz.answer(WS, 'U1', 'q-1', p1, [1], true, NOW);
        await store.quiz.answer(WS, 'U1', 'q-1', p2, [0], false, NOW);
        // A second answer to the same post (or personal question) is no answer: it counts nothing.
        expect((await store.quiz.answer(WS, 'U1', 'q-1', p1, [0], false, NOW)).first).toBe(false);
        await store.quiz.answer(WS, 'U1', 'q-2', null, [1], true, NOW);
        expect((await store.quiz.answer(WS, 'U1', 'q-2', null, [1], true, NOW)).first).toBe(false);
        const sorted = async () => [...(await store.reviews.answerTallies(WS, 'U1'))].sort((a, b) => (a.questionId < b.questionId ? -1 : 1));
        expect(await sorted()).toEqual([
          { questionId: 'q-1', stability: null, lastReviewMs: null, answered: 2, right: 1 },
          { questionId: 'q-2', stability: null, lastReviewMs: null, answered: 1, right: 1 },
        ]);
        // The card replaces the answers before it: only its own counts from now on.
        const first = answered('good', at(10));
        await save(WS, 'U1', 'q-1', first, 'review');
        expect(await sorted()).toEqual([
          { questionId: 'q-1', stability: first.card.stability, lastReviewMs: at(10).getTime(), answered: 1, right: 1 },
          { questionId: 'q-2', stability: null, lastReviewMs: null, answered: 1, right: 1 },
        ]);
        // As the quiz records an answer (the answer, then its card, in one transaction): the card's count alone.
        await store.transaction(async (tx) => {
          await tx.quiz.answer(WS, 'U1', 'q-3', null, [0], false, at(20));
          const missed = answered('again', at(20));
          await tx.reviews.saveReview(WS, 'U1', 'q-3', missed.card, missed.log, 'personal_quiz');
        });
        // Answers to a question that has a card are not counted again, even on a new post.
        const p3 = await quizPost(WS, 'C1', 'q-1', '2026-11-03');
        await store.quiz.answer(WS, 'U1', 'q-1', p3, [1], true, at(30));
        expect(await sorted()).toEqual([
          { questionId: 'q-1', stability: first.card.stability, lastReviewMs: at(10).getTime(), answered: 1, right: 1 },
          { questionId: 'q-2', stability: null, lastReviewMs: null, answered: 1, right: 1 },
          { questionId: 'q-3', stability: expect.any(Number), lastReviewMs: at(20).getTime(), answered: 1, right: 0 },
        ]);
      });

      it('answerTallies: an answer whose transaction fails counts nothing; forgetting the learner forgets their counts', async () => {
        await users(WS, 'U1', 'U2');
        await expect(
          store.transaction(async (tx) => {
            await tx.quiz.answer(WS, 'U1', 'q-1', null, [1], true, NOW);
            throw new Error('the work failed after the answer');
          }),
        ).rejects.toThrow('the work failed');
        expect(await store.reviews.answerTallies(WS, 'U1')).toEqual([]);
        await store.quiz.answer(WS, 'U1', 'q-1', null, [1], true, NOW);
        await store.quiz.answer(WS, 'U2', 'q-1', null, [1], false, NOW);
        expect(await store.reviews.answerTallies(WS, 'U1')).toEqual([{ questionId: 'q-1', stability: null, lastReviewMs: null, answered: 1, right: 1 }]);
        expect(await store.users.forget(WS, 'U1')).toBe(true);
        expect(await store.reviews.answerTallies(WS, 'U1')).toEqual([]);
        // Back later, afresh (whatever number the store gives them now): nothing of before.
        await users(WS, 'U1', 'U3');
        expect(await store.reviews.answerTallies(WS, 'U1')).toEqual([]);
        expect(await store.reviews.answerTallies(WS, 'U3')).toEqual([]);
        expect(await store.reviews.answerTallies(WS, 'U2')).toEqual([{ questionId: 'q-1', stability: null, lastReviewMs: null, answered: 1, right: 0 }]);
      });

      it('answerTallies equals the cards and the quiz answers without a card counted one by one, after any answers, reviews and forgetting (property)', async () => {
        const LEARNERS = ['U1', 'U2'];
        const QUESTIONS = ['q-1', 'q-2', 'q-3'];
        const action = fc.oneof(
          fc.record({
            kind: fc.constant('answer' as const),
            user: fc.constantFrom(...LEARNERS),
            question: fc.constantFrom(...QUESTIONS),
            post: fc.constantFrom(null, 0, 1),
            right: fc.boolean(),
            // As the quiz does it: the first answer and its card together, in one transaction.
            graded: fc.boolean(),
          }),
          fc.record({
            kind: fc.constant('review' as const),
            user: fc.constantFrom(...LEARNERS),
            question: fc.constantFrom(...QUESTIONS),
            grade: fc.constantFrom<ReviewGrade>('again', 'good'),
          }),
          fc.record({ kind: fc.constant('forget' as const), user: fc.constantFrom(...LEARNERS) }),
        );
        let run = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 20 }), async (actions) => {
            const ws = `T0TALLY${++run}`;
            for (const u of LEARNERS) await store.users.ensure(ws, u, NOW);
            const posts = new Map<string, Awaited<ReturnType<typeof quizPost>>>();
            const postOf = async (question: string, n: number) => {
              const k = `${question}-${n}`;
              if (!posts.has(k)) posts.set(k, await quizPost(ws, 'C1', question, `t${run}-${k}`));
              return posts.get(k)!;
            };
            let minute = 0;
            for (const a of actions) {
              const when = at(++minute);
              if (a.kind === 'answer') {
                const post = a.post === null ? null : await postOf(a.question, a.post);
                await store.transaction(async (tx) => {
                  const result = await tx.quiz.answer(ws, a.user, a.question, post, [0], a.right, when);
                  if (!a.graded || !result.first) return;
                  const r = answered(a.right ? 'good' : 'again', when, (await tx.reviews.card(ws, a.user, a.question)) ?? newCard(when));
                  await tx.reviews.saveReview(ws, a.user, a.question, r.card, r.log, post ? 'channel_quiz' : 'personal_quiz');
                });
              } else if (a.kind === 'review') {
                const r = answered(a.grade, when, (await store.reviews.card(ws, a.user, a.question)) ?? newCard(when));
                await save(ws, a.user, a.question, r, 'review');
              } else {
                await store.users.forget(ws, a.user);
                await store.users.ensure(ws, a.user, NOW);
              }
            }
            for (const user of LEARNERS) {
              const cards = await store.reviews.memoryOf(ws, user);
              const withCard = new Set(cards.map((c) => c.questionId));
              const expected = new Map(
                cards.map((c) => [
                  c.questionId,
                  {
                    questionId: c.questionId,
                    stability: c.card.state === 'new' ? null : c.card.stability,
                    lastReviewMs: c.card.state === 'new' ? null : (c.card.lastReview?.getTime() ?? null),
                    answered: c.answered,
                    right: c.right,
                  },
                ]),
              );
              for (const answer of await store.quiz.answersOf(ws, user)) {
                if (withCard.has(answer.questionId)) continue;
                const t = expected.get(answer.questionId) ?? { questionId: answer.questionId, stability: null, lastReviewMs: null, answered: 0, right: 0 };
                expected.set(answer.questionId, { ...t, answered: t.answered + 1, right: t.right + (answer.correct ? 1 : 0) });
              }
              const byQuestion = (x: { questionId: string }, y: { questionId: string }) => (x.questionId < y.questionId ? -1 : 1);
              expect([...(await store.reviews.answerTallies(ws, user))].sort(byQuestion)).toEqual([...expected.values()].sort(byQuestion));
            }
          }),
          { numRuns: 15 },
        );
      });

      it('newInReviews counts the questions first met in a review session within the period, half-open', async () => {
        await users(WS, 'U1', 'U2');
        const day = { from: at(-60), to: at(24 * 60 - 60) };
        expect(await store.reviews.newInReviews(WS, 'U1', day)).toBe(0);
        // First met in reviews: at the period's first instant, and inside it (then answered again: one new card).
        const a = answered('good', at(-60));
        await save(WS, 'U1', 'q-a', a, 'review');
        await save(WS, 'U1', 'q-a', answered('again', at(30), a.card), 'review');
        await save(WS, 'U1', 'q-b', answered('again', at(5)), 'review');
        // Regraded ("too easy"): still one review of a new card.
        const c = answered('good', at(10));
        await save(WS, 'U1', 'q-c', c, 'review');
        await store.reviews.regradeLast(WS, 'U1', 'q-c', regrade(c.card, c.log, 'easy').card, 'easy');
        // Not counted: first met elsewhere (a quiz, a practice exam), before the period, at its end, another learner.
        await save(WS, 'U1', 'q-d', answered('good', at(1)), 'personal_quiz');
        await save(WS, 'U1', 'q-e', answered('good', at(2)), 'mock');
        const old = answered('good', at(-61));
        await save(WS, 'U1', 'q-f', old, 'review');
        await save(WS, 'U1', 'q-f', answered('good', at(40), old.card), 'review');
        await save(WS, 'U1', 'q-g', answered('good', day.to), 'review');
        await save(WS, 'U2', 'q-a', answered('good', NOW), 'review');
        expect(await store.reviews.newInReviews(WS, 'U1', day)).toBe(3);
        expect(await store.reviews.newInReviews(WS, 'U1', { from: at(-61), to: at(-60) })).toBe(1);
        expect(await store.reviews.newInReviews(WS, 'U2', day)).toBe(1);
        expect(await store.reviews.newInReviews(WS2, 'U1', day)).toBe(0);
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
        // What choosing among them needs, read back exactly: no more of the card than that.
        const { due: dueAt, state, stability, lastReview, reps } = answered('hard', at(-30)).card;
        expect(due[2]!.card).toEqual({ due: dueAt, state, stability, lastReview, reps });
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
          message: null,
        });
        expect(await store.mocks.get(mock.id)).toEqual(mock);
        expect(await store.mocks.get(mock.id + 1000)).toBeUndefined();
        const other = await store.mocks.start(WS, 'U1', 'mla-c02', [], at(1), at(2));
        expect(other.id).not.toBe(mock.id);
        expect(other.questionIds).toEqual([]);
      });

      it('unfinished: the learner’s latest exam started and not finished, its time up or not', async () => {
        await users(WS, 'U1', 'U2');
        await store.users.ensure(WS2, 'U1', NOW);
        expect(await store.mocks.unfinished(WS, 'U1', NOW)).toBeUndefined();
        const older = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], at(-30), at(60));
        const newer = await store.mocks.start(WS, 'U1', 'aif-c01', ['q-2'], at(-10), at(30));
        expect(await store.mocks.unfinished(WS, 'U1', NOW)).toEqual(newer);
        // Before the newer one started, the older one; before either, none.
        expect(await store.mocks.unfinished(WS, 'U1', at(-20))).toEqual(older);
        expect(await store.mocks.unfinished(WS, 'U1', at(-31))).toBeUndefined();
        // Its time up, it is still unfinished until something finishes it.
        expect(await store.mocks.unfinished(WS, 'U1', at(30))).toEqual(newer);
        expect(await store.mocks.unfinished(WS, 'U1', at(600))).toEqual(newer);
        expect(await store.mocks.finish(newer.id, at(1))).toBe(true);
        expect(await store.mocks.unfinished(WS, 'U1', at(2))).toEqual(older);
        expect(await store.mocks.unfinished(WS, 'U2', NOW)).toBeUndefined();
        expect(await store.mocks.unfinished(WS2, 'U1', NOW)).toBeUndefined();
      });

      it('discard deletes an exam with no answer yet, and only such an exam', async () => {
        await users(WS, 'U1');
        const untouched = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1', 'q-2'], NOW, at(90));
        const answeredOnce = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1', 'q-2'], NOW, at(90));
        expect(await store.mocks.answer(answeredOnce.id, 'q-1', [0], true, at(1))).toBe(true);
        expect(await store.mocks.discard(untouched.id)).toBe(true);
        expect(await store.mocks.get(untouched.id)).toBeUndefined();
        expect(await store.mocks.discard(untouched.id)).toBe(false);
        expect(await store.mocks.discard(answeredOnce.id)).toBe(false);
        expect(await store.mocks.get(answeredOnce.id)).toEqual(answeredOnce);
        expect(await store.mocks.answers(answeredOnce.id)).toHaveLength(1);
        // An answer to a discarded exam records nothing.
        expect(await store.mocks.answer(untouched.id, 'q-2', [1], false, at(2))).toBe(false);
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
        expect(await store.mocks.unfinished(WS, 'U1', at(12))).toBeUndefined();
        expect(await store.mocks.answer(mock.id, 'q-2', [1], true, at(12))).toBe(false);
        expect(await store.mocks.answers(mock.id)).toEqual([{ questionId: 'q-1', response: [0], correct: true, answeredAt: at(1) }]);
        expect(await store.mocks.finish(mock.id + 1000, at(13))).toBe(false);
      });

      it('setMessage keeps the DM message the question was last posted as', async () => {
        await users(WS, 'U1');
        const mock = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], NOW, at(30));
        expect(mock.message).toBeNull();
        await store.mocks.setMessage(mock.id, 'D0U1', '1700000000.000100');
        expect((await store.mocks.get(mock.id))?.message).toEqual({ channel: 'D0U1', ts: '1700000000.000100' });
        await store.mocks.setMessage(mock.id, 'D0U1', '1700000000.000200');
        expect(await store.mocks.get(mock.id)).toEqual({ ...mock, message: { channel: 'D0U1', ts: '1700000000.000200' } });
        expect((await store.mocks.unfinished(WS, 'U1', NOW))?.message).toEqual({ channel: 'D0U1', ts: '1700000000.000200' });
        expect((await store.mocks.dueTimeUps(at(30), 10)).map((m) => m.message)).toEqual([{ channel: 'D0U1', ts: '1700000000.000200' }]);
        await store.mocks.setMessage(mock.id + 1000, 'D0U1', '1.2');
        expect(await store.mocks.get(mock.id + 1000)).toBeUndefined();
      });

      it('finishMany finishes many in one call, compare-and-set: whether each was finished by it, in the order given', async () => {
        await users(WS, 'U1', 'U2');
        const a = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], NOW, at(30));
        const b = await store.mocks.start(WS, 'U2', 'aip-c01', ['q-1'], NOW, at(30));
        const c = await store.mocks.start(WS, 'U2', 'aif-c01', ['q-2'], NOW, at(40));
        expect(await store.mocks.finishMany([], at(31))).toEqual([]);
        expect(await store.mocks.finish(b.id, at(20))).toBe(true);
        expect(await store.mocks.finishMany([c.id, b.id, c.id + 1000, a.id], at(31))).toEqual([true, false, false, true]);
        expect(await store.mocks.get(a.id)).toEqual({ ...a, finishedAt: at(31) });
        expect(await store.mocks.get(b.id)).toEqual({ ...b, finishedAt: at(20) });
        expect(await store.mocks.get(c.id)).toEqual({ ...c, finishedAt: at(31) });
        expect(await store.mocks.finishMany([a.id, c.id], at(32))).toEqual([false, false]);
        expect(await store.mocks.answer(a.id, 'q-1', [0], true, at(33))).toBe(false);
      });

      it('dueTimeUps: unfinished exams whose time is up by now, soonest first then by id, up to the limit', async () => {
        await users(WS, 'U1', 'U2');
        await users(WS2, 'U1');
        const late = await store.mocks.start(WS, 'U1', 'aip-c01', ['q-1'], at(-90), at(-5));
        const early = await store.mocks.start(WS2, 'U1', 'aip-c01', ['q-1'], at(-120), at(-30));
        const tieA = await store.mocks.start(WS, 'U2', 'aif-c01', ['q-1'], at(-60), at(-10));
        const tieB = await store.mocks.start(WS, 'U2', 'aif-c01', ['q-2'], at(-60), at(-10));
        const running = await store.mocks.start(WS, 'U1', 'aif-c01', ['q-1'], at(-1), at(60));
        const finished = await store.mocks.start(WS, 'U2', 'aip-c01', ['q-1'], at(-100), at(-50));
        await store.mocks.finish(finished.id, at(-60));
        expect(await store.mocks.dueTimeUps(NOW, 10)).toEqual([early, tieA, tieB, late]);
        expect(await store.mocks.dueTimeUps(NOW, 2)).toEqual([early, tieA]);
        // Due at its very end (endsAt ≤ now), not a millisecond before.
        expect((await store.mocks.dueTimeUps(at(-5), 10)).map((m) => m.id)).toEqual([early.id, tieA.id, tieB.id, late.id]);
        expect((await store.mocks.dueTimeUps(new Date(at(-5).getTime() - 1), 10)).map((m) => m.id)).toEqual([early.id, tieA.id, tieB.id]);
        expect(await store.mocks.dueTimeUps(at(-31), 10)).toEqual([]);
        expect((await store.mocks.dueTimeUps(at(60), 10)).map((m) => m.id)).toEqual([early.id, tieA.id, tieB.id, late.id, running.id]);
        // A finished exam leaves the due set.
        await store.mocks.finishMany([tieA.id, early.id], NOW);
        expect(await store.mocks.dueTimeUps(NOW, 10)).toEqual([tieB, late]);
      });

      it('dueTimeUps in concurrent claim transactions: each exam is finished by exactly one of them', async () => {
        await users(WS, 'U1', 'U2', 'U3');
        const started = [];
        for (const u of ['U1', 'U2', 'U3']) for (let i = 0; i < 4; i++) started.push(await store.mocks.start(WS, u, 'aip-c01', ['q-1'], at(-60), at(-i)));
        const claim = () =>
          store.transaction(async (tx) => {
            const due = await tx.mocks.dueTimeUps(NOW, 5);
            const finished = await tx.mocks.finishMany(
              due.map((m) => m.id),
              NOW,
            );
            return due.filter((_, i) => finished[i]).map((m) => m.id);
          });
        const taken = (await Promise.all([claim(), claim(), claim(), claim()])).flat();
        expect(taken.sort((a, b) => a - b)).toEqual(started.map((m) => m.id).sort((a, b) => a - b));
        expect(await store.mocks.dueTimeUps(NOW, 20)).toEqual([]);
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

      it('purge deletes every row of the workspace in every table and leaves another workspace exactly as it was', async () => {
        const gone = await seedWorkspace(store, WS, NOW);
        const kept = await seedWorkspace(store, WS2, NOW);
        const before = await readWorkspace(store, kept);
        // Every table has a row for each (the read proves the seed landed).
        for (const [what, value] of Object.entries(await readWorkspace(store, gone)))
          expect(value, what).not.toEqual(EMPTY_WORKSPACE[what as keyof typeof EMPTY_WORKSPACE]);

        await store.workspaces.purge(WS);

        expect(await readWorkspace(store, gone)).toEqual(EMPTY_WORKSPACE);
        expect(await readWorkspace(store, kept)).toEqual(before);
        // The send pace went too: the purged workspace's next slot is now; the other's hold stands.
        expect(await store.pace.reserve(WS, 20, NOW)).toEqual(NOW);
        expect(await store.pace.reserve(WS2, 20, NOW)).toEqual(at(1));
        // Purging again, or a workspace never seen, changes nothing and does not fail.
        await store.workspaces.purge(WS);
        await store.workspaces.purge('T0NEVERSEEN');
        expect(await readWorkspace(store, kept)).toEqual(before);
      });

      it('purge of an org-wide install (enterprise id) takes its workspaces’ data, but not one with an installation of its own', async () => {
        const org = 'E0ORG';
        await store.installations.save(installation({ workspaceId: org, teamId: null, enterpriseId: org, isEnterpriseInstall: true }));
        const underOrg = await seedWorkspace(store, `${org}:T0A`, NOW, false);
        // A workspace of the same enterprise with an installation of its own (seedWorkspace saves one).
        const ownInstall = await seedWorkspace(store, `${org}:T0B`, NOW);
        // Keys that merely begin with the same letters belong to other enterprises and workspaces.
        const lookalike = await seedWorkspace(store, `${org}X:T0C`, NOW);
        const plain = await seedWorkspace(store, 'E0ORGT', NOW);
        const other = await seedWorkspace(store, WS, NOW);
        const before = await Promise.all([ownInstall, lookalike, plain, other].map((w) => readWorkspace(store, w)));

        await store.workspaces.purge(org);

        expect(await store.installations.find(org)).toBeUndefined();
        expect(await readWorkspace(store, underOrg)).toEqual(EMPTY_WORKSPACE);
        expect(await Promise.all([ownInstall, lookalike, plain, other].map((w) => readWorkspace(store, w)))).toEqual(before);
      });

      it('purge runs inside a transaction and is rolled back with it', async () => {
        const seeded = await seedWorkspace(store, WS, NOW);
        const before = await readWorkspace(store, seeded);
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.workspaces.purge(WS);
            expect(await tx.users.get(WS, 'U1')).toBeUndefined();
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await readWorkspace(store, seeded)).toEqual(before);
      });
    });

    // ======================================================================================
    describe('oauth states', () => {
      it('consume is true once per state, false for every later use; other states are unaffected', async () => {
        expect(await store.oauthStates.consume('state-a', NOW, at(-60))).toBe(true);
        expect(await store.oauthStates.consume('state-a', at(1), at(-59))).toBe(false);
        expect(await store.oauthStates.consume('state-b', at(1), at(-59))).toBe(true);
        expect(await store.oauthStates.consume('state-a', at(2), at(-58))).toBe(false);
      });

      it('two redirects with one state at once: exactly one consumes it', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.oauthStates.consume('state-race', NOW, at(-60))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('forgets the states used before forgetBefore, and only those', async () => {
        await store.oauthStates.consume('old', at(-120), at(-180));
        await store.oauthStates.consume('recent', at(-30), at(-90));
        // Forgetting what was used more than an hour ago: "old" is gone (usable again), "recent" is still refused.
        expect(await store.oauthStates.consume('recent', NOW, at(-60))).toBe(false);
        expect(await store.oauthStates.consume('old', NOW, at(-60))).toBe(true);
      });
    });

    /** Every learner of the export, read page by page as the export reads them. */
    const allLearners = async (ws: string, limit = 1000) => {
      const out: Awaited<ReturnType<Store['reports']['learners']>> = [];
      for (
        let page = await store.reports.learners(ws, { after: '', limit });
        page.length;
        page = await store.reports.learners(ws, { after: page.at(-1)!.userId, limit })
      )
        out.push(...page);
      return out;
    };

    // ======================================================================================
    describe('workspace settings', () => {
      it('get answers the defaults for a workspace that never changed one', async () => {
        expect(await store.workspaceSettings.get(WS)).toEqual({ workspaceId: WS, defaultTz: null, recapMentions: true, weekendPosts: true });
      });

      it('each setting is kept on its own, per workspace, as booleans', async () => {
        expect(await store.workspaceSettings.setDefaultTimezone(WS, 'Europe/Berlin')).toBe(true);
        await store.workspaceSettings.setRecapMentions(WS, false);
        await store.workspaceSettings.setWeekendPosts(WS2, false);
        const one = await store.workspaceSettings.get(WS);
        expect(one).toEqual({ workspaceId: WS, defaultTz: 'Europe/Berlin', recapMentions: false, weekendPosts: true });
        expect(typeof one.recapMentions).toBe('boolean');
        expect(await store.workspaceSettings.get(WS2)).toEqual({ workspaceId: WS2, defaultTz: null, recapMentions: true, weekendPosts: false });
        // Setting one leaves the others as they were.
        await store.workspaceSettings.setWeekendPosts(WS, false);
        await store.workspaceSettings.setRecapMentions(WS, true);
        expect(await store.workspaceSettings.get(WS)).toEqual({ workspaceId: WS, defaultTz: 'Europe/Berlin', recapMentions: true, weekendPosts: false });
        expect(await store.workspaceSettings.setDefaultTimezone(WS, null)).toBe(true);
        expect((await store.workspaceSettings.get(WS)).defaultTz).toBeNull();
      });

      it('setDefaultTimezone with keepExisting writes only where no timezone is set', async () => {
        // A fresh workspace takes it (the installer's timezone at install)…
        expect(await store.workspaceSettings.setDefaultTimezone(WS, 'Asia/Tokyo', { keepExisting: true })).toBe(true);
        // …a reinstall does not replace it, nor an admin's choice…
        expect(await store.workspaceSettings.setDefaultTimezone(WS, 'America/Chicago', { keepExisting: true })).toBe(false);
        expect((await store.workspaceSettings.get(WS)).defaultTz).toBe('Asia/Tokyo');
        await store.workspaceSettings.setDefaultTimezone(WS, 'Europe/Paris');
        expect(await store.workspaceSettings.setDefaultTimezone(WS, 'America/Chicago', { keepExisting: true })).toBe(false);
        expect((await store.workspaceSettings.get(WS)).defaultTz).toBe('Europe/Paris');
        // …while a workspace whose row has no timezone (only a switch set) takes it.
        await store.workspaceSettings.setWeekendPosts(WS2, false);
        expect(await store.workspaceSettings.setDefaultTimezone(WS2, 'America/Chicago', { keepExisting: true })).toBe(true);
        expect(await store.workspaceSettings.get(WS2)).toEqual({ workspaceId: WS2, defaultTz: 'America/Chicago', recapMentions: true, weekendPosts: false });
      });

      it('is written and rolled back with a transaction', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.workspaceSettings.setDefaultTimezone(WS, 'Europe/Berlin');
            await tx.workspaceSettings.setWeekendPosts(WS, false);
            expect((await tx.workspaceSettings.get(WS)).weekendPosts).toBe(false);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.workspaceSettings.get(WS)).toEqual({ workspaceId: WS, defaultTz: null, recapMentions: true, weekendPosts: true });
      });
    });

    // ======================================================================================
    describe('reports', () => {
      it('enrolmentCounts counts current enrolments by stored status, in one workspace only', async () => {
        expect(await store.reports.enrolmentCounts(WS)).toEqual({ active: 0, paused: 0, stopped: 0, finished: 0 });
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5');
        for (const u of ['U1', 'U2', 'U3', 'U4', 'U5']) await store.enrolments.switchTo(WS, u, 'devops', '2026-11-30', NOW);
        // A learner's earlier track is not current: only one enrolment each counts.
        await store.enrolments.switchTo(WS, 'U1', 'ml', '2026-11-30', NOW);
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U2'))!.id, 'paused', NOW, { pausedUntil: at(-1) });
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U3'))!.id, 'stopped', NOW);
        await store.enrolments.setStatus((await store.enrolments.current(WS, 'U4'))!.id, 'finished', NOW);
        await users(WS2, 'U1');
        await store.enrolments.switchTo(WS2, 'U1', 'devops', '2026-11-30', NOW);
        expect(await store.reports.enrolmentCounts(WS)).toEqual({ active: 2, paused: 1, stopped: 1, finished: 1 });
        expect(await store.reports.enrolmentCounts(WS2)).toEqual({ active: 1, paused: 0, stopped: 0, finished: 0 });
      });

      it('activeLearners counts each learner once who answered, reviewed or marked a milestone since then', async () => {
        const since = at(-7 * 24 * 60);
        await users(WS, 'U-ANSWER', 'U-REVIEW', 'U-MILESTONE', 'U-ALL', 'U-OLD', 'U-IDLE');
        await users(WS2, 'U-ANSWER');
        await store.quiz.answer(WS, 'U-ANSWER', 'q-1', null, [0], false, at(-60));
        const reviewed = answered('good', since);
        await store.reviews.saveReview(WS, 'U-REVIEW', 'q-1', reviewed.card, reviewed.log, 'review');
        const { enrolment } = await store.enrolments.switchTo(WS, 'U-MILESTONE', 'devops', '2026-11-23', NOW);
        await store.enrolments.markDone(enrolment.id, 1, at(-1));
        await store.quiz.answer(WS, 'U-ALL', 'q-1', null, [0], true, at(-2));
        const all = answered('again', at(-2));
        await store.reviews.saveReview(WS, 'U-ALL', 'q-1', all.card, all.log, 'channel_quiz');
        const { enrolment: allTrack } = await store.enrolments.switchTo(WS, 'U-ALL', 'ml', '2026-11-23', NOW);
        await store.enrolments.markDone(allTrack.id, 1, at(-2));
        // Everything U-OLD did was before the window; U-IDLE did nothing; the other workspace's answer is not ours.
        await store.quiz.answer(WS, 'U-OLD', 'q-2', null, [1], true, new Date(since.getTime() - 1));
        const old = answered('good', new Date(since.getTime() - 1));
        await store.reviews.saveReview(WS, 'U-OLD', 'q-2', old.card, old.log, 'review');
        const { enrolment: oldTrack } = await store.enrolments.switchTo(WS, 'U-OLD', 'devops', '2026-11-01', NOW);
        await store.enrolments.markDone(oldTrack.id, 1, new Date(since.getTime() - 1));
        await store.enrolments.switchTo(WS, 'U-IDLE', 'devops', '2026-11-23', NOW);
        await store.quiz.answer(WS2, 'U-ANSWER', 'q-1', null, [0], true, at(-1));

        expect(await store.reports.activeLearners(WS, since)).toBe(4);
        expect(await store.reports.activeLearners(WS2, since)).toBe(1);
        expect(await store.reports.activeLearners(WS, at(-30))).toBe(2);
        expect(await store.reports.activeLearners('T0NOBODY', since)).toBe(0);
      });

      it("learners lists every enrolment with its done weeks and the learner's points, and scorers without a track", async () => {
        expect(await allLearners(WS)).toEqual([]);
        await users(WS, 'U2', 'U1', 'U3', 'U4');
        await store.users.setTzOverride(WS, 'U1', 'Asia/Tokyo');
        await store.users.setProfile(WS, 'U1', { tz: 'Europe/Berlin', isWorkspaceAdmin: false }, NOW);
        await store.users.setOnLeaderboard(WS, 'U2', false);
        const { enrolment: devops } = await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-02', NOW);
        await store.enrolments.markDone(devops.id, 3, NOW);
        await store.enrolments.markDone(devops.id, 1, NOW);
        const { enrolment: ml } = await store.enrolments.switchTo(WS, 'U1', 'ml', '2026-11-23', NOW);
        await store.enrolments.setStatus(ml.id, 'paused', NOW, { pausedUntil: at(60) });
        await store.points.award(WS, 'U1', 'milestone', 'w1', 25, NOW);
        await store.points.award(WS, 'U1', 'personal_quiz', 'q-1', 5, NOW);
        // U2 scored without ever joining a track; U3 did neither (not listed); U4 joined and never scored.
        await store.points.award(WS, 'U2', 'channel_quiz', 'p-1', 10, NOW, 'C1');
        await store.enrolments.switchTo(WS, 'U4', 'architect', '2026-11-30', NOW);
        await users(WS2, 'U9');
        await store.enrolments.switchTo(WS2, 'U9', 'devops', '2026-11-30', NOW);

        const rows = await allLearners(WS);
        expect(rows).toEqual([
          {
            userId: 'U1',
            tzOverride: 'Asia/Tokyo',
            slackTz: 'Europe/Berlin',
            onLeaderboard: true,
            points: 30,
            enrolment: { trackId: 'ml', startedOn: '2026-11-23', status: 'paused', pausedUntil: at(60), isCurrent: true, doneWeeks: [] },
          },
          {
            userId: 'U1',
            tzOverride: 'Asia/Tokyo',
            slackTz: 'Europe/Berlin',
            onLeaderboard: true,
            points: 30,
            enrolment: { trackId: 'devops', startedOn: '2026-11-02', status: 'active', pausedUntil: null, isCurrent: false, doneWeeks: [1, 3] },
          },
          { userId: 'U2', tzOverride: null, slackTz: null, onLeaderboard: false, points: 10, enrolment: null },
          {
            userId: 'U4',
            tzOverride: null,
            slackTz: null,
            onLeaderboard: true,
            points: 0,
            enrolment: { trackId: 'architect', startedOn: '2026-11-30', status: 'active', pausedUntil: null, isCurrent: true, doneWeeks: [] },
          },
        ]);
        expect(typeof rows[0]!.onLeaderboard).toBe('boolean');
        expect(typeof rows[0]!.enrolment!.isCurrent).toBe('boolean');
        expect(await allLearners(WS2)).toMatchObject([{ userId: 'U9', enrolment: { trackId: 'devops' } }]);
      });

      it('learners orders user ids bytewise, as every engine compares text', async () => {
        await users(WS, 'u-lower', 'U-UPPER', 'U_UNDERSCORE', 'U10', 'U9');
        for (const u of ['u-lower', 'U-UPPER', 'U_UNDERSCORE', 'U10', 'U9']) await store.enrolments.switchTo(WS, u, 'devops', '2026-11-30', NOW);
        expect((await allLearners(WS)).map((r) => r.userId)).toEqual(['U-UPPER', 'U10', 'U9', 'U_UNDERSCORE', 'u-lower']);
        // Pages follow the same order.
        expect((await allLearners(WS, 2)).map((r) => r.userId)).toEqual(['U-UPPER', 'U10', 'U9', 'U_UNDERSCORE', 'u-lower']);
      });

      it('learners pages by learner: never splits one, skips those with neither enrolment nor points, ends with an empty page', async () => {
        await users(WS, 'U1', 'U2', 'U3', 'U4', 'U5');
        for (const track of ['devops', 'ml', 'architect']) await store.enrolments.switchTo(WS, 'U2', track, '2026-11-30', NOW);
        await store.enrolments.switchTo(WS, 'U1', 'devops', '2026-11-30', NOW);
        await store.points.award(WS, 'U5', 'personal_quiz', 'q-1', 5, NOW);
        // U3 and U4 have neither: no page holds them, and they do not end the paging.
        const first = await store.reports.learners(WS, { after: '', limit: 2 });
        expect(first.map((r) => [r.userId, r.enrolment?.trackId ?? null])).toEqual([
          ['U1', 'devops'],
          ['U2', 'architect'],
          ['U2', 'devops'],
          ['U2', 'ml'],
        ]);
        expect(first.filter((r) => r.userId === 'U2').map((r) => r.enrolment?.isCurrent)).toEqual([true, false, false]);
        expect((await store.reports.learners(WS, { after: 'U2', limit: 2 })).map((r) => r.userId)).toEqual(['U5']);
        expect(await store.reports.learners(WS, { after: 'U5', limit: 2 })).toEqual([]);
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
    describe('installations', () => {
      const sealed = (n: number) => `v1.k1.sealed-${n}`;

      it('save creates the installation, active, and find reads it back with its types', async () => {
        expect(await store.installations.find(WS)).toBeUndefined();
        await store.installations.save(installation());
        const found = await store.installations.find(WS);
        expect(found).toEqual({ ...installation(), state: 'active', inactiveSince: null });
        expect(typeof found!.isEnterpriseInstall).toBe('boolean');
        expect(found!.installedAt).toBeInstanceOf(Date);

        // An Enterprise Grid org-wide install: keyed by the enterprise id, no team.
        const org = installation({
          workspaceId: 'E0ORG',
          teamId: null,
          enterpriseId: 'E0ORG',
          isEnterpriseInstall: true,
          teamName: null,
          botId: null,
          scopes: [],
        });
        await store.installations.save(org);
        expect(await store.installations.find('E0ORG')).toEqual({ ...org, state: 'active', inactiveSince: null });
        expect(await store.installations.find(WS2)).toBeUndefined();
      });

      it('deactivate marks it inactive and deletes its token, once; a reinstall makes it active with the new token', async () => {
        await store.installations.save(installation());
        await store.installations.save(installation({ workspaceId: WS2, tokenCiphertext: sealed(2) }));
        expect(await store.installations.deactivate(WS, at(10))).toBe(true);
        expect(await store.installations.find(WS)).toEqual({ ...installation(), tokenCiphertext: null, state: 'inactive', inactiveSince: at(10) });
        // Revoked after uninstalled (Slack sends both): it stays inactive since the first.
        expect(await store.installations.deactivate(WS, at(11))).toBe(false);
        expect((await store.installations.find(WS))!.inactiveSince).toEqual(at(10));
        expect(await store.installations.deactivate('T0NEVERSEEN', at(11))).toBe(false);
        expect((await store.installations.find(WS2))!.state).toBe('active');

        const again = installation({ tokenCiphertext: sealed(3), scopes: ['commands'], installerUserId: 'U0OTHER', installedAt: at(20), teamName: 'Renamed' });
        await store.installations.save(again);
        expect(await store.installations.find(WS)).toEqual({ ...again, state: 'active', inactiveSince: null });
      });

      it('sealedTokens lists every installation holding a token; reseal is a compare-and-set', async () => {
        await store.installations.save(installation({ tokenCiphertext: sealed(1) }));
        await store.installations.save(installation({ workspaceId: WS2, tokenCiphertext: sealed(2) }));
        await store.installations.save(installation({ workspaceId: 'T0GONE', tokenCiphertext: sealed(3) }));
        await store.installations.save(installation({ workspaceId: 'T0NOTOKEN', tokenCiphertext: null }));
        await store.installations.deactivate('T0GONE', NOW);
        const tokens = await store.installations.sealedTokens();
        expect([...tokens].sort((a, b) => (a.workspaceId < b.workspaceId ? -1 : 1))).toEqual([
          { workspaceId: WS2, tokenCiphertext: sealed(2) },
          { workspaceId: WS, tokenCiphertext: sealed(1) },
        ]);

        expect(await store.installations.reseal(WS, sealed(1), sealed(11))).toBe(true);
        expect((await store.installations.find(WS))!.tokenCiphertext).toBe(sealed(11));
        // Stale: another rotation (or a reinstall) changed it first.
        expect(await store.installations.reseal(WS, sealed(1), sealed(12))).toBe(false);
        expect((await store.installations.find(WS))!.tokenCiphertext).toBe(sealed(11));
        // No token to replace: uninstalled, or never there.
        expect(await store.installations.reseal('T0GONE', sealed(3), sealed(13))).toBe(false);
        expect((await store.installations.find('T0GONE'))!.tokenCiphertext).toBeNull();
        expect(await store.installations.reseal('T0NEVERSEEN', sealed(1), sealed(14))).toBe(false);
        expect((await store.installations.find(WS2))!.tokenCiphertext).toBe(sealed(2));
      });

      it('of two concurrent reseals from the same ciphertext exactly one wins', async () => {
        await store.installations.save(installation({ tokenCiphertext: sealed(1) }));
        const results = await Promise.all([store.installations.reseal(WS, sealed(1), sealed(2)), store.installations.reseal(WS, sealed(1), sealed(3))]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.installations.find(WS))!.tokenCiphertext).toBe(results[0] ? sealed(2) : sealed(3));
      });

      it('expired lists the installations inactive since strictly before the instant, longest inactive first', async () => {
        expect(await store.installations.expired(at(100))).toEqual([]);
        for (const [ws, when] of [
          ['T0LATER', at(5)],
          ['T0FIRST', at(1)],
          ['T0EXACT', at(10)],
        ] as const) {
          await store.installations.save(installation({ workspaceId: ws }));
          await store.installations.deactivate(ws, when);
        }
        await store.installations.save(installation({ workspaceId: 'T0ACTIVE' }));
        expect(await store.installations.expired(at(10))).toEqual(['T0FIRST', 'T0LATER']);
        expect(await store.installations.expired(at(11))).toEqual(['T0FIRST', 'T0LATER', 'T0EXACT']);
        expect(await store.installations.expired(at(1))).toEqual([]);
        // A reinstall takes it off the list.
        await store.installations.save(installation({ workspaceId: 'T0FIRST' }));
        expect(await store.installations.expired(at(11))).toEqual(['T0LATER', 'T0EXACT']);
      });

      it('discardExpired deletes the installation only while it is still inactive since before the instant', async () => {
        await store.installations.save(installation());
        expect(await store.installations.discardExpired(WS, at(100))).toBe(false);
        await store.installations.deactivate(WS, at(10));
        expect(await store.installations.discardExpired(WS, at(10))).toBe(false);
        // Reinstalled meanwhile: nothing to discard.
        await store.installations.save(installation());
        expect(await store.installations.discardExpired(WS, at(100))).toBe(false);
        expect((await store.installations.find(WS))!.state).toBe('active');
        await store.installations.deactivate(WS, at(20));
        expect(await store.installations.discardExpired(WS, at(21))).toBe(true);
        expect(await store.installations.find(WS)).toBeUndefined();
        expect(await store.installations.discardExpired(WS, at(21))).toBe(false);
        expect(await store.installations.discardExpired('T0NEVERSEEN', at(21))).toBe(false);
      });

      it('save inside a transaction is rolled back with it', async () => {
        const boom = new Error('boom');
        await expect(
          store.transaction(async (tx) => {
            await tx.installations.save(installation());
            expect(await tx.installations.find(WS)).toBeDefined();
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.installations.find(WS)).toBeUndefined();
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
