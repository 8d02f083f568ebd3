import type { MockExam } from '../../ports/store.js';
import { gradeFinishedMock, mockResult } from '../../services/mock.js';
import { classifySlackError } from '../../slack/errors.js';
import { mockClosedView, mockTimeUpView } from '../../slack/views/mock.js';
import type { DeliveryKindSpec, Schedule } from './kind.js';

/** A time's-up notice is for one exam: its ledger period names the exam (the target is the learner, as for every DM). */
export const mockPeriod = (mockId: number) => `mock-${mockId}`;
const mockIdOf = (period: string) => (/^mock-(\d+)$/.exec(period) ? Number(period.slice(5)) : undefined);

/**
 * Practice exams at the end of their time. An exam whose time ran out unfinished (the learner stopped answering) is
 * finished by the pass that claims it, in the claim's transaction: finishing is the compare-and-set that takes it out
 * of the due set, so of two passes, or of a pass and the learner's click at that moment, exactly one finishes it and
 * grades its answers into reviews; the notice is claimed in the ledger with it, or not at all. An exam the learner
 * finished (last answer, or a click after the time) has left the due set and gets no notice: they saw the result.
 */
export function mockDeadlines(): Schedule<MockExam> {
  return {
    name: 'mock deadlines',
    // A notice more than the daily grace late (after long downtime) is recorded as missed; the exam is finished anyway.
    grace: 'daily',
    dueSet: 'mock-time-up',
    findDue: (repos, now, limit) => repos.mocks.dueTimeUps(now, limit),
    step: (m) => ({ next: null, due: { dueAt: m.endsAt, period: mockPeriod(m.id) } }),
    advance: (tx, moves, now) =>
      tx.mocks.finishMany(
        moves.map((m) => m.target.id),
        now,
      ),
    async confirm(tx, m, _due, now) {
      await gradeFinishedMock(tx, { workspaceId: m.workspaceId, userId: m.userId, now }, m.id);
      return true;
    },
    async recover(repos, row) {
      const id = mockIdOf(row.period);
      const mock = id === undefined ? undefined : await repos.mocks.get(id);
      return mock && mock.workspaceId === row.workspaceId && mock.userId === row.target ? mock : undefined;
    },
    workspaceOf: (m) => m.workspaceId,
    targetIdOf: (m) => m.userId,
  };
}

/** The learner's DM when their practice exam's time ran out: time is up, and the result. */
export const mockTimeUp: DeliveryKindSpec<MockExam> = {
  kind: 'mock_time_up',
  async compose({ services: { store, content }, slack }, m) {
    const mock = await store.mocks.get(m.id);
    if (!mock || !content.certification(mock.cert)) return undefined;
    // Scored as of its end: the unanswered count as wrong, as the finish graded them.
    const result = mockResult(content, mock, await store.mocks.answers(mock.id), mock.endsAt);
    const channel = (await store.users.get(m.workspaceId, m.userId))?.dmChannel ?? (await slack.openDm(m.userId));
    return { channel, message: mockTimeUpView(result), contentId: String(mock.id) };
  },
  async afterSent({ services: { store, content }, slack, logger }, m, _row, sent) {
    await store.users.setDmChannel(m.workspaceId, m.userId, sent.channel);
    // The exam's question message stops offering answers (a click on it would be refused anyway, with a reply saying
    // why). Run again after a takeover, harmlessly; Slack refusing the update changes nothing else.
    const mock = await store.mocks.get(m.id);
    const cert = mock && content.certification(mock.cert);
    if (!mock?.message || !cert) return;
    try {
      await slack.update(mock.message.channel, mock.message.ts, mockClosedView({ cert, endsAt: mock.endsAt }));
    } catch (err) {
      logger.warn(`could not close the practice exam ${mock.id} in the DM of ${m.userId}: ${classifySlackError(err).reason}`);
    }
  },
  async onTargetError() {
    // Nothing to pause: the exam is finished and graded already, and nothing else of it will be sent. The learner sees
    // the result on their next click on the exam, or in reviews.
  },
};
