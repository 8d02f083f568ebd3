import { periodBounds } from '../../domain/due.js';
import { localDate, phaseExam, planPosition } from '../../domain/plan.js';
import { congratulationsView, type DomainTally, type LastWeekSummary, weeklyNudgeView } from '../../slack/views/nudge.js';
import type { Content } from '../../content/content.js';
import type { Certification, QuizQuestion } from '../../content/schema.js';
import type { Delivery, DueNudge, Store } from '../../ports/store.js';
import { streakOf } from '../../services/activity.js';
import type { Caller } from '../../services/context.js';
import { studyPicture } from '../../services/progress.js';
import type { DeliveryKindSpec, KindContext } from './kind.js';
import { learnerZone, type WorkspaceZones } from './zones.js';

/** Every answer the learner gave, as the summary counts it: a quiz answer or a review, right or not. */
export interface CountedAnswer {
  questionId: string;
  correct: boolean;
  at: Date;
}

/**
 * Last week in figures, pure: the answers (quiz answers, channel and practice, and reviews) in [from, to), the
 * share right overall and by domain of `cert` (the learner's study exam), the reviews done, and the streak and
 * ranks as read.
 */
export function lastWeekSummary(
  answers: readonly CountedAnswer[],
  reviews: readonly CountedAnswer[],
  questionOf: (id: string) => Pick<QuizQuestion, 'cert' | 'domain'> | undefined,
  cert: Pick<Certification, 'id' | 'code' | 'domains'> | undefined,
  period: { from: Date; to: Date },
  standing: { streak: number; rank: LastWeekSummary['rank'] },
): LastWeekSummary {
  const within = (a: CountedAnswer) => a.at >= period.from && a.at < period.to;
  const counted = [...answers.filter(within), ...reviews.filter(within)];
  const domains: DomainTally[] = (cert?.domains ?? []).map((d) => ({ number: d.number, name: d.name, answered: 0, correct: 0 }));
  for (const a of counted) {
    const q = questionOf(a.questionId);
    const tally = q && q.cert === cert?.id ? domains.find((d) => d.number === q.domain) : undefined;
    if (!tally) continue;
    tally.answered += 1;
    tally.correct += a.correct ? 1 : 0;
  }
  return {
    answered: counted.length,
    correct: counted.filter((a) => a.correct).length,
    exam: cert?.code,
    domains: domains.filter((d) => d.answered > 0),
    reviews: reviews.filter(within).length,
    ...standing,
  };
}

/**
 * Reads what last week's summary needs, through the store's ports (reads only). Last week is the seven local days
 * before the nudge's Monday. The rank change compares the learner's workspace rank by all points earned before
 * the end of last week with the same rank by points earned before its start: two period boards (points earned in
 * [the beginning of time, then)), so both ranks are read the same way, hidden learners left out as on every board.
 */
async function readLastWeek(store: Store, content: Content, e: DueNudge, tz: string, row: Delivery, phaseCert: string): Promise<LastWeekSummary> {
  const { workspaceId: ws, userId: user } = e;
  const { from, to } = periodBounds('week', row.dueAt, tz, 1);
  const answers = (await store.quiz.answersOf(ws, user)).map((a) => ({ questionId: a.questionId, correct: a.correct, at: a.answeredAt }));
  const reviews = (await store.reviews.logOf(ws, user))
    .filter((r) => r.source === 'review')
    .map((r) => ({ questionId: r.questionId, correct: r.log.rating !== 'again', at: r.log.review }));
  const examCert = (await store.users.get(ws, user))?.examCert;
  const cert = content.certification(examCert ?? phaseCert);
  const rankAt = async (until: Date) => (await store.points.board(ws, { from: new Date(0), to: until }, { me: user, limit: 1 })).me?.rank;
  // As of the nudge's day, which is not over: the run through Sunday.
  const streak = await streakOf(store, ws, user, localDate(row.dueAt, tz));
  return lastWeekSummary(
    answers,
    reviews,
    (id) => content.question(id),
    cert,
    { from, to },
    { streak, rank: { now: await rankAt(to), before: await rankAt(from) } },
  );
}

/** The learner as the use cases know a caller, for reads the scheduler makes on their behalf. */
const learnerAsCaller = (e: DueNudge, tz: string, now: Date): Caller => ({
  workspaceId: e.workspaceId,
  userId: e.userId,
  channelId: '',
  now,
  profile: async () => ({ tz, isAdmin: false }),
});

/** The learner's Monday DM: this week's milestone and last week's result, or a congratulation at the end. */
export function weeklyNudge(zones: WorkspaceZones): DeliveryKindSpec<DueNudge> {
  /** Where the learner's plan stands in the week this delivery is for, in the learner's timezone. */
  const positionOf = (content: Content, e: DueNudge, row: Delivery, tz: string) => {
    const track = content.track(e.trackId);
    return track && { track, ...planPosition(track, e.startedOn, localDate(row.dueAt, tz)) };
  };
  return {
    kind: 'weekly_nudge',
    async compose({ services: { content, store, study }, slack, now }: KindContext, e, row) {
      const tz = await learnerZone(store, e, zones);
      const position = positionOf(content, e, row, tz);
      if (!position) return undefined;
      const { track } = position;
      // The DM channel never changes: asked of Slack once, then kept (conversations.open is Tier 3). Asked for after
      // the message is made, so that the reading is done before the pass waits for Slack, not after.
      const dm = async () => (await store.users.get(e.workspaceId, e.userId))?.dmChannel ?? (await slack.openDm(e.userId));
      if (position.finished) return { channel: await dm(), message: congratulationsView(track), contentId: 'congratulations' };
      const done = await store.enrolments.doneWeeks(e.id);
      const message = weeklyNudgeView({
        track,
        week: position.week,
        milestone: position.milestone!,
        lastWeekDone: position.week > 1 ? done.includes(position.week - 1) : undefined,
        weekDone: done.includes(position.week),
        doneCount: done.length,
        late: row.late,
        lastWeek: position.week > 1 ? await readLastWeek(store, content, e, tz, row, phaseExam(track, position.week)) : undefined,
        study: await studyPicture(study, learnerAsCaller(e, tz, now)),
      });
      return { channel: await dm(), message, contentId: `week-${position.week}` };
    },
    async afterSent({ services: { content, store }, now }, e, row, sent) {
      await store.users.setDmChannel(e.workspaceId, e.userId, sent.channel);
      if (positionOf(content, e, row, await learnerZone(store, e, zones))?.finished) {
        await store.enrolments.setStatus(e.id, 'finished', now);
        await store.enrolments.setNextNudge(e.id, null);
      }
    },
    async onTargetError({ services: { store }, now }, e, reason) {
      await store.enrolments.setStatus(e.id, 'paused', now, { reason, by: 'slack' });
    },
  };
}
