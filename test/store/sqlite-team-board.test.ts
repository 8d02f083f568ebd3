/**
 * A channel's board on SQLite walks the workspace's ranking for its team's members, and reads the team's members
 * instead once that walk gets long (a small team in a large workspace): both ways give the same board, the one summed
 * from the points. The store contract's teams are too small to reach the second way, so it is checked here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { periodBounds } from '../../src/domain/due.js';
import { createLogger } from '../../src/log.js';
import type { Period, Store } from '../../src/ports/store.js';
import { openStore } from '../../src/store/open.js';

const WS = 'T0WALK0001';
const NOW = new Date('2026-12-01T09:00:00.000Z');
const LEARNERS = 2_300;
let store: Store;

beforeAll(async () => {
  store = await openStore(':memory:', createLogger('error'));
  const post = await store.quiz.createPost(
    WS,
    'C1',
    'q-1',
    (await store.ledger.insert({ ws: WS, kind: 'daily_quiz', target: 'C1', period: 'p' }, NOW, 'claimed', false, 'me', NOW, NOW))!.id,
    NOW,
  );
  await store.transaction(async (tx) => {
    for (let i = 0; i < LEARNERS; i++) {
      const user = `U${String(i).padStart(6, '0')}`;
      await tx.users.ensure(WS, user, NOW);
      // Everyone scores; the three lowest are the channel's team, with two of them tied.
      await tx.points.award(WS, user, 'milestone', 'a', 10_000 - i, NOW);
      if (i >= LEARNERS - 3) await tx.quiz.answer(WS, user, 'q-1', post, [0], true, NOW);
    }
    await tx.points.award(WS, `U${String(LEARNERS - 2).padStart(6, '0')}`, 'milestone', 'b', 1, NOW);
  });
});
afterAll(async () => {
  await store.database.close();
});

it('is the same board whether it walks the workspace or reads the team', async () => {
  const { from, to } = periodBounds('week', NOW, 'UTC');
  const zoned: Period = { from, to, zone: 'UTC' };
  const last = `U${String(LEARNERS - 1).padStart(6, '0')}`;
  const team = await store.points.board(WS, zoned, { channel: 'C1', me: last, limit: 2 });
  expect(team).toEqual(await store.points.board(WS, { from, to }, { channel: 'C1', me: last, limit: 2 }));
  expect(team.top).toEqual([
    { userId: `U${String(LEARNERS - 3).padStart(6, '0')}`, points: 10_000 - (LEARNERS - 3), rank: 1 },
    { userId: `U${String(LEARNERS - 2).padStart(6, '0')}`, points: 10_000 - (LEARNERS - 3), rank: 1 },
  ]);
  expect(team.me).toEqual({ userId: last, points: 10_000 - (LEARNERS - 1), rank: 3 });
  const allTime = await store.points.board(WS, 'all', { channel: 'C1', me: last, limit: 2 });
  expect(allTime).toEqual(team);
  // The workspace's board walks its top only.
  expect((await store.points.board(WS, zoned, { me: last, limit: 1 })).top).toEqual([{ userId: 'U000000', points: 10_000, rank: 1 }]);
  expect((await store.points.board(WS, zoned, { me: last, limit: 1 })).me).toEqual({ userId: last, points: 10_000 - (LEARNERS - 1), rank: LEARNERS });
});
