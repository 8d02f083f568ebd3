import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runConsole } from '../../src/console/session.js';
import { createLogger } from '../../src/log.js';
import { loadContent } from '../../src/content/load.js';
import { shownOrder } from '../../src/domain/question.js';
import { rightResponse } from '../support/quiz-answers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function session(lines: string[], startAt = new Date('2026-11-22T08:00:00Z'), random?: () => number, logger = createLogger('error')): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'aipath-console-'));
  dirs.push(dir);
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await runConsole({
    config: loadConfig({ AIPATH_DB: join(dir, 'console.db'), AIPATH_TIMEZONE: 'Europe/London' }),
    logger,
    input: Readable.from(lines.map((l) => `${l}\n`)),
    output,
    user: 'U0CONSOLE1',
    team: 'T0AIPATH1',
    channel: 'C0STUDY01',
    admin: true,
    startAt,
    random,
  });
  return text;
}

describe('console quizzes of every type', () => {
  const pool = loadContent().quiz.filter((q) => q.cert === 'mla-c02');
  it.each(['multiple', 'ordering', 'matching'] as const)('shows a %s question with its pickers and takes :answer', async (type) => {
    const index = pool.findIndex((q) => q.type === type);
    const q = pool[index]!;
    const right = rightResponse(q);
    // Letters as shown: options keep their letters; steps and answers are shown shuffled.
    const shown = q.type === 'multiple' ? [] : shownOrder(q);
    const letters = q.type === 'multiple' ? right.map((i) => 'ABCDEF'[i]) : right.map((orig) => 'ABCDEF'[shown.indexOf(orig)]);
    const out = await session(['/aipath start devops', '/aipath quiz mla-c02', `:answer ${letters.join(' ')}`], undefined, () => (index + 0.5) / pool.length);
    expect(out).toContain(q.question.slice(0, 40));
    expect(out).toContain(':answer');
    expect(out).toMatch(/Right!/);
  });
});

describe('console mode', () => {
  it('lets the profile refreshes it queued finish before its fake Slack stops: no failed call at the end of input', async () => {
    const warnings: string[] = [];
    // Two days on, the stored profile is stale: the status answers from it and asks Slack again afterwards.
    const out = await session(
      ['/aipath start devops', ':time 2026-11-24T09:00', '/aipath status'],
      undefined,
      undefined,
      createLogger('warn', 'aipath', (l) => void warnings.push(l)),
    );
    expect(out).toContain('Week: 1 of 16');
    expect(warnings).toEqual([]);
  });

  it('runs a scripted session through the real listeners and ends at end of input', async () => {
    const out = await session(['/aipath help', '/aipath start devops', ':click 1', '/aipath status', '/aipath service sagemkaer', '/aipath nonsense']);
    expect(out).toContain('/aipath start <track>');
    expect(out).toContain("You're on DevOps engineer");
    expect(out).toMatch(/\[1\] Mark this week done\s+\[2\] My status/);
    expect(out).toContain('Week 1 done');
    expect(out).toContain('Progress: ▰');
    expect(out).toContain('Amazon SageMaker AI');
    expect(out).toContain("I don't know `nonsense`");
  });

  it('moves the fake clock with :time and prints what the scheduler posts', async () => {
    const out = await session(['/aipath subscribe 09:00 Europe/London', '/aipath start ml', ':time 2026-11-23T09:00']);
    expect(out).toContain('daily exam tip and quiz every day at 09:00 Europe/London');
    // The channel's intro post, printed as the console prints every post.
    expect(out).toContain('aipath is here');
    expect(out).toContain('the clock is now Mon 23 Nov 2026 09:00');
    expect(out).toContain('posted in #C0STUDY01');
    expect(out).toContain('posted in DM');
    // Sunday's 09:00 tip and quiz are a day old by Monday 09:00, past the 6-hour grace: missed.
    // Monday brings the tip, the quiz, the learner's nudge and the channel's weekly leaderboard.
    expect(out).toContain('scheduler: due 6, sent 4 (0 late), missed 2, failed 0');
    expect(out).toContain('Quiz of the day');
    expect(out).toContain("Last week's study leaderboard");
  });

  it(':click presses a button of the last message shown, not of an earlier one with buttons', async () => {
    // The enrolment reply and the Home tab have buttons; the reply to a typo has none.
    const out = await session(['/aipath start devops', '/aipath nonsense', ':click 1', '/aipath service vector database', ':click 1']);
    expect(out).toContain('The last message has no buttons;');
    expect(out).not.toContain('Week 1 done');
    // The topic lookup lists services as buttons: button 1 opens the first one's card.
    const last = out.slice(out.lastIndexOf('┌'));
    expect(last).toContain('When to pick it');
  });

  it('shows messages the bot edits: the answer count, then the closed quiz with the answer', async () => {
    // Tuesdays bring the tip, then the quiz: the quiz is the last message, so :click 1 answers it.
    const lines = ['/aipath subscribe 09:00 Europe/London', ':time 2026-11-24T09:00', ':click 1', ':time 2026-11-25T09:00'];
    const out = await session(lines, new Date('2026-11-24T08:00:00Z'));
    const updates = out.split('┌').filter((m) => m.startsWith(' updated in #C0STUDY01'));
    expect(updates).toHaveLength(2);
    expect(updates[0]).toContain('1 learner has answered');
    expect(updates[1]).toMatch(/Answer: [A-F]/);
    expect(updates[1]).toMatch(/\d of 1 got it right/);
  });

  it('keeps :click on the newest message when an edit of an older one is shown after it', async () => {
    // On the second day the new quiz is posted, then the old one is edited to show its answer.
    const lines = ['/aipath subscribe 09:00 Europe/London', ':time 2026-11-24T09:00', ':time 2026-11-25T09:00', ':click 1'];
    const out = await session(lines, new Date('2026-11-24T08:00:00Z'));
    const afterClick = out.slice(out.lastIndexOf('scheduler:'));
    expect(afterClick).not.toContain('has no buttons');
    expect(afterClick).toMatch(/only visible to you[\s\S]*(Right!|Not quite|Choose exactly|Pick)/);
  });

  it('runs the admin commands: the overview, and the export as a file in the DM', async () => {
    const out = await session(['/aipath start devops', '/aipath subscribe', '/aipath admin', '/aipath admin export']);
    expect(out).toContain('Installation: single-workspace install (token from the environment)');
    expect(out).toContain('#C0STUDY01 · 09:00 Europe/London · every track');
    expect(out).toMatch(/file sent to DM\n│ 📎 aipath-learners-2026-11-22\.csv \(\d+ bytes\)/);
    expect(out).toContain('1 learner in 1 row');
  });

  it('runs a practice exam in the DM: :click answers the question there, and the next one takes its place', async () => {
    // With this draw, question 1 is single choice (a letter button), question 2 multiple response (ticks, then submit).
    const out = await session(['/aipath mock aif-c01', ':click 1', ':answer A C'], undefined, () => 0);
    expect(out).toMatch(/posted in DM[\s\S]*AIF-C01 practice exam · question 1 of 65 · 90 min left/);
    expect(out).toContain('Your AIF-C01 practice exam is in your direct messages with aipath');
    // Each answer updates the DM's message in place, and :click goes on with the question it now shows.
    const updates = out.split('┌').filter((m) => m.startsWith(' updated in DM'));
    expect(updates).toHaveLength(2);
    expect(updates[0]).toContain('question 2 of 65');
    expect(updates[1]).toContain('question 3 of 65');
  });

  it('explains a button number that does not exist and the console commands', async () => {
    const out = await session([':click 9', ':what']);
    expect(out).toContain('There are no buttons to press yet.');
    expect(out).toContain(':time <ISO-8601>');
  });
});
