import type { MemoryCard, RecallInputs, ReviewGrade, ReviewLogEntry } from '../domain/review/memory.js';
import type { AnswerTally } from '../domain/review/readiness.js';
import type { PointsKind } from '../domain/scoring.js';

/**
 * What the application needs from its database, in its own terms: records with camelCase fields,
 * booleans and `Date`s; every call asynchronous, so that an engine with a network between it and
 * us (PostgreSQL) fits behind the same interfaces as the embedded one (SQLite).
 *
 * Instants are `Date`s; local calendar dates ('YYYY-MM-DD'), ISO weeks and wall-clock times
 * ('HH:MM') stay strings because they mean nothing without a timezone.
 */

// ---------- records ----------

export interface User {
  workspaceId: string;
  userId: string;
  /** The timezone from the user's Slack profile (users.info). */
  slackTz: string | null;
  /** The timezone the user chose with `/aipath settings tz`. */
  tzOverride: string | null;
  nudgeTime: string;
  onLeaderboard: boolean;
  isWorkspaceAdmin: boolean;
  profileFetchedAt: Date | null;
  createdAt: Date;
  /** The DM channel with the bot, cached so a nudge needs no conversations.open. */
  dmChannel: string | null;
  /** The exam the learner prepares for (`/aipath exam`); set together with `examDate`, or neither is. */
  examCert: string | null;
  /** The local date ('YYYY-MM-DD', the learner's timezone) of that exam. */
  examDate: string | null;
  /** Whether the learner wants the review reminder (`/aipath settings reviews on|off`); on by default. */
  reviewsOn: boolean;
  /** The learner's study days (`/aipath settings days all|weekdays`), 'all' by default: review reminders go out on them only. */
  reviewDays: ReviewDays;
}

export type ReviewDays = 'all' | 'weekdays';

export type EnrolmentStatus = 'active' | 'paused' | 'stopped' | 'finished';
export type PausedBy = 'learner' | 'slack';

export interface Enrolment {
  id: number;
  workspaceId: string;
  userId: string;
  trackId: string;
  /** Local date on which week 1 began. */
  startedOn: string;
  status: EnrolmentStatus;
  /** When a timed pause ends; null while paused indefinitely (or not paused). */
  pausedUntil: Date | null;
  /** Why it is paused or stopped: the learner's words, or Slack's error when Slack refused their DM. */
  statusReason: string | null;
  /** Who paused the nudges, while paused. */
  pausedBy: PausedBy | null;
  isCurrent: boolean;
  nextNudgeAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A current enrolment whose weekly nudge is due, with what its schedule needs of the learner: only the fields the
 * schedule and the nudge read, since a claim reads thousands (the rest of the enrolment cost PostgreSQL's claims a
 * parse of two more timestamps a row, and garbage).
 */
export interface DueNudge extends Pick<Enrolment, 'id' | 'workspaceId' | 'userId' | 'trackId' | 'startedOn' | 'status' | 'pausedUntil' | 'nextNudgeAt'> {
  tzOverride: string | null;
  slackTz: string | null;
  nudgeTime: string;
}

export interface Subscription {
  workspaceId: string;
  channelId: string;
  postTime: string;
  tz: string;
  /** null: tips and questions from every track. */
  trackId: string | null;
  /** Paused only when Slack refuses the channel for good; the reason is Slack's error. */
  status: 'active' | 'paused';
  statusReason: string | null;
  nextDailyAt: Date | null;
  nextWeeklyAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A kind registered in src/scheduler/kinds/index.ts. */
export type DeliveryKind = string;
export type DeliveryStatus = 'claimed' | 'sent' | 'missed' | 'failed';

export interface Delivery {
  id: number;
  workspaceId: string;
  kind: DeliveryKind;
  /** A channel id, or a user id for a DM. */
  target: string;
  /** The local period it is for: a date (daily) or an ISO week such as 2026-W48 (weekly). */
  period: string;
  dueAt: Date;
  status: DeliveryStatus;
  claimedBy: string | null;
  claimedAt: Date | null;
  attempts: number;
  late: boolean;
  /** What was (or is being) delivered: a tip id, a question id, a milestone week. */
  contentId: string | null;
  channel: string | null;
  messageTs: string | null;
  error: string | null;
  updatedAt: Date;
  /** Until when the owner's lease holds (wall-clock time); renewed while it works. */
  leaseUntil: Date | null;
  /** Fencing token: raised by every takeover, checked by the owner before it posts. */
  fence: number;
}

/** The claim a pass holds on a delivery: its id and the fencing token it was given. */
export interface HeldClaim {
  id: number;
  fence: number;
}

export interface DeliveryKey {
  ws: string;
  kind: DeliveryKind;
  target: string;
  period: string;
}

/** A delivery to record with a claim: claimed by the claiming pass, or missed when it fell due too long ago. */
export interface NewDelivery {
  key: DeliveryKey;
  dueAt: Date;
  status: 'claimed' | 'missed';
  late: boolean;
}

/**
 * A target's due time moved on by a claim, compare-and-set: only if it still is what `target` says it was (the
 * due time read with it), so that of two passes that read the same target only one moves it on.
 */
export interface DueMove<T, N extends Date | null = Date | null> {
  target: T;
  next: N;
}

/**
 * The due sets a scheduler pass claims from, each read by its own due query: subscriptions.dueDaily and dueWeekly,
 * enrolments.dueNudges, reviews.dueReminders, mocks.dueTimeUps.
 */
export type DueSet = 'channel-daily' | 'channel-weekly' | 'learner-weekly' | 'learner-daily' | 'mock-time-up';

/** Which claims may have been abandoned (see DeliveryLedger.openClaims). */
export interface OpenClaimsQuery {
  claimedBefore: Date;
  wallNow: Date;
  host: string;
  probeBefore: Date;
  limit: number;
}

/** What a scheduler pass has to do, as one look-up tells it (DeliveryLedger.pendingWork). */
export interface PendingWork {
  /** Whether openClaims may find a claim (see DeliveryLedger.pendingWork). */
  openClaims: boolean;
  /** The due sets whose due query may find a target due by now. */
  due: Set<DueSet>;
}

export interface QuizPost {
  id: number;
  workspaceId: string;
  channelId: string;
  questionId: string;
  deliveryId: number | null;
  messageTs: string | null;
  postedAt: Date;
  closedAt: Date | null;
}

export interface AnswerResult {
  /** True when this click was the learner's first (and only scored) answer. */
  first: boolean;
  correct: boolean;
  /** The answer that counts: this one if first, else the learner's earlier one. */
  response: number[];
}

/** One answer a learner gave, as recorded (the first for each channel post or personal question). */
export interface RecordedAnswer {
  questionId: string;
  /** The channel quiz post it answered; null for a personal question. */
  postId: number | null;
  response: number[];
  correct: boolean;
  answeredAt: Date;
}

/** Points earned once for one thing (a quiz post, a milestone, a streak). */
export interface EarnedPoints {
  kind: PointsKind;
  ref: string;
  points: number;
  channelId: string | null;
  earnedAt: Date;
}

/** A learner's points in a period; boards only ever see learners who show on them. */
export interface Score {
  userId: string;
  points: number;
}

export interface BoardEntry extends Score {
  rank: number;
}

/** The top of a leaderboard and the caller's place on it (PointsRepository.board). */
export interface Board {
  top: BoardEntry[];
  /** Learners not in `top` tie with its last entry: with a hundred thousand learners, a rank can be shared by many. */
  moreTied: boolean;
  me: BoardEntry | undefined;
}

/** A half-open range of instants [from, to). */
export interface Period {
  from: Date;
  to: Date;
  /**
   * The timezone whose calendar week or month [from, to) is, when it is one (as `periodBounds` draws it): boards
   * and team scores of such a period are read from running totals kept when points are awarded.
   */
  zone?: string;
}

export interface WorkspacePause {
  reason: string;
  pausedAt: Date;
  probedAt: Date;
}

/** What an answer that updated a memory card came from. */
export type ReviewSource = 'channel_quiz' | 'personal_quiz' | 'review' | 'mock';

/** A learner's memory card with the question it is for. */
export interface QuestionCard {
  questionId: string;
  card: MemoryCard;
}

/** What choosing among a learner's due cards needs of each (see nextCard): when it fell due, its recall, its reviews. */
export interface DueCard {
  questionId: string;
  card: RecallInputs & Pick<MemoryCard, 'due' | 'reps'>;
}

/** One review as it was logged: the question, where the answer came from, and what FSRS saw. */
export interface LoggedReview {
  questionId: string;
  source: ReviewSource;
  log: ReviewLogEntry;
}

/** A timed practice exam. */
export interface MockExam {
  id: number;
  workspaceId: string;
  userId: string;
  cert: string;
  /** The questions drawn for it, in the order they are asked. */
  questionIds: string[];
  startedAt: Date;
  /** When time is up. */
  endsAt: Date;
  /** When it was finished (scored); null while it is not. */
  finishedAt: Date | null;
  /** The DM message its question was last posted as (clicks update it in place); null until one was posted. */
  message: { channel: string; ts: string } | null;
}

/** The answer that counts (the first) to one question of a practice exam. */
export interface MockAnswer {
  questionId: string;
  response: number[];
  correct: boolean;
  answeredAt: Date;
}

/** The installation of aipath into one workspace (or, for an Enterprise Grid org-wide install, one enterprise). */
export interface InstallationRecord {
  /** Our key for the workspace (as workspaceKey() in src/slack/payload.ts makes it for a team), or for an Enterprise Grid org-wide install the enterprise id. */
  workspaceId: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  teamName: string | null;
  botUserId: string;
  botId: string | null;
  scopes: string[];
  installerUserId: string;
  /** The bot token sealed by src/shared/secret-box.ts (never the token itself); null once uninstalled or revoked. */
  tokenCiphertext: string | null;
  state: InstallationState;
  installedAt: Date;
  /** When it was uninstalled or its tokens revoked (its data is purged a retention period later); null while active. */
  inactiveSince: Date | null;
}

export type InstallationState = 'active' | 'inactive';

/**
 * A workspace's own settings (an admin's `/aipath admin …`), in place of the global ones; a workspace that never
 * changed one has the defaults.
 */
export interface WorkspaceSettings {
  workspaceId: string;
  /** The workspace's default timezone (IANA); null: AIPATH_TIMEZONE applies. */
  defaultTz: string | null;
  /** Whether the Monday recap @-mentions the learners it names (on by default). */
  recapMentions: boolean;
  /** Whether subscribed channels get the daily tip and quiz on Saturdays and Sundays, local time (on by default). */
  weekendPosts: boolean;
}

/** One learner's enrolment (or, for a learner who scored without ever joining a track, none) as the admin export lists it. */
export interface LearnerRecord {
  userId: string;
  tzOverride: string | null;
  slackTz: string | null;
  onLeaderboard: boolean;
  /** All-time points. */
  points: number;
  enrolment: {
    trackId: string;
    startedOn: string;
    status: EnrolmentStatus;
    pausedUntil: Date | null;
    isCurrent: boolean;
    /** The weeks whose milestone is done, ascending. */
    doneWeeks: number[];
  } | null;
}

// ---------- repositories ----------

export interface UsersRepository {
  get(ws: string, user: string): Promise<User | undefined>;
  /** The user's record, created on first contact. */
  ensure(ws: string, user: string, now: Date): Promise<User>;
  setProfile(ws: string, user: string, profile: { tz: string | null; isWorkspaceAdmin: boolean }, now: Date): Promise<void>;
  setNudgeTime(ws: string, user: string, hhmm: string): Promise<void>;
  setTzOverride(ws: string, user: string, tz: string | null): Promise<void>;
  setDmChannel(ws: string, user: string, channel: string): Promise<void>;
  setOnLeaderboard(ws: string, user: string, on: boolean): Promise<void>;
  /** Sets the learner's target exam and its local date ('YYYY-MM-DD', already validated), or clears both (null). */
  setExamTarget(ws: string, user: string, target: { cert: string; date: string } | null): Promise<void>;
  setReviewsOn(ws: string, user: string, on: boolean): Promise<void>;
  setReviewDays(ws: string, user: string, days: ReviewDays): Promise<void>;
  /**
   * Deletes the user and everything stored about them (memory cards, review log and practice exams
   * included), their DM deliveries of every kind, and their id wherever it stays for others
   * (subscriptions they made). True when anything was removed.
   */
  forget(ws: string, user: string): Promise<boolean>;
}

export interface EnrolmentsRepository {
  current(ws: string, user: string): Promise<Enrolment | undefined>;
  /** Makes `trackId` the learner's current track; an earlier enrolment in it resumes with its progress. */
  switchTo(ws: string, user: string, trackId: string, startedOn: string, now: Date): Promise<{ enrolment: Enrolment; resumed: boolean }>;
  /** A pause records who made it (`by`, the learner unless said otherwise); other states clear it. */
  setStatus(id: number, status: EnrolmentStatus, now: Date, opts?: { pausedUntil?: Date | null; reason?: string | null; by?: PausedBy }): Promise<void>;
  /** True when this call recorded the milestone, false when it was already done. */
  markDone(enrolmentId: number, week: number, now: Date): Promise<boolean>;
  doneWeeks(enrolmentId: number): Promise<number[]>;
  setNextNudge(id: number, at: Date | null): Promise<void>;
  /** Moves the nudge due time on, only if no other process already did (compare-and-set). */
  advanceNudge(enrolment: Enrolment, next: Date | null): Promise<boolean>;
  /** advanceNudge for many enrolments (distinct) in one statement: whether each moved, in the order given. */
  advanceNudges(moves: readonly DueMove<Pick<Enrolment, 'id' | 'nextNudgeAt'>>[]): Promise<boolean[]>;
  /**
   * Current active or paused enrolments due by `now`, oldest due first, up to `limit`. Inside a transaction each is
   * locked until it ends, and one another transaction has locked is skipped (left to that one), so that passes
   * running at once claim different targets instead of queueing for the same ones.
   */
  dueNudges(now: Date, limit: number): Promise<DueNudge[]>;
}

export interface SubscriptionsRepository {
  get(ws: string, channel: string): Promise<Subscription | undefined>;
  upsert(
    s: { ws: string; channel: string; time: string; tz: string; track: string | null; by: string; nextDaily: Date; nextWeekly: Date },
    now: Date,
  ): Promise<Subscription>;
  remove(ws: string, channel: string): Promise<boolean>;
  pause(ws: string, channel: string, reason: string, now: Date): Promise<void>;
  inWorkspace(ws: string): Promise<Subscription[]>;
  /**
   * Active subscriptions whose daily (weekly) post is due by `now`, soonest first, up to `limit`; inside a
   * transaction locked until it ends, skipping those another transaction has locked (as dueNudges).
   */
  dueDaily(now: Date, limit: number): Promise<Subscription[]>;
  dueWeekly(now: Date, limit: number): Promise<Subscription[]>;
  /** Moves the daily due time on, only if no other process already did (compare-and-set). */
  advanceDaily(s: Subscription, next: Date): Promise<boolean>;
  advanceWeekly(s: Subscription, next: Date): Promise<boolean>;
  /** advanceDaily or advanceWeekly for many subscriptions (distinct) in one statement: whether each moved, in order. */
  advanceMany(schedule: 'daily' | 'weekly', moves: readonly DueMove<Subscription, Date>[]): Promise<boolean[]>;
}

/**
 * The delivery ledger: the truth about what is due and what was sent. Every write that follows a
 * claim names its fencing token, so an owner whose claim was taken over writes nothing.
 */
export interface DeliveryLedger {
  /** Records a delivery as claimed by `owner` (or missed) unless one exists for the key; the new record, if any. */
  insert(key: DeliveryKey, dueAt: Date, status: 'claimed' | 'missed', late: boolean, owner: string, leaseUntil: Date, now: Date): Promise<Delivery | undefined>;
  /**
   * insert for many deliveries (distinct keys) in one statement: the new records, in the order given, of those whose
   * key had none (ids rising in that order).
   */
  insertMany(rows: readonly NewDelivery[], owner: string, leaseUntil: Date, now: Date): Promise<Delivery[]>;
  get(id: number): Promise<Delivery | undefined>;
  find(key: DeliveryKey): Promise<Delivery | undefined>;
  markSent(c: HeldClaim, channel: string, ts: string, contentId: string | null, now: Date): Promise<boolean>;
  markLate(id: number): Promise<boolean>;
  markFailed(c: HeldClaim, error: string, now: Date): Promise<boolean>;
  /** Where the message is about to go and what it is, so that recovery after a crash knows both. */
  setChannel(c: HeldClaim, channel: string, contentId: string | null, now: Date): Promise<boolean>;
  /** Gives a claim back after a failed attempt; a later pass retries it after its back-off. */
  release(c: HeldClaim, error: string | null, now: Date): Promise<void>;
  /** Gives a claim back untried (its workspace is paused): no attempt is counted. */
  putBack(c: HeldClaim, error: string, now: Date): Promise<void>;
  /** Records a claim that can no longer go out in time. */
  markMissed(c: HeldClaim, error: string, now: Date): Promise<boolean>;
  /**
   * Claims that may have been abandoned, oldest first: given back, without a lease, with a lease run
   * out, or owned by a process on `host` (whose pid the caller checks); none of a workspace paused
   * until after `probeBefore`.
   */
  openClaims(q: OpenClaimsQuery): Promise<Delivery[]>;
  /**
   * In one look-up (one statement): whether openClaims(q) may find anything, and which due sets may hold a target due
   * by `now`. Never false where the due query (or openClaims) would find something; it may be true where they would
   * not (PostgreSQL checks the earliest due time only, leaving conditions that depend on the instant to the queries),
   * and the pass then looks and finds nothing. A pass with nothing to do ends here.
   */
  pendingWork(now: Date, q: Omit<OpenClaimsQuery, 'limit'>): Promise<PendingWork>;
  /** Takes over an abandoned claim; the new fencing token, or undefined if another process took it first. */
  reclaim(d: Delivery, owner: string, leaseUntil: Date, now: Date): Promise<number | undefined>;
  /** The fencing check right before a post: true (and the lease renewed) only while `owner` still holds the claim. */
  confirm(c: HeldClaim, owner: string, leaseUntil: Date): Promise<boolean>;
  /** Extends the lease of every open claim `owner` holds; how many. */
  renewAll(owner: string, leaseUntil: Date): Promise<number>;
  /** How often each content id went out to a target: rotation shows the least shown first. */
  contentCounts(ws: string, target: string, kind: DeliveryKind): Promise<Map<string, number>>;
  /** Local dates on which aipath failed to post in this workspace: they excuse a gap in a streak. */
  missedDays(ws: string, since: string): Promise<Set<string>>;
  /** Every record, oldest first, for reports and tests of exactly-once delivery. */
  list(filter?: { ws?: string; kind?: DeliveryKind; target?: string }): Promise<Delivery[]>;
}

export interface QuizRepository {
  /** The quiz post of a delivery, created once however often the delivery is prepared. */
  createPost(ws: string, channel: string, questionId: string, deliveryId: number, now: Date): Promise<QuizPost>;
  post(id: number): Promise<QuizPost | undefined>;
  postForDelivery(deliveryId: number): Promise<QuizPost | undefined>;
  setMessageTs(id: number, ts: string): Promise<void>;
  /** Posts in the channel still open from before `postId`: the ones the new post closes. */
  openBefore(ws: string, channel: string, postId: number): Promise<QuizPost[]>;
  close(id: number, now: Date): Promise<boolean>;
  /** Records an answer unless the learner answered this post (or personal question) before. */
  answer(ws: string, user: string, questionId: string, post: QuizPost | null, response: readonly number[], correct: boolean, now: Date): Promise<AnswerResult>;
  tally(postId: number): Promise<{ answered: number; correct: number }>;
  /** Every answer the learner gave, oldest first. */
  answersOf(ws: string, user: string): Promise<RecordedAnswer[]>;
  answeredQuestions(ws: string, user: string): Promise<Set<string>>;
  postCounts(ws: string, channel: string): Promise<Map<string, number>>;
  /** How the channel's team answered each question of its quizzes since `since`: answers and right ones. */
  teamAnswers(ws: string, channel: string, since: Date): Promise<Map<string, { answered: number; correct: number }>>;
}

export interface PointsRepository {
  /**
   * Records points once per (kind, ref); false when they were already earned. In the same transaction, adds them to
   * the learner's all-time total and to the running totals of every week and month board of the workspace that
   * counts them (see keepZone).
   */
  award(ws: string, user: string, kind: PointsKind, ref: string, points: number, now: Date, channel?: string | null): Promise<boolean>;
  /** All-time points and workspace rank (ties share it); no rank for hidden or pointless learners. */
  standing(ws: string, user: string): Promise<{ points: number; rank: number | undefined }>;
  /** Every visible learner of a channel's team with points in the period: the Monday recap's input. */
  teamScores(ws: string, channel: string, period: Period): Promise<Score[]>;
  userPoints(ws: string, user: string, period: Period): Promise<number>;
  /** Everything the learner earned, oldest first. */
  earnedBy(ws: string, user: string): Promise<EarnedPoints[]>;
  /**
   * The board's first `limit` learners, highest first, each with their rank (ties share a rank; which of several tied
   * learners are listed is the store's choice), `moreTied` when learners left out tie with the last one listed, and,
   * when `me` is given, the caller's own entry if they show on boards and scored; for a channel, among its team
   * only. A week or month naming its zone is read from running totals.
   */
  board(ws: string, period: Period | 'all', opts: { channel?: string; me?: string; limit: number }): Promise<Board>;
  /**
   * Keeps running totals of the workspace's weeks and months in `zone`'s calendar from now on: when the zone is new
   * to the workspace, builds them first from the points already earned (which takes a while in a large workspace).
   * Reading a board of a zone's period keeps the zone by itself; this does it ahead. True when the zone was new.
   */
  keepZone(ws: string, zone: string): Promise<boolean>;
  /**
   * keepZone for every workspace with learners, in `defaultZone` and in the timezone of each of its subscribed
   * channels: the data half of the migration that introduced running totals. How many zones were new.
   */
  keepZones(defaultZone: string): Promise<number>;
  markStudyDay(ws: string, user: string, localDate: string): Promise<void>;
  studyDays(ws: string, user: string, since: string): Promise<Set<string>>;
  teamTotals(ws: string, channel: string, period: Period): Promise<{ answered: number; correct: number; milestones: number }>;
}

/**
 * Learners' memory of each question (FSRS cards, one per learner and question) and the log of every
 * review. Scoring is elsewhere (quiz, points): a review never earns or changes points here.
 */
export interface ReviewsRepository {
  /** The learner's card for the question; undefined when they never answered it. */
  card(ws: string, user: string, questionId: string): Promise<MemoryCard | undefined>;
  /**
   * Stores the card as it is after a review (inserting or replacing the learner's card for the
   * question) and appends the review to the log, both or neither. The learner must exist.
   */
  saveReview(ws: string, user: string, questionId: string, card: MemoryCard, log: ReviewLogEntry, source: ReviewSource): Promise<void>;
  /** The learner's latest review of the question, if any. */
  lastReview(ws: string, user: string, questionId: string): Promise<LoggedReview | undefined>;
  /**
   * The latest review of the question graded again ("I guessed", "too easy"): the card is replaced and that
   * review's rating changed, both or neither; no review is added.
   */
  regradeLast(ws: string, user: string, questionId: string, card: MemoryCard, rating: ReviewGrade): Promise<void>;
  /**
   * Up to `limit` of the learner's cards due at `now` (due ≤ now), ordered by due time then question
   * id, with what choosing among them needs (hundreds for a learner behind: no more than that is read); choosing
   * (lowest recall first) is the caller's business.
   */
  dueCards(ws: string, user: string, now: Date, limit: number): Promise<DueCard[]>;
  /** How many of the learner's cards are due at `now` (due ≤ now). */
  dueCount(ws: string, user: string, now: Date): Promise<number>;
  /** The earliest due time of the learner's cards strictly after `after`; undefined when none falls after it. */
  nextDue(ws: string, user: string, after: Date): Promise<Date | undefined>;
  /** Every card of the learner, by question id (for readiness). */
  cardsOf(ws: string, user: string): Promise<QuestionCard[]>;
  /**
   * Every card of the learner, whole, with how often its question was answered and answered right. Readiness reads
   * `answerTallies` instead; this is what it read before, kept as the reference that checks it (tests, benchmark).
   */
  memoryOf(ws: string, user: string): Promise<(QuestionCard & { answered: number; right: number })[]>;
  /**
   * What readiness needs of every question the learner has answered, one tally a question, in no particular order:
   * for each card, its stability and last review while it is not new (else null) and its answer counts; for each
   * question without a card (answered before cards existed), the quiz answers recorded for it, counted (all, right).
   */
  answerTallies(ws: string, user: string): Promise<AnswerTally[]>;
  /**
   * How many questions the learner met for the first time in a review session within `period`: reviews from the
   * `review` source of a card that was new then (a regrade is no new review; a double click grades once).
   */
  newInReviews(ws: string, user: string, period: Period): Promise<number>;
  /** Every review the learner made, oldest first (by review time, then as logged). */
  logOf(ws: string, user: string): Promise<LoggedReview[]>;
  /**
   * Learners whose review reminder is due by `now` (oldest first, up to `limit`): reminders on, and a
   * current enrolment that is active or finished (reviews go on after the track until the exam), or paused
   * with a timed pause that has ended by `now`; a paused or stopped learner gets none. Inside a transaction locked
   * until it ends, skipping those another transaction has locked (as enrolments.dueNudges).
   */
  dueReminders(now: Date, limit: number): Promise<ReminderTarget[]>;
  /** Moves the reminder's due time on, only if no other process already did (compare-and-set). */
  advanceReminder(target: ReminderTarget, next: Date | null): Promise<boolean>;
  /** advanceReminder for many learners (distinct) in one statement: whether each moved, in the order given. */
  advanceReminders(moves: readonly DueMove<ReminderTarget>[]): Promise<boolean[]>;
  /** When the learner's next reminder falls due (null: none until set again). */
  setNextReminder(ws: string, user: string, at: Date | null): Promise<void>;
}

/** A learner whose review reminder is due, with what its schedule needs. */
export interface ReminderTarget {
  workspaceId: string;
  userId: string;
  nextReminderAt: Date;
  tzOverride: string | null;
  slackTz: string | null;
  nudgeTime: string;
  reviewDays: ReviewDays;
  /** Cards due by the reminder's due time, counted with the due set so a claim needs no query of its own. */
  dueCards: number;
}

/** Timed practice exams and their answers. */
export interface MockExamsRepository {
  /** Records a new practice exam (whether the learner may start one is the caller's business). */
  start(ws: string, user: string, cert: string, questionIds: readonly string[], startedAt: Date, endsAt: Date): Promise<MockExam>;
  get(id: number): Promise<MockExam | undefined>;
  /**
   * The learner's latest practice exam started by `now` and not finished, whether its time is up or not (at
   * `endsAt` it is): one still running, or one whose time ran out before anything finished it.
   */
  unfinished(ws: string, user: string, now: Date): Promise<MockExam | undefined>;
  /**
   * Deletes a practice exam that has no answer yet (its first question never reached the learner); true when it was
   * deleted, false when it had answers or did not exist.
   */
  discard(id: number): Promise<boolean>;
  /**
   * Records the answer to a question of an unfinished practice exam unless one was recorded before:
   * true when this one is the first (and counts); false when the question was answered already or
   * the exam is finished or unknown. Whether time is up is the caller's business.
   */
  answer(mockId: number, questionId: string, response: readonly number[], correct: boolean, at: Date): Promise<boolean>;
  /** The answers that count, in the order given (by time, then question id). */
  answers(mockId: number): Promise<MockAnswer[]>;
  /** Marks the exam finished, only if it was not already (compare-and-set): true for the one call that finished it. */
  finish(id: number, at: Date): Promise<boolean>;
  /** Records the DM message the exam's question was posted as (the latest wins). */
  setMessage(id: number, channel: string, ts: string): Promise<void>;
  /** finish for many exams (distinct ids) in one statement: whether each was finished by this call, in the order given. */
  finishMany(ids: readonly number[], at: Date): Promise<boolean[]>;
  /**
   * Unfinished practice exams whose time is up by `now` (endsAt ≤ now), soonest first (then by id), up to `limit`:
   * the scheduler finishes them and tells the learner. Inside a transaction locked until it ends, skipping those
   * another transaction has locked (as enrolments.dueNudges).
   */
  dueTimeUps(now: Date, limit: number): Promise<MockExam[]>;
}

/**
 * The OAuth install flow's states, each good for one redirect from Slack: a state that comes back a second time (a
 * replayed or reloaded redirect) is refused, whichever process sees it. Only the states' ids are kept, never a code
 * or a token.
 */
export interface OAuthStatesRepository {
  /**
   * Records `stateId` as used at `now`: true the first time, false whenever it was used before. Forgets the states used
   * before `forgetBefore` (the caller's own expiry check refuses those by then).
   */
  consume(stateId: string, now: Date, forgetBefore: Date): Promise<boolean>;
}

export interface WorkspacesRepository {
  pause(ws: string, reason: string, now: Date): Promise<void>;
  /** The one delivery that may try Slack again for a paused workspace (compare-and-set on the probe time). */
  takeProbe(ws: string, dueBy: Date, now: Date): Promise<boolean>;
  /** True if the workspace was paused. */
  resume(ws: string): Promise<boolean>;
  pauseOf(ws: string): Promise<WorkspacePause | undefined>;
  /**
   * Deletes every row of the workspace in every table (its users and all they have, channels, the ledger, quiz
   * posts, pauses, send pace, its installation…) in one transaction. For an enterprise id (an Enterprise Grid
   * org-wide install's key), also every workspace of that enterprise ("E…:T…") that has no installation of its
   * own. Nothing of another workspace is touched. The caller runs `database.purgeDeleted()` afterwards so the
   * deleted bytes leave the files too.
   */
  purge(ws: string): Promise<void>;
}

/**
 * Installations (multi-workspace mode): one per workspace that installed aipath through OAuth, holding its bot
 * token sealed (src/shared/secret-box.ts). Single-workspace modes keep none.
 */
export interface InstallationsRepository {
  /** Creates or replaces the installation; a reinstall makes it active again with the new token and clears inactiveSince. */
  save(installation: Omit<InstallationRecord, 'state' | 'inactiveSince'>): Promise<void>;
  find(workspaceId: string): Promise<InstallationRecord | undefined>;
  /** Marks it inactive and deletes its token, at `now`; true if it was active. */
  deactivate(workspaceId: string, now: Date): Promise<boolean>;
  /** Every installation that holds a token, for key rotation. */
  sealedTokens(): Promise<Array<{ workspaceId: string; tokenCiphertext: string }>>;
  /** Compare-and-set: replaces the ciphertext only if it is still `previous`; true if replaced. */
  reseal(workspaceId: string, previous: string, next: string): Promise<boolean>;
  /** Workspace ids of installations inactive since before `before` (their retention period is over), longest inactive first. */
  expired(before: Date): Promise<string[]>;
  /**
   * Deletes the installation only if it is still inactive since before `before` (compare-and-set against a
   * reinstall racing the retention purge); true if it did. The retention purge runs it and `workspaces.purge` in one
   * transaction, so a reinstall either comes first (nothing is purged) or after (a fresh installation, no old data).
   */
  discardExpired(workspaceId: string, before: Date): Promise<boolean>;
}

export interface WorkspaceSettingsRepository {
  /** The workspace's settings: the defaults for a workspace that never changed one. */
  get(ws: string): Promise<WorkspaceSettings>;
  /**
   * Sets the workspace's default timezone (an IANA name, already validated; null clears it). With `keepExisting`,
   * only when none is set yet (an installer's timezone never replaces an admin's choice). True when it was written.
   */
  setDefaultTimezone(ws: string, tz: string | null, opts?: { keepExisting?: boolean }): Promise<boolean>;
  setRecapMentions(ws: string, on: boolean): Promise<void>;
  setWeekendPosts(ws: string, on: boolean): Promise<void>;
}

/** Workspace-wide reads for admins (`/aipath admin`): counts and the export, never one learner's view. */
export interface WorkspaceReportsRepository {
  /** The workspace's current enrolments by stored status (a timed pause that has ended still counts as paused). */
  enrolmentCounts(ws: string): Promise<Record<EnrolmentStatus, number>>;
  /** How many learners answered a question, made a review or marked a milestone at or after `since`. */
  activeLearners(ws: string, since: Date): Promise<number>;
  /**
   * One page of the workspace's learners for the export: the next `limit` learners by user id after `after` (''
   * for the first page) who have an enrolment or points, with every enrolment of each (a learner is never split
   * across pages) and a record with enrolment null for one who scored without joining a track; by user id, then the
   * current enrolment first, then by track id. An empty page is the end.
   */
  learners(ws: string, page: { after: string; limit: number }): Promise<LearnerRecord[]>;
}

/**
 * Slack's pace for one workspace, kept in the database so that every process sending for it (bot replicas,
 * `aipath tick` runs) shares one budget instead of each spending its own: a row per workspace holds when its
 * next send slot begins, and each send reserves a slot with one atomic statement (src/scheduler/rate-limit.ts
 * explains the design). Instants are the callers' wall-clock time, as claim leases are.
 */
export interface SendPace {
  /**
   * Reserves the workspace's next send slot, in one atomic statement: the slot begins at the later of `now` and
   * the instant the previous reservation (or a hold) left for it, and the slot after it `spacingMs` later (rounded
   * up to whole milliseconds). Returns when the slot begins; the caller waits until then and sends. Concurrent
   * callers, in any process, each get a slot of their own; time nobody used is not saved up for a burst later.
   */
  reserve(ws: string, spacingMs: number, now: Date): Promise<Date>;
  /** Slack answered 429: no slot of the workspace begins before `until` (an earlier hold than one in place changes nothing). */
  holdUntil(ws: string, until: Date): Promise<void>;
}

export interface Repositories {
  users: UsersRepository;
  enrolments: EnrolmentsRepository;
  subscriptions: SubscriptionsRepository;
  ledger: DeliveryLedger;
  quiz: QuizRepository;
  points: PointsRepository;
  workspaces: WorkspacesRepository;
  workspaceSettings: WorkspaceSettingsRepository;
  reports: WorkspaceReportsRepository;
  reviews: ReviewsRepository;
  mocks: MockExamsRepository;
  pace: SendPace;
  oauthStates: OAuthStatesRepository;
  installations: InstallationsRepository;
}

// ---------- the database itself ----------

export type DatabaseHealth = { ok: boolean; detail: string };

export interface Database {
  readonly engine: 'sqlite' | 'postgres';
  /** Whether the data can really be read and written right now (for /healthz and before a pass). */
  health(): Promise<DatabaseHealth>;
  /**
   * Why nothing may be written, known without a round trip (the SQLite file was deleted or replaced
   * under the running process); undefined when writes may go ahead.
   */
  writesRefused(): string | undefined;
  /**
   * Makes deleted rows unrecoverable from the database's files (SQLite: empties the write-ahead log);
   * false while another reader keeps an older copy in use.
   */
  purgeDeleted(): Promise<boolean>;
  close(): Promise<void>;
}

export interface Store extends Repositories {
  database: Database;
  /**
   * Runs `work` as one transaction on the repositories it is given: its writes land together or not
   * at all. `work` must use only `tx` (never this store) and must not wait on anything but `tx` (no
   * Slack calls): the embedded engine holds its one connection for the duration.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}

/** The database is locked by another process or connection: the work changed nothing and may be retried. */
export class StoreBusyError extends Error {
  override name = 'StoreBusyError';
}
