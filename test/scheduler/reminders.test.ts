import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { nextDailyAt } from '../../src/domain/due.js';
import { newCard, review } from '../../src/domain/review/memory.js';
import { SchedulerWorld, WS } from '../support/scheduler-world.js';

let world: SchedulerWorld;
afterEach(async () => {
  await world?.close();
});

const MIN = 60_000;

/** A learner on a track with reminders from `from` on, and a card due by then. */
async function learner(user: string, tz: string, from: Date, opts: { nudgeTime?: string; days?: 'all' | 'weekdays' } = {}) {
  const { store } = world.services;
  await world.enrol(user, tz, 'devops', '2026-01-05', from, opts.nudgeTime ?? '09:00');
  if (opts.days) await store.users.setReviewDays(WS, user, opts.days);
  const learnt = review(newCard(new Date(from.getTime() - 5 * 86_400_000)), 'good', new Date(from.getTime() - 5 * 86_400_000));
  await store.reviews.saveReview(WS, user, 'q-due', learnt.card, learnt.log, 'personal_quiz');
  await store.reviews.setNextReminder(WS, user, nextDailyAt(from, tz, opts.nudgeTime ?? '09:00').toJSDate());
}

async function runEvery(from: string, to: string, stepMin: number) {
  for (let t = Date.parse(from); t <= Date.parse(to); t += stepMin * MIN) await world.pass(new Date(t));
}

const reminders = async (user: string, tz: string) =>
  (await world.ledger((d) => d.kind === 'review_reminder' && d.target === user && d.status === 'sent')).map((d) =>
    DateTime.fromJSDate(d.dueAt, { zone: tz }).toFormat('yyyy-MM-dd ccc HH:mm'),
  );

describe('review reminders', () => {
  it('go out once a local day at the nudge time while cards are due, across a DST change, through the ledger', async () => {
    world = await SchedulerWorld.create();
    await learner('U0REMIND01', 'Europe/London', new Date('2026-10-23T00:00:00Z'));
    await runEvery('2026-10-23T07:00:00Z', '2026-10-27T10:00:00Z', 15);
    // London leaves summer time on Sunday 25 October: 09:00 local is 08:00 UTC before, 09:00 UTC after.
    expect(await reminders('U0REMIND01', 'Europe/London')).toEqual([
      '2026-10-23 Fri 09:00',
      '2026-10-24 Sat 09:00',
      '2026-10-25 Sun 09:00',
      '2026-10-26 Mon 09:00',
      '2026-10-27 Tue 09:00',
    ]);
    const dm = world.posts().filter((p) => String(p.params.text).startsWith('You have 1 review due today'));
    expect(dm).toHaveLength(5);
    expect(JSON.stringify(dm[0]!.params.blocks)).toContain('review_next');
  });

  it('skip days with nothing due, weekends for weekday learners, paused learners and learners who turned them off', async () => {
    world = await SchedulerWorld.create();
    const from = new Date('2026-10-29T00:00:00Z'); // a Thursday
    const { store } = world.services;
    await learner('U0WEEKDAY1', 'UTC', from, { days: 'weekdays' });
    await learner('U0PAUSED01', 'UTC', from);
    await store.enrolments.setStatus((await store.enrolments.current(WS, 'U0PAUSED01'))!.id, 'paused', from);
    await learner('U0OFF00001', 'UTC', from);
    await store.users.setReviewsOn(WS, 'U0OFF00001', false);
    // Nothing due: a learner whose only card was just reviewed far into the future.
    await learner('U0NOTDUE01', 'UTC', from);
    const fresh = review(review(newCard(from), 'easy', from).card, 'easy', from);
    await store.reviews.saveReview(WS, 'U0NOTDUE01', 'q-due', fresh.card, fresh.log, 'review');
    await runEvery('2026-10-29T08:00:00Z', '2026-11-03T10:00:00Z', 30);
    expect(await reminders('U0WEEKDAY1', 'UTC')).toEqual(['2026-10-29 Thu 09:00', '2026-10-30 Fri 09:00', '2026-11-02 Mon 09:00', '2026-11-03 Tue 09:00']);
    for (const user of ['U0PAUSED01', 'U0OFF00001', 'U0NOTDUE01']) expect(await reminders(user, 'UTC'), user).toEqual([]);
  });

  it('after downtime, remind for the latest day only: past days are skipped, not recorded', async () => {
    world = await SchedulerWorld.create();
    await learner('U0DOWNTIM1', 'UTC', new Date('2026-11-02T00:00:00Z'));
    await world.pass(new Date('2026-11-05T09:20:00Z'));
    expect(await reminders('U0DOWNTIM1', 'UTC')).toEqual(['2026-11-05 Thu 09:00']);
    expect(await world.ledger((d) => d.kind === 'review_reminder')).toHaveLength(1);
  });

  it('move a due time that is not the nudge time (as the migration sets it) on to the next slot, without a reminder', async () => {
    world = await SchedulerWorld.create();
    const from = new Date('2026-11-02T00:00:00Z');
    await learner('U0MIGRATE1', 'UTC', from);
    await world.services.store.reviews.setNextReminder(WS, 'U0MIGRATE1', new Date('2026-11-02T14:37:12.345Z'));
    await runEvery('2026-11-02T14:40:00Z', '2026-11-03T09:30:00Z', 10);
    expect(await reminders('U0MIGRATE1', 'UTC')).toEqual(['2026-11-03 Tue 09:00']);
  });
});

describe("a channel's daily quiz", () => {
  it("comes from the team's weakest domain of the channel's exam, and the Monday post shows the team by domain", async () => {
    world = await SchedulerWorld.create();
    await world.subscribe('C0TEAMDOM1', 'UTC', '09:00', new Date('2026-11-29T00:00:00Z'), 'ml');
    // Nobody has answered yet: the heaviest domain of the ml track's first exam comes first.
    await world.pass(new Date('2026-11-30T09:00:30Z'));
    const { quiz } = world.services.store;
    const first = await quiz.post(1);
    const { loadContent } = await import('../../src/content/load.js');
    const content = loadContent();
    const cert = content.certification(content.track('ml')!.certifications[0]!)!;
    const heaviest = [...cert.domains].sort((a, b) => b.weight - a.weight)[0]!;
    expect(content.question(first!.questionId)).toMatchObject({ cert: cert.id, domain: heaviest.number });
    const recap = world.posts('C0TEAMDOM1').find((p) => String(p.params.text).startsWith("Last week's study leaderboard"))!;
    expect(JSON.stringify(recap.params.blocks)).toContain(`The team on ${cert.code}, by domain`);
  });
});
