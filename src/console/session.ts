import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DateTime } from 'luxon';
import type { Config } from '../config.js';
import type { AppLogger } from '../log.js';
import { buildContainer, deliveryGateway } from '../container.js';
import type { Clock } from '../shared/clock.js';
import { formatSummary } from '../scheduler/cron.js';
import { createReceiverApp, registerListeners } from '../slack/bolt-app.js';
import { FakeSlack, type RecordedCall } from './fake-slack.js';
import { ConsoleReceiver } from './receiver.js';
import { isQuizSubmit } from '../slack/action-ids.js';
import { renderBlocks, mrkdwnToText, type RenderedButton, type RenderedPicker } from './render.js';

export interface ConsoleOptions {
  config: Config;
  logger: AppLogger;
  input: Readable;
  output: Writable;
  user: string;
  team: string;
  channel: string;
  tz?: string;
  admin: boolean;
  /** Where the fake clock starts; it then runs on in real time until `:time` moves it. */
  startAt?: Date;
  ansi?: boolean;
  /** Which practice question `/aipath quiz` draws (tests pin it; default Math.random). */
  random?: () => number;
}

const CONSOLE_HELP = [
  'Type /aipath commands as in Slack, e.g. /aipath help',
  'Console commands:',
  '  :click N            press button N of the last message shown',
  '  :answer A C | B A D C  answer the last quiz with pickers: ticked letters, or a letter per position or item',
  '  :time <ISO-8601>    move the clock there and run what is due, e.g. :time 2026-11-23T09:00',
  '  :tick               run one scheduler pass now',
  '  :home               open the Home tab',
  '  :user <U…> [admin]  act as another user',
  '  :channel <C…>       type in another channel',
  '  :help               this list;  :quit  leave (or end of input)',
];

/** The local shell adapter: one fake user in a fake workspace, driving the real Bolt app. */
export async function runConsole(o: ConsoleOptions): Promise<void> {
  const ansi = o.ansi ?? false;
  const print = (...lines: string[]) => o.output.write(`${lines.join('\n')}\n`);
  const fake = await new FakeSlack().start();
  fake.teamId = o.team;
  fake.defaultTz = o.tz ?? o.config.defaultTimezone;
  let user = o.user;
  let channel = o.channel;
  fake.users.set(user, { id: user, is_admin: o.admin });

  let offsetMs = o.startAt ? o.startAt.getTime() - Date.now() : 0;
  // The console's time runs on from where `:time` last put it.
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  // The same wiring as Slack mode, with the local fake Web API standing in for Slack.
  const container = await buildContainer(o.config, {
    logger: o.logger,
    clock,
    random: o.random,
    slack: deliveryGateway('xoxb-console-local', fake.url, o.logger),
  });
  const { scheduler } = container;
  const receiver = new ConsoleReceiver();
  const bolt = createReceiverApp({ botToken: 'xoxb-console-local', receiver, slackApiUrl: fake.url, logger: o.logger });
  registerListeners(bolt, container.slackDeps);
  await bolt.start();

  /**
   * The buttons of the last message shown (none before the first message): what `:click N` presses.
   * An edit of an earlier message (a quiz's count, a closed quiz) is shown but does not take their place.
   */
  let buttons: RenderedButton[] | undefined;
  let quiz: { pickers: RenderedPicker[]; submit: RenderedButton } | undefined;
  /**
   * The message those buttons are on when it is one a conversation keeps (posted with chat.postMessage), so a click
   * names it as Slack does and an edit of it in place (a practice exam's next question) brings its new buttons;
   * undefined for an ephemeral reply or the Home tab.
   */
  let current: { channel: string; ts: string } | undefined;
  /** Whether the request being handled posted a message (a practice exam's question in the DM, before the reply). */
  let postedNow = false;
  /**
   * A reply only the user sees (in the acknowledgement or by response_url). One that points to a message the same
   * request just posted and has no buttons of its own ("your practice exam is in your DMs") leaves :click on that message.
   */
  const showReply = (payload: { text?: unknown; blocks?: unknown }) => {
    const pointer = postedNow && renderBlocks(Array.isArray(payload.blocks) ? payload.blocks : [], { ansi }).buttons.length === 0;
    show('aipath (only visible to you)', payload, pointer);
    if (!pointer) current = undefined;
  };
  const show = (title: string, payload: { text?: unknown; blocks?: unknown }, edit = false) => {
    const blocks = Array.isArray(payload.blocks) ? payload.blocks : [];
    const r = renderBlocks(blocks, { ansi });
    print(`┌ ${title}`, ...(blocks.length ? r.lines : [mrkdwnToText(String(payload.text ?? ''), ansi)]).map((l) => `│ ${l}`), '└');
    if (edit) return;
    buttons = r.buttons;
    const submit = r.buttons.find((b) => isQuizSubmit(b.actionId));
    if (r.pickers.length && submit) {
      quiz = { pickers: r.pickers, submit };
      print('  (answer with :answer and the letters, e.g. :answer A C, or one letter per position or item)');
    }
  };
  const where = (channel: unknown) => (String(channel).startsWith('D') ? 'DM' : `#${String(channel)}`);
  fake.on('call', (call: RecordedCall) => {
    const p = call.params;
    if (call.method === 'chat.postMessage') {
      show(`posted in ${where(p.channel)}`, p);
      postedNow = true;
      const ts = (call.response as { ts?: unknown } | undefined)?.ts;
      current = typeof ts === 'string' ? { channel: String(p.channel), ts } : undefined;
    }
    // An edit is shown again as it now reads: of the message whose buttons are current (a practice exam's next
    // question), with its new buttons; of an earlier one (a quiz's answer count, a closed quiz), leaving them be.
    else if (call.method === 'chat.update') {
      const inPlace = current !== undefined && current.channel === p.channel && current.ts === p.ts;
      show(`updated in ${where(p.channel)}`, p, !inPlace);
    } else if (call.method === 'response_url') showReply(p);
    else if (call.method === 'views.publish') {
      show('Home tab', (p.view ?? {}) as { blocks?: unknown });
      current = undefined;
    } else if (call.method === 'files.completeUploadExternal') {
      for (const f of Array.isArray(p.files) ? (p.files as { id?: string; title?: string }[]) : []) {
        const file = fake.files.get(String(f.id));
        // The call is shown as it arrives, before the fake Web API answers it: the file's bytes are there already.
        if (file?.content) show(`file sent to ${where(p.channel_id)}`, { text: `📎 ${file.filename} (${file.content.length} bytes)` });
      }
    }
  });

  const ids = () => ({ team_id: o.team, user_id: user, channel_id: channel });
  /** A button press as Slack sends it, with the pickers' state when there is one. */
  const press = (b: RenderedButton, state?: Record<string, unknown>) =>
    dispatch({
      type: 'block_actions',
      team: { id: o.team },
      user: { id: user, team_id: o.team },
      channel: { id: current?.channel ?? channel },
      container: current
        ? { type: 'message', channel_id: current.channel, message_ts: current.ts, is_ephemeral: false }
        : { type: 'message', is_ephemeral: true },
      api_app_id: 'A0AIPATH1',
      trigger_id: `console.${interactions}`,
      response_url: `${fake.responseUrlBase}${interactions}`,
      actions: [{ type: 'button', action_id: b.actionId, block_id: b.blockId ?? 'b', value: b.value, action_ts: String(clock.now().getTime() / 1000) }],
      ...(state ? { state } : {}),
    });
  // A listener returns once it has acknowledged; what it handed on (the answer, a Home refresh) is shown before the
  // next line is read.
  const dispatch = async (body: Record<string, unknown>) => {
    postedNow = false;
    await receiver.dispatch(body, (response) => {
      if (response && typeof response === 'object') showReply(response as { blocks?: unknown });
      else if (typeof response === 'string') show('aipath', { text: response });
    });
    await container.slackDeps.inFlight.idle();
  };

  print('aipath console: a local workspace with a fake clock. Type /aipath help, or :help for console commands.');
  print(
    `You are ${user}${o.admin ? ' (a workspace admin; --member for a learner without admin rights)' : ''} in #${channel}; the time is ${DateTime.fromJSDate(clock.now(), { zone: fake.defaultTz }).toFormat('ccc d LLL yyyy HH:mm ZZZZ')}.`,
  );
  let interactions = 0;
  const rl = createInterface({ input: o.input, terminal: false });
  try {
    for await (const rawLine of rl) {
      const line = rawLine.trim();
      if (line === '') continue;
      if (ansi) print(`> ${line}`);
      interactions += 1;
      const [word = '', ...args] = line.split(/\s+/);
      try {
        if (word === '/aipath') {
          const text = line.slice('/aipath'.length).trim();
          await dispatch({
            ...ids(),
            command: '/aipath',
            text,
            response_url: `${fake.responseUrlBase}${interactions}`,
            trigger_id: `console.${interactions}`,
            api_app_id: 'A0AIPATH1',
          });
        } else if (word === ':click') {
          const n = Number(args[0]);
          const b = buttons?.[n - 1];
          if (!b) {
            if (!buttons) print('There are no buttons to press yet.');
            else if (buttons.length === 0) print('The last message has no buttons; :click N presses button N of the last message shown.');
            else print(`There is no button ${args[0] ?? ''}; choose 1 to ${buttons.length}.`);
            continue;
          }
          await press(b);
        } else if (word === ':answer') {
          if (!quiz) {
            print('There is no quiz with pickers to answer yet; single-choice quizzes are answered with :click.');
            continue;
          }
          const state = pickerState(
            quiz.pickers,
            args.map((a) => a.toUpperCase()),
          );
          if (typeof state === 'string') {
            print(state);
            continue;
          }
          await press(quiz.submit, state);
        } else if (word === ':time' || word === ':tick') {
          if (word === ':time') {
            const target = DateTime.fromISO(args.join('T'), { zone: fake.defaultTz });
            if (!target.isValid) {
              print('Give the time as ISO-8601, e.g. :time 2026-11-23T09:00 (read in your timezone) or 2026-11-23T09:00Z.');
              continue;
            }
            offsetMs = target.toMillis() - Date.now();
            print(`⏱ the clock is now ${target.toFormat('ccc d LLL yyyy HH:mm ZZZZ')}`);
          }
          const summary = await scheduler.tick(clock.now());
          print(`scheduler: ${formatSummary(summary)}`);
        } else if (word === ':home') {
          await dispatch({
            type: 'event_callback',
            team_id: o.team,
            api_app_id: 'A0AIPATH1',
            event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: '1' },
            event_id: `Ev${interactions}`,
            event_time: 1,
          });
        } else if (word === ':user' && /^[UW][A-Z0-9]{2,}$/.test(args[0] ?? '')) {
          user = args[0]!;
          fake.users.set(user, { id: user, is_admin: args[1] === 'admin' });
          print(`You are now ${user}${args[1] === 'admin' ? ' (workspace admin)' : ''}.`);
        } else if (word === ':channel' && /^[CGD][A-Z0-9]{2,}$/.test(args[0] ?? '')) {
          channel = args[0]!;
          print(`You are now typing in #${channel}.`);
        } else if (word === ':quit' || word === ':q') {
          break;
        } else {
          print(...CONSOLE_HELP);
        }
      } catch (err) {
        o.logger.error('console command failed', err);
        print(`Something went wrong: ${(err as Error).message}`);
      }
    }
  } finally {
    rl.close();
    await scheduler.stop();
    await bolt.stop();
    // The container first: its profile refreshes under way call the fake Slack, which must still answer them.
    await container.close();
    await fake.stop();
  }
}

/**
 * The pickers' state Slack would send for letters typed at the console: the ticked letters of a
 * checkbox group, or one letter per menu in order. A string is a message for the user instead.
 */
function pickerState(pickers: RenderedPicker[], letters: string[]): Record<string, unknown> | string {
  const optionValue = (p: RenderedPicker, letter: string) => p.options.find((o) => o.label.startsWith(`${letter}.`))?.value;
  const values: Record<string, Record<string, unknown>> = {};
  const put = (p: RenderedPicker, state: unknown) => {
    values[p.blockId ?? 'b'] = { ...values[p.blockId ?? 'b'], [p.actionId]: state };
  };
  const [first] = pickers;
  if (first?.kind === 'checkboxes') {
    const chosen = letters.map((l) => optionValue(first, l));
    if (letters.length === 0 || chosen.includes(undefined))
      return `Tick options by letter, e.g. :answer A C (letters ${first.options.map((o) => o.label[0]).join(' ')}).`;
    put(first, { type: 'checkboxes', selected_options: chosen.map((value) => ({ value })) });
    return { values };
  }
  if (letters.length !== pickers.length)
    return `Give one letter for each of the ${pickers.length} menus, in order, e.g. :answer ${pickers.map((_, i) => 'ABCDE'[i]).join(' ')}.`;
  for (const [i, p] of pickers.entries()) {
    const value = optionValue(p, letters[i]!);
    if (value === undefined) return `There is no ${letters[i]} to choose; use the letters shown above the menus.`;
    put(p, { type: 'static_select', selected_option: { value } });
  }
  return { values };
}
