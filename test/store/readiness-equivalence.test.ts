/**
 * Readiness from the lean read (`answerTallies`, recall straight from stability and elapsed days) gives exactly
 * what the computation it replaced gave (test/support/readiness-reference.ts: whole cards, quiz answers read one by
 * one, ts-fsrs's own retrievability), on seeded data through the ports, on SQLite and on PostgreSQL: every field of
 * every domain, compared with toEqual, so a difference in the last bit fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Content, loadContent } from '../../src/content/load.js';
import type { Certification, QuizQuestion } from '../../src/content/schema.js';
import { type MemoryCard, newCard, type ReviewGrade, review } from '../../src/domain/review/memory.js';
import { createLogger } from '../../src/log.js';
import type { ReviewSource, Store } from '../../src/ports/store.js';
import type { Caller, StudyDeps } from '../../src/services/context.js';
import { readinessFor } from '../../src/services/reviews.js';
import { openStore } from '../../src/store/open.js';
import { describeWithPostgres, freshDatabase } from '../support/postgres.js';
import { referenceReadiness } from '../support/readiness-reference.js';
import { seededRandom } from '../support/seeded-random.js';

const logger = createLogger('error');
const DAY = 86_400_000;
const WS = 'T0READY01';
const T0 = new Date('2026-08-01T09:00:00.000Z');
const GRADES: ReviewGrade[] = ['again', 'hard', 'good', 'easy'];
const SOURCES: ReviewSource[] = ['channel_quiz', 'personal_quiz', 'review', 'mock'];

const content = loadContent();
const real = content.certification('aif-c01')!;
/**
 * The exam with a domain that has no question in the bank (its readiness is the prior alone), and a bank with a
 * question of no domain (it counts nowhere) besides the real ones.
 */
const cert: Certification = { ...real, domains: [...real.domains, { number: 9, name: 'A domain with no questions', weight: 5 }] };
const orphan: QuizQuestion = { ...content.quiz.find((q) => q.cert === real.id)!, id: 'q-ready-no-domain', domain: undefined };
const withOrphan: Content = (() => {
  const quiz = [...content.quiz, orphan];
  const byId = new Map(quiz.map((q) => [q.id, q]));
  return { ...content, quiz, question: (id: string) => byId.get(id) };
})();
const bank = withOrphan.quiz.filter((q) => q.cert === real.id);
const otherExam = content.quiz.filter((q) => q.cert !== real.id).slice(0, 20);

/**
 * Learners, each a different mix: L1 has real FSRS histories on most of the bank (new answers, lapses, relearning,
 * cards reviewed weeks ago and minutes ago), quiz answers from before cards existed (some to questions that now
 * have a card), a card stored new, cards of another exam, and one whole domain never seen. L2 has only old quiz
 * answers, L3 a single card, L4 nothing.
 */
async function seed(store: Store): Promise<void> {
  const random = seededRandom(2026);
  for (const u of ['L1', 'L2', 'L3', 'L4']) await store.users.ensure(WS, u, T0);
  const unseenDomain = real.domains.at(-1)!.number;
  const history = async (user: string, questionId: string, reviews: number) => {
    let at = new Date(T0.getTime() + Math.floor(random() * 60 * DAY));
    let card: MemoryCard = newCard(at);
    for (let r = 0; r < reviews; r++) {
      const graded = review(card, GRADES[Math.floor(random() * 4)]!, at);
      await store.reviews.saveReview(WS, user, questionId, graded.card, graded.log, SOURCES[Math.floor(random() * 4)]!);
      card = graded.card;
      at = new Date(Math.max(at.getTime(), card.due.getTime()) + Math.floor(random() * 10 * DAY));
    }
  };
  let post = 0;
  const oldAnswers = async (user: string, questionId: string, times: number) => {
    for (let i = 0; i < times; i++) {
      const correct = random() < 0.6;
      if (i === 0) await store.quiz.answer(WS, user, questionId, null, [correct ? 0 : 1], correct, T0);
      else {
        post++;
        const d = await store.ledger.insert({ ws: WS, kind: 'daily_quiz', target: 'C0READY', period: `p-${post}` }, T0, 'claimed', false, 'o', T0, T0);
        const p = await store.quiz.createPost(WS, 'C0READY', questionId, d!.id, T0);
        await store.quiz.answer(WS, user, questionId, p, [correct ? 0 : 1], correct, T0);
      }
    }
  };
  for (const q of bank) {
    if (q.domain === unseenDomain) continue;
    const roll = random();
    if (roll < 0.55) await history('L1', q.id, 1 + Math.floor(random() * 7));
    else if (roll < 0.7) await oldAnswers('L1', q.id, 1 + Math.floor(random() * 3));
    else if (roll < 0.8) {
      await oldAnswers('L1', q.id, 1 + Math.floor(random() * 2));
      await history('L1', q.id, 1 + Math.floor(random() * 3));
    }
    if (random() < 0.3) await oldAnswers('L2', q.id, 1 + Math.floor(random() * 3));
  }
  const stored = bank.find((q) => q.domain !== unseenDomain && q.id !== orphan.id)!;
  const fresh = review(newCard(T0), 'good', T0);
  await store.reviews.saveReview(WS, 'L1', `${stored.id}`, newCard(T0), fresh.log, 'review');
  await history('L1', orphan.id, 3);
  for (const q of otherExam) await history('L1', q.id, 2);
  await history('L3', bank[0]!.id, 2);
}

const deps = (store: Store): StudyDeps =>
  // readinessFor reads only the store and the content's question bank.
  ({ store, content: withOrphan, lookups: undefined as never, defaultTimezone: 'UTC', admins: [], random: () => 0 }) satisfies StudyDeps;

const caller = (user: string, now: Date): Caller => ({
  workspaceId: WS,
  userId: user,
  channelId: 'D0READY',
  now,
  profile: async () => ({ tz: 'UTC', isAdmin: false }),
});

/** Moments to evaluate at: during the histories, on whole days after T0 (day boundaries), and long after. */
const MOMENTS = [
  new Date(T0.getTime() + 30 * DAY),
  new Date(T0.getTime() + 75 * DAY + 1),
  new Date(T0.getTime() + 90 * DAY),
  new Date(T0.getTime() + 400 * DAY - 1),
];

function agreeOn(open: () => Promise<{ store: Store; close: () => Promise<void> }>) {
  let opened: { store: Store; close: () => Promise<void> };
  beforeAll(async () => {
    opened = await open();
    await seed(opened.store);
  }, 120_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('gives every learner exactly the readiness the old computation gave, at every moment', async () => {
    const { store } = opened;
    const cards = await store.reviews.cardsOf(WS, 'L1');
    // The seed covers what it claims to: lapsed and relearning cards, a card stored new, old answers alone.
    expect(cards.some((c) => c.card.lapses > 0)).toBe(true);
    expect(new Set(cards.map((c) => c.card.state))).toEqual(new Set(['new', 'learning', 'review', 'relearning']));
    for (const user of ['L1', 'L2', 'L3', 'L4']) {
      for (const now of MOMENTS) {
        const lean = await readinessFor(deps(store), caller(user, now), cert);
        const old = await referenceReadiness(store, WS, user, cert, bank, now);
        expect(lean).toEqual(old);
      }
    }
    const l1 = await readinessFor(deps(store), caller('L1', MOMENTS[1]!), cert);
    const byNumber = new Map(l1.domains.map((d) => [d.domain, d]));
    // An unseen domain and a domain without questions get the prior alone; the others mix recall and prior.
    expect(byNumber.get(real.domains.at(-1)!.number)).toMatchObject({ seen: 0, answered: 0, meanRecall: null, readiness: 0.25 });
    expect(byNumber.get(9)).toMatchObject({ total: 0, seen: 0 });
    expect(l1.domains.filter((d) => d.seen > 0 && d.answered > d.seen).length).toBeGreaterThan(0);
    expect(l1.overall.total).toBe(bank.length - 1);
  });
}

describe('readiness from the lean read, on SQLite', () => {
  agreeOn(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aipath-readiness-'));
    const store = await openStore(join(dir, 'aipath.db'), logger);
    return {
      store,
      close: async () => {
        await store.database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});

describeWithPostgres('readiness from the lean read, on PostgreSQL', (serverUrl) => {
  agreeOn(async () => {
    const db = await freshDatabase(serverUrl, 'readiness');
    const store = await openStore(db.url, logger);
    return {
      store,
      close: async () => {
        await store.database.close();
        await db.drop();
      },
    };
  });
});
