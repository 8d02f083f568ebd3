import { type Command, parseCommand } from '../domain/commands.js';
import { adminOverview, changeWorkspaceSetting, workspaceExport } from '../services/admin.js';
import { subscribe, unsubscribe, withdrawSubscription } from '../services/channel.js';
import type { Caller, StudyDeps } from '../services/context.js';
import { done, pause, resume, start, status, stop } from '../services/enrolment.js';
import { standings } from '../services/leaderboard.js';
import { catalogue, findCert, findService, tipForCaller } from '../services/lookup.js';
import { clearExam, setExam, showExam } from '../services/exam.js';
import { discardMock, startMock } from '../services/mock.js';
import { practiceQuestion } from '../services/quiz.js';
import { nextReview, readinessFor, studyExam } from '../services/reviews.js';
import { settings } from '../services/settings.js';
import type { CommandSlack } from './command-slack.js';
import { presentAdminChange, presentAdminOverview, presentExport } from './presenters/admin.js';
import { presentSubscribe, presentUnsubscribe } from './presenters/channel.js';
import { presentDone, presentPause, presentResume, presentStart, presentStatus, presentStop } from './presenters/enrolment.js';
import { presentStandings } from './presenters/leaderboard.js';
import { presentCatalogue, presentLookup, presentTip } from './presenters/lookup.js';
import { presentMockStart } from './presenters/mock.js';
import { presentPracticeQuestion } from './presenters/quiz.js';
import { presentClearExam, presentReadiness, presentReviewStep, presentSetExam, presentShowExam } from './presenters/review.js';
import { ephemeral, type Reply } from './presenters/reply.js';
import { forgetMeConfirm, presentSettings } from './presenters/settings.js';
import { channelIntroView } from './views/channel.js';
import { helpView, usageErrorView } from './views/help.js';

type Route<N extends Command['name']> = (
  deps: StudyDeps,
  caller: Caller,
  command: Extract<Command, { name: N }>,
  slack: CommandSlack,
) => Promise<Reply> | Reply;

/**
 * Every `/aipath` subcommand: its use case, then its presenter. The grammar (domain/commands.ts) names
 * the subcommands; a new one is a grammar entry, a service function, a presenter and a line here. The few that
 * call Slack beyond their reply (an intro post, a file) do it here, through the request's own client.
 */
const ROUTES: { [N in Command['name']]: Route<N> } = {
  help: () => ephemeral(helpView()),
  tracks: (deps) => presentCatalogue(catalogue(deps)),
  start: async (deps, caller, c) => presentStart(await start(deps, caller, c.track)),
  status: async (deps, caller) => presentStatus(await status(deps, caller)),
  done: async (deps, caller, c) => presentDone(await done(deps, caller, c.week)),
  pause: async (deps, caller, c) => presentPause(await pause(deps, caller, c.snooze ? 'snooze' : c.days)),
  resume: async (deps, caller) => presentResume(await resume(deps, caller)),
  stop: async (deps, caller) => presentStop(await stop(deps, caller)),
  service: (deps, _caller, c) => presentLookup(findService(deps, c.query), 'service'),
  cert: (deps, caller, c) => presentLookup(findCert(deps, c.query, caller.now), 'cert'),
  tip: async (deps, caller, c) => presentTip(await tipForCaller(deps, caller, c.about)),
  quiz: async (deps, caller, c) => presentPracticeQuestion(await practiceQuestion(deps, caller, c)),
  review: async (deps, caller) => presentReviewStep(await nextReview(deps, caller, { allowNew: true })),
  readiness: async (deps, caller, c) => {
    const found = c.exam ? findCert(deps, c.exam, caller.now) : undefined;
    if (found?.kind === 'not-found') return presentLookup(found, 'cert');
    const cert = found?.cert ?? (await studyExam(deps, caller));
    return cert ? presentReadiness(await readinessFor(deps, caller, cert)) : presentReviewStep({ kind: 'no-exam' });
  },
  mock: async (deps, caller, c) => {
    const r = await startMock(deps, caller, c.exam);
    const step = r.kind === 'started' || r.kind === 'resumed' ? r.step : undefined;
    return presentMockStart(
      r,
      // An exam whose first question Slack would not deliver is taken back, so trying again starts afresh.
      r.kind === 'started' ? () => discardMock(deps, caller, r.step.mock.id) : undefined,
      // The message its question went out as is kept: the end of the exam's time closes it.
      step?.kind === 'question' ? ({ channel, ts }) => deps.store.mocks.setMessage(step.mock.id, channel, ts) : undefined,
    );
  },
  exam: async (deps, caller, c) => {
    if (c.action === 'set') return presentSetExam(await setExam(deps, caller, c.exam, c.date));
    if (c.action === 'clear') return presentClearExam(await clearExam(deps, caller));
    return presentShowExam(await showExam(deps, caller));
  },
  leaderboard: async (deps, caller, c) => presentStandings(await standings(deps, caller, c.period)),
  subscribe: async (deps, caller, c, slack) => {
    const r = await subscribe(deps, caller, c);
    if (r.kind !== 'subscribed' || r.again) return presentSubscribe(r);
    const intro = await slack.post(r.channel, channelIntroView(r));
    // A channel aipath cannot post in at all is not kept: its first tip would only pause it.
    if (!intro.ok && intro.kind === 'target') await withdrawSubscription(deps, caller);
    return presentSubscribe(r, intro);
  },
  unsubscribe: async (deps, caller) => presentUnsubscribe(await unsubscribe(deps, caller)),
  admin: async (deps, caller, c, slack) => {
    if (c.action === 'overview') return presentAdminOverview(await adminOverview(deps, caller));
    if (c.action !== 'export') return presentAdminChange(await changeWorkspaceSetting(deps, caller, c));
    const r = await workspaceExport(deps, caller);
    if (r.kind !== 'export') return presentExport(r);
    // A DM to the admin: a file shared in a channel is visible to all its members, and uploads cannot be ephemeral.
    const upload = await slack.uploadToDm(caller.userId, {
      filename: r.filename,
      title: r.title,
      content: r.csv,
      comment: `aipath export: ${r.learners} learners, their enrolments, progress and points.`,
    });
    return presentExport(r, upload);
  },
  settings: async (deps, caller, c) => presentSettings(await settings(deps, caller, c)),
  'forget-me': () => forgetMeConfirm(),
};

/** Subcommands after which the caller's Home tab is out of date. */
const CHANGES_HOME = new Set<Command['name']>(['start', 'done', 'pause', 'resume', 'stop', 'settings', 'exam']);

export async function runCommand(deps: StudyDeps, caller: Caller, command: Command, slack: CommandSlack): Promise<Reply> {
  const route = ROUTES[command.name] as Route<Command['name']>;
  const reply = await route(deps, caller, command, slack);
  return CHANGES_HOME.has(command.name) ? { ...reply, refreshHome: true } : reply;
}

/** `/aipath <text>`: invalid input gets usage help and touches nothing. */
export async function answerCommandText(deps: StudyDeps, caller: Caller, text: string, slack: CommandSlack): Promise<Reply> {
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    const reply = usageErrorView(parsed.message, parsed.usage);
    if (!parsed.usage) reply.blocks.push(...helpView().blocks.slice(3));
    return ephemeral(reply);
  }
  return runCommand(deps, caller, parsed.command, slack);
}
