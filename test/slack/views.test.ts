import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.js';
import type { StudyDeps } from '../../src/services/context.js';
import { certCard, serviceCard } from '../../src/services/lookup.js';
import { cardView } from '../../src/slack/presenters/lookup.js';
import { buildLookups } from '../../src/content/lookups.js';
import { helpView, noticeView } from '../../src/slack/views/help.js';
import { homeView } from '../../src/slack/views/home.js';
import { statusView } from '../../src/slack/views/status.js';
import { tipView } from '../../src/slack/views/tip.js';
import { enrolledView, tracksView } from '../../src/slack/views/tracks.js';
import { weeklyNudgeView } from '../../src/slack/views/nudge.js';
import { message, section, BLOCK_LIMITS } from '../../src/slack/views/blocks.js';
import { leaderboardView } from '../../src/slack/views/leaderboard.js';
import { blockLimitViolations, truncatedTexts } from '../support/block-limits.js';
import { answerFeedbackView, channelQuizView, closedQuizView, personalQuizView } from '../../src/slack/views/quiz.js';
import { rightResponse, wrongResponse } from '../support/quiz-answers.js';

const content = loadContent();
const deps = { content, lookups: buildLookups(content) } as unknown as StudyDeps;

function fits(m: { text: string; blocks: unknown[] }, max?: number) {
  expect(blockLimitViolations(m.blocks, max)).toEqual([]);
  expect(truncatedTexts(m.blocks)).toEqual([]);
  expect(m.text.length).toBeGreaterThan(0);
}

describe('views render every content record inside the Block Kit limits, uncut', () => {
  it('service cards', () => {
    for (const s of content.services) fits(cardView(serviceCard(deps, s.id))!);
  });

  it('quiz questions of every type, open, personal, closed and answered', () => {
    for (const q of content.quiz) {
      for (const m of [channelQuizView(q, 12345, 3, true), personalQuizView(q), closedQuizView(q, { answered: 9, correct: 4 })]) {
        expect(blockLimitViolations(m.blocks), q.id).toEqual([]);
        // Menu labels may be cut to 75 characters; the message body always carries the whole text.
        const bodyText = JSON.stringify(m.blocks.filter((b) => b.type === 'section'));
        expect(truncatedTexts(JSON.parse(bodyText) as unknown[]), q.id).toEqual([]);
      }
      fits(answerFeedbackView({ kind: 'scored', question: q, response: rightResponse(q), correct: true, first: true, points: 5, streak: 3 }));
      fits(answerFeedbackView({ kind: 'scored', question: q, response: wrongResponse(q), correct: false, first: true, points: 0, streak: 1 }));
    }
  });

  it('certification cards', () => {
    for (const c of content.certifications) fits(cardView(certCard(deps, c.id, new Date('2026-11-22T12:00:00Z')))!);
  });

  it('reads exam dates as of the day: DVA-C02 is retired and DVA-C03 open from 1 December 2026', () => {
    const before = new Date('2026-11-30T12:00:00Z');
    const after = new Date('2026-12-01T12:00:00Z');
    expect(cardView(certCard(deps, 'dva-c02', before))!.text).toMatch(/^Retiring: the last exam date is 2026-11-30/);
    expect(cardView(certCard(deps, 'dva-c02', after))!.text).toMatch(/^Retired: the last exam date was 2026-11-30/);
    expect(cardView(certCard(deps, 'dva-c03', before))!.text).toMatch(/^Opens on 2026-12-01/);
    expect(cardView(certCard(deps, 'dva-c03', after))!.text).toMatch(/^DVA-C03/);
  });

  it('tips', () => {
    for (const t of content.tips)
      fits(
        tipView(
          t,
          t.services.map((id) => content.service(id)!),
        ),
      );
  });

  it('every week of every track, in the enrolment reply, status, nudge and Home tab', () => {
    // The longest exam line there can be: a plan well behind, with weeks to combine.
    const examCert = content.certification('aip-c01')!;
    const study = {
      cert: examCert,
      readiness: 0.456,
      reviewsDue: 9999,
      plan: {
        cert: examCert,
        date: '2027-12-31',
        daysLeft: 700,
        pace: { kind: 'behind' as const, weeksBehind: 12, combine: [[10, 11, 12]], remaining: [], backlog: [], plan: [] },
        newQuestions: { perDay: 99, by: '2027-12-24', late: false },
        unseen: 999,
        bank: 999,
      },
    };
    for (const track of content.tracks) {
      const certs = track.certifications.map((id) => content.certification(id)!);
      track.weeks.forEach((milestone, i) => {
        const week = i + 1;
        fits(enrolledView({ track, certs, week, resumed: false, alreadyCurrent: false, nextNudge: 'Mon 23 Nov, 09:00 Europe/London' }));
        fits(
          statusView({
            track,
            week,
            milestone,
            weekDone: false,
            doneCount: i,
            status: 'active',
            nextNudge: 'Mon 23 Nov, 09:00 UTC',
            streak: 12,
            freezes: 2,
            points: 1234,
            rank: 3,
            study,
          }),
        );
        fits(weeklyNudgeView({ track, week, milestone, lastWeekDone: false, doneCount: i, late: true }));
        // With every domain of the longest-named exam answered last week, and this week already done.
        const cert = content.certifications.reduce((a, b) =>
          b.domains.map((d) => d.name).join('').length > a.domains.map((d) => d.name).join('').length ? b : a,
        );
        const domains = cert.domains.map((d) => ({ number: d.number, name: d.name, answered: 120, correct: 99 }));
        const lastWeek = { answered: 999, correct: 500, exam: cert.code, domains, reviews: 999, streak: 365, rank: { now: 1000, before: 9999 } };
        fits(weeklyNudgeView({ track, week, milestone, lastWeekDone: true, weekDone: true, doneCount: i, late: true, lastWeek }));
        const home = homeView({
          tracks: content.tracks,
          notices: [],
          enrolment: {
            track,
            week,
            milestone,
            doneCount: i,
            weekDone: false,
            status: 'active',
            nextNudge: 'x',
            streak: 3,
            freezes: 1,
            points: 120,
            rank: 2,
            study,
          },
        });
        expect(blockLimitViolations(home.blocks, BLOCK_LIMITS.homeBlocks)).toEqual([]);
      });
    }
  });

  it('the help, the track list and the empty Home tab', () => {
    fits(helpView());
    fits(tracksView(content.tracks, (id) => content.certification(id)));
    expect(blockLimitViolations(homeView({ tracks: content.tracks, notices: [] }).blocks, BLOCK_LIMITS.homeBlocks)).toEqual([]);
  });
});

describe('message()', () => {
  it('trims a message past 50 blocks with a pointer instead of letting Slack reject it', () => {
    const m = message(
      'long',
      Array.from({ length: 80 }, (_, i) => section(`row ${i}`)),
    );
    expect(m.blocks).toHaveLength(50);
    expect(JSON.stringify(m.blocks.at(-1))).toContain('more than fits here');
  });

  it('cuts an over-long section on a word boundary', () => {
    const m = message('x', [section('word '.repeat(1000))]);
    expect(blockLimitViolations(m.blocks)).toEqual([]);
    expect(truncatedTexts(m.blocks)).toHaveLength(1);
  });
});

describe('notices', () => {
  it("the fallback text drops mrkdwn markers but keeps the underscores of Slack's error codes", () => {
    // Regression: `not_in_channel` used to read "notinchannel" in notifications.
    expect(noticeView('Slack answered `not_in_channel`: *invite* aipath, _then_ try again.').text).toBe(
      'Slack answered not_in_channel: invite aipath, then try again.',
    );
  });
});

describe('leaderboardView', () => {
  it('lists a board’s top and says when more learners tie with the last one listed', () => {
    const top = Array.from({ length: 10 }, (_, i) => ({ rank: i < 3 ? i + 1 : 4, item: { userId: `U${i}`, points: i < 3 ? 50 - i : 30 } }));
    const m = leaderboardView({
      periodLabel: 'week 2026-W49 (from 30 Nov)',
      boards: [
        { title: 'The whole workspace', top, moreTied: true },
        { title: 'A team', top: top.slice(0, 2), moreTied: false },
      ],
      you: { rank: 4, points: 30, hidden: false },
    });
    fits(m);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('…and others tied with 30 pts');
    expect(text.match(/others tied/g)).toHaveLength(1);
  });
});
