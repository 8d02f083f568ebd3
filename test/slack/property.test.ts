import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/commands.js';
import { startTestApp, TEAM, type TestApp } from '../support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  // A learner and a subscription already exist, so that a stray write would have rows to damage.
  await t.commandJson('start devops', { user: 'U0PROP0001' });
  await t.commandJson('subscribe 08:30 Europe/London', { user: 'U0PROP0001' });
});
afterAll(async () => {
  await t.close();
});

/** Waits until the previous command's work after its acknowledgement (its answer, a Home refresh) is over. */
const settled = () => t.app.idle();

/** Everything a command could change, read through the store as the app reads it. */
const snapshot = async () => {
  const { store } = t.app.services;
  const people = [];
  for (const user of ['U0PROP0001', 'U0PROP0002']) {
    const enrolment = await store.enrolments.current(TEAM, user);
    people.push({ user: await store.users.get(TEAM, user), enrolment, done: enrolment && (await store.enrolments.doneWeeks(enrolment.id)) });
  }
  return JSON.stringify({ people, subscriptions: await store.subscriptions.inWorkspace(TEAM), ledger: await store.ledger.list() });
};

const fragments = fc.constantFrom(
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '<!channel> <@U0PROP0001> <#C0STUDY01>',
  '*bold* _it_ ~st~ `code` ```block```',
  '%00%0d%0a',
  '\u202e\u200b\ufeff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🤖🧠',
  'x'.repeat(4000),
  '',
);
const subcommands = fc.constantFrom(
  '',
  'help',
  'start',
  'status',
  'done',
  'pause',
  'service',
  'cert',
  'tip',
  'settings',
  'subscribe',
  'leaderboard',
  'forget-me',
  'stat',
  'strat',
  'servise',
  'cret',
  'settings tz',
  'settings time',
  'pause -3',
);
const commandText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ minLength: 500, maxLength: 5000 }),
  fragments,
  fc.tuple(subcommands, fc.oneof(fragments, fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }))).map(([a, b]) => `${a} ${b}`),
);

describe('random /aipath input', () => {
  it('never breaks the app, always answers within 3 s, and never changes data when invalid', async () => {
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const invalidInput = !parseCommand(text).ok;
        if (invalidInput) await settled();
        const before = await snapshot();
        const started = performance.now();
        const body = await t.commandJson(text, { user: 'U0PROP0002' });
        const elapsed = performance.now() - started;
        expect(typeof body.text).toBe('string');
        expect(body.text!.length).toBeGreaterThan(0);
        expect(elapsed).toBeLessThan(3000);
        if (invalidInput) {
          invalid += 1;
          await settled();
          expect(await snapshot()).toBe(before);
        }
      }),
      { numRuns: 1000, seed: 20261122 },
    );
    // The generator must actually exercise invalid input, or the last check proves nothing.
    expect(invalid).toBeGreaterThan(300);
  }, 120_000);
});
