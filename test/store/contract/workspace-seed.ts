/**
 * One row in every table of the schema for a workspace, written through the Store port only, and a read of all of
 * it back through the port: what `workspaces.purge` must delete entirely for one workspace and leave exactly as it
 * was for another (test/store/contract/store-contract.ts, test/store/workspace-purge.test.ts).
 */
import { newCard, review } from '../../../src/domain/review/memory.js';
import type { Store } from '../../../src/ports/store.js';

export interface SeededWorkspace {
  ws: string;
  enrolmentId: number;
  quizPostId: number;
  mockId: number;
}

/**
 * Writes, for `ws` and its learner U1: the user, an enrolment with a milestone done, a subscription, two ledger
 * records, a quiz post with an answer (and so the channel's team), a personal answer, points, a study day, a memory
 * card and its review, a practice exam with an answer, a board's running total, a workspace pause, a send pace, the workspace's settings and (unless `installed` is
 * false: a workspace of an org-wide install has none of its own) an installation.
 */
export async function seedWorkspace(store: Store, ws: string, now: Date, installed = true): Promise<SeededWorkspace> {
  const later = new Date(now.getTime() + 60_000);
  await store.users.ensure(ws, 'U1', now);
  await store.users.setDmChannel(ws, 'U1', 'D1');
  const { enrolment } = await store.enrolments.switchTo(ws, 'U1', 'devops', '2026-11-30', now);
  await store.enrolments.markDone(enrolment.id, 1, now);
  await store.subscriptions.upsert({ ws, channel: 'C1', time: '09:00', tz: 'UTC', track: null, by: 'U1', nextDaily: later, nextWeekly: later }, now);
  const quiz = await store.ledger.insert({ ws, kind: 'daily_quiz', target: 'C1', period: '2026-12-01' }, now, 'claimed', false, 'host/1', later, now);
  await store.ledger.insert({ ws, kind: 'weekly_nudge', target: 'U1', period: '2026-W49' }, now, 'missed', false, 'host/1', later, now);
  const post = await store.quiz.createPost(ws, 'C1', 'q-1', quiz!.id, now);
  await store.quiz.answer(ws, 'U1', 'q-1', post, [0], true, now);
  await store.quiz.answer(ws, 'U1', 'q-2', null, [1], false, now);
  // The workspace keeps boards in one zone, so the award adds to their running totals.
  await store.points.keepZone(ws, 'UTC');
  await store.points.award(ws, 'U1', 'channel_quiz', String(post.id), 10, now, 'C1');
  await store.points.markStudyDay(ws, 'U1', '2026-12-01');
  const reviewed = review(newCard(now), 'good', now);
  await store.reviews.saveReview(ws, 'U1', 'q-1', reviewed.card, reviewed.log, 'channel_quiz');
  const mock = await store.mocks.start(ws, 'U1', 'aip-c01', ['q-1', 'q-2'], now, later);
  await store.mocks.answer(mock.id, 'q-1', [0], true, now);
  await store.workspaces.pause(ws, 'ratelimited', now);
  await store.pace.holdUntil(ws, later);
  await store.workspaceSettings.setDefaultTimezone(ws, 'Europe/Paris');
  if (installed)
    await store.installations.save({
      workspaceId: ws,
      teamId: ws.split(':').pop() ?? ws,
      enterpriseId: ws.includes(':') ? ws.split(':')[0]! : null,
      isEnterpriseInstall: false,
      teamName: `Team ${ws}`,
      botUserId: 'UBOT',
      botId: 'BBOT',
      scopes: ['commands', 'chat:write'],
      installerUserId: 'U1',
      tokenCiphertext: `sealed-${ws}`,
      installedAt: now,
    });
  return { ws, enrolmentId: enrolment.id, quizPostId: post.id, mockId: mock.id };
}

/** Everything the port can read back of a seeded workspace (the send pace aside: reading it is a write). */
export async function readWorkspace(store: Store, seeded: SeededWorkspace) {
  const { ws } = seeded;
  return {
    user: await store.users.get(ws, 'U1'),
    enrolment: await store.enrolments.current(ws, 'U1'),
    doneWeeks: await store.enrolments.doneWeeks(seeded.enrolmentId),
    subscriptions: await store.subscriptions.inWorkspace(ws),
    ledger: await store.ledger.list({ ws }),
    quizPost: await store.quiz.post(seeded.quizPostId),
    answers: await store.quiz.answersOf(ws, 'U1'),
    tally: await store.quiz.tally(seeded.quizPostId),
    earned: await store.points.earnedBy(ws, 'U1'),
    studyDays: await store.points.studyDays(ws, 'U1', '2026-01-01'),
    cards: await store.reviews.cardsOf(ws, 'U1'),
    reviewLog: await store.reviews.logOf(ws, 'U1'),
    mock: await store.mocks.get(seeded.mockId),
    mockAnswers: await store.mocks.answers(seeded.mockId),
    pause: await store.workspaces.pauseOf(ws),
    installation: await store.installations.find(ws),
    settings: await store.workspaceSettings.get(ws).then(({ workspaceId: _, ...settings }) => settings),
  };
}

/** What `readWorkspace` reads of a workspace with nothing stored. */
export const EMPTY_WORKSPACE = {
  user: undefined,
  enrolment: undefined,
  doneWeeks: [],
  subscriptions: [],
  ledger: [],
  quizPost: undefined,
  answers: [],
  tally: { answered: 0, correct: 0 },
  earned: [],
  studyDays: new Set(),
  cards: [],
  reviewLog: [],
  mock: undefined,
  mockAnswers: [],
  pause: undefined,
  installation: undefined,
  // A workspace without settings of its own has the defaults.
  settings: { defaultTz: null, recapMentions: true, weekendPosts: true },
};
