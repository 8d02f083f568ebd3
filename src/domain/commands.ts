import { z } from 'zod';
import { closest } from './text.js';
import { canonicalZone } from './timezone.js';
import { parseClockTime } from './plan.js';

export interface CommandInfo {
  name: string;
  usage: string;
  example: string;
  summary: string;
  admin?: boolean;
}

/** Every /aipath subcommand, in the order help lists them. */
export const COMMANDS: readonly CommandInfo[] = [
  { name: 'help', usage: 'help', example: '/aipath help', summary: 'What aipath does and every command' },
  { name: 'tracks', usage: 'tracks', example: '/aipath tracks', summary: 'The study tracks, who each is for, length and target exams' },
  { name: 'start', usage: 'start <track>', example: '/aipath start devops', summary: 'Join a track (your progress in other tracks is kept)' },
  { name: 'status', usage: 'status', example: '/aipath status', summary: 'Your week, milestone, progress, streak and next nudge' },
  { name: 'done', usage: 'done [week]', example: '/aipath done 2', summary: "Mark this week's milestone done, or a past week's to catch up" },
  { name: 'pause', usage: 'pause [days]', example: '/aipath pause 7', summary: 'Pause your nudges, for good or for some days' },
  { name: 'resume', usage: 'resume', example: '/aipath resume', summary: 'Resume your nudges' },
  { name: 'stop', usage: 'stop', example: '/aipath stop', summary: 'Leave your track (history is kept)' },
  {
    name: 'service',
    usage: 'service <name or topic>',
    example: '/aipath service vector database',
    summary: 'An AWS service card (when to pick it, exam relevance, docs), or the services behind a topic such as RAG',
  },
  { name: 'cert', usage: 'cert <exam>', example: '/aipath cert aip-c01', summary: 'A certification card: domains, format, status, prep' },
  {
    name: 'tip',
    usage: 'tip [exam|service]',
    example: '/aipath tip bedrock',
    summary: "An exam tip: for your track's current exam, or for the exam or service you name",
  },
  {
    name: 'quiz',
    usage: 'quiz [exam] [domain]',
    example: '/aipath quiz aip-c01 2',
    summary:
      "A practice question just for you: your track's current exam, or the exam and domain you name (up to 10 right answers a day score points; practice beyond still trains your reviews)",
  },
  {
    name: 'review',
    usage: 'review',
    example: '/aipath review',
    summary: 'Your due reviews (the questions you are about to forget), then new questions where you gain most',
  },
  {
    name: 'readiness',
    usage: 'readiness [exam]',
    example: '/aipath readiness aif-c01',
    summary: 'How ready you are for an exam, domain by domain',
  },
  {
    name: 'mock',
    usage: 'mock [exam]',
    example: '/aipath mock aif-c01',
    summary: "A timed practice exam in your DM with aipath: the exam's length drawn by domain weight, no feedback until the end, then a score by domain",
  },
  {
    name: 'exam',
    usage: 'exam [<exam> <YYYY-MM-DD> | clear]',
    example: '/aipath exam aif-c01 2027-02-15',
    summary: 'Set the exam you are studying for and its date, to plan back from it',
  },
  { name: 'leaderboard', usage: 'leaderboard [week|month|all]', example: '/aipath leaderboard week', summary: "This channel's study leaderboard" },
  {
    name: 'subscribe',
    usage: 'subscribe [HH:MM] [Area/City] [track]',
    example: '/aipath subscribe 09:30 Europe/London devops',
    summary:
      'Daily tip and quiz in this channel (default 09:00 in your timezone, every track); again to change the time, zone or track (`all`: every track), keeping what you leave out',
    admin: true,
  },
  { name: 'unsubscribe', usage: 'unsubscribe', example: '/aipath unsubscribe', summary: 'Stop posting in this channel', admin: true },
  {
    name: 'admin',
    usage: 'admin [export | tz <Area/City> | mentions on|off | weekends on|off]',
    example: '/aipath admin',
    summary:
      "Every subscribed channel, learners and the install at a glance; `export` DMs you a CSV of enrolments, progress and points; `tz` sets the workspace's default timezone; `mentions` the Monday recap's @-mentions; `weekends` the channel posts on Saturdays and Sundays",
    admin: true,
  },
  {
    name: 'settings',
    usage: 'settings [time HH:MM | tz <Area/City> | leaderboard on|off | reviews on|off | days all|weekdays]',
    example: '/aipath settings tz America/New_York',
    summary: 'Your nudge time, timezone, leaderboard visibility, review reminders and study days (weekdays: weekends never break your streak)',
  },
  { name: 'forget-me', usage: 'forget-me', example: '/aipath forget-me', summary: 'Delete everything aipath stores about you' },
];

export type Period = 'week' | 'month' | 'all';

export type Command =
  | { name: 'help' }
  | { name: 'tracks' }
  | { name: 'start'; track: string }
  | { name: 'status' }
  | { name: 'done'; week?: number }
  /** `snooze`: skip exactly the next nudge (the "Snooze a week" button; not typed). */
  | { name: 'pause'; days?: number; snooze?: boolean }
  | { name: 'resume' }
  | { name: 'stop' }
  | { name: 'service'; query: string }
  | { name: 'cert'; query: string }
  | { name: 'tip'; about?: string }
  | { name: 'quiz'; exam?: string; domain?: number }
  | { name: 'review' }
  | { name: 'mock'; exam?: string }
  | { name: 'readiness'; exam?: string }
  | { name: 'exam'; action: 'show' }
  | { name: 'exam'; action: 'clear' }
  | { name: 'exam'; action: 'set'; exam: string; date: string }
  | { name: 'leaderboard'; period: Period }
  /** `allTracks`: back to tips from every track (`subscribe all`); a track left out otherwise keeps the channel's. */
  | { name: 'subscribe'; time?: string; tz?: string; track?: string; allTracks?: boolean }
  | { name: 'unsubscribe' }
  | { name: 'admin'; action: 'overview' }
  | { name: 'admin'; action: 'export' }
  | { name: 'admin'; action: 'tz'; value: string }
  | { name: 'admin'; action: 'mentions'; value: boolean }
  | { name: 'admin'; action: 'weekends'; value: boolean }
  | { name: 'settings'; setting: 'time'; value: string }
  | { name: 'settings'; setting: 'tz'; value: string }
  | { name: 'settings'; setting: 'leaderboard'; value: boolean }
  | { name: 'settings'; setting: 'reviews'; value: boolean }
  | { name: 'settings'; setting: 'days'; value: 'all' | 'weekdays' }
  | { name: 'settings'; setting: 'show' }
  | { name: 'forget-me' };

export type ParseResult = { ok: true; command: Command } | { ok: false; message: string; usage?: CommandInfo; suggestion?: string };

const MAX_TEXT = 500;
const info = (name: string) => COMMANDS.find((c) => c.name === name)!;
const fail = (name: string, message: string): ParseResult => ({ ok: false, message, usage: info(name) });

const TIME_EXAMPLE = 'Use 24-hour HH:MM, for example `09:00` or `17:30`.';
const TZ_EXAMPLE = 'Use an IANA timezone name such as `Europe/London`, `America/New_York` or `Asia/Kolkata`.';

const queryArg = z.string().trim().min(1).max(100);
const daysArg = z.coerce.number().int().min(1).max(365);
const weekArg = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .pipe(z.number().int().min(1));

/** Turns the text after `/aipath` into a command, or a friendly reason it is not one. */
export function parseCommand(raw: string): ParseResult {
  const text = raw.replace(/[\u200B-\u200D\uFEFF]/g, '').trim();
  if (text.length > MAX_TEXT)
    return { ok: false, message: `That is a very long command (${text.length} characters). Commands are short; try \`/aipath help\`.` };
  const [head = '', ...rest] = text.split(/\s+/);
  const sub = head.toLowerCase();
  const args = rest;
  const argText = rest.join(' ');

  switch (sub) {
    case '':
    case 'help':
    case '?':
      return { ok: true, command: { name: 'help' } };
    case 'tracks':
    case 'status':
    case 'resume':
    case 'stop':
    case 'review':
    case 'unsubscribe':
    case 'forget-me':
      if (args.length > 0) return fail(sub, `\`${sub}\` takes no arguments.`);
      return { ok: true, command: { name: sub } as Command };
    case 'tip': {
      if (args.length === 0) return { ok: true, command: { name: 'tip' } };
      const about = queryArg.safeParse(argText);
      return about.success
        ? { ok: true, command: { name: 'tip', about: about.data } }
        : fail('tip', 'Which exam or service? For example `/aipath tip bedrock`.');
    }
    case 'quiz':
      return parseQuiz(args);
    case 'start': {
      const track = queryArg.safeParse(argText);
      if (!track.success) return fail('start', 'Which track? For example `/aipath start devops`. See `/aipath tracks` for all of them.');
      return { ok: true, command: { name: 'start', track: track.data } };
    }
    case 'service':
    case 'cert': {
      const query = queryArg.safeParse(argText);
      if (!query.success)
        return fail(sub, sub === 'service' ? 'Which service? For example `/aipath service bedrock`.' : 'Which exam? For example `/aipath cert aip-c01`.');
      return { ok: true, command: { name: sub, query: query.data } };
    }
    case 'done': {
      // `done`, `done 3`, `done week 3`: which week exists is the use case's business.
      if (args.length === 0) return { ok: true, command: { name: 'done' } };
      const week = weekArg.safeParse(argText.replace(/^w(eek)?\s*/i, ''));
      if (!week.success) return fail('done', 'Give a week number, for example `/aipath done 2`, or nothing for this week.');
      return { ok: true, command: { name: 'done', week: week.data } };
    }
    case 'pause': {
      if (args.length === 0) return { ok: true, command: { name: 'pause' } };
      const days = daysArg.safeParse(args.length === 1 ? args[0]!.replace(/d(ays?)?$/i, '') : 'x');
      if (!days.success)
        return fail('pause', 'Pause takes a number of days from 1 to 365, for example `/aipath pause 7`, or nothing to pause until you resume.');
      return { ok: true, command: { name: 'pause', days: days.data } };
    }
    case 'leaderboard': {
      const period = (args[0] ?? 'week').toLowerCase();
      if (args.length > 1 || !['week', 'month', 'all'].includes(period))
        return fail('leaderboard', 'Choose `week`, `month` or `all`, for example `/aipath leaderboard month`.');
      return { ok: true, command: { name: 'leaderboard', period: period as Period } };
    }
    case 'readiness': {
      if (args.length === 0) return { ok: true, command: { name: 'readiness' } };
      const exam = queryArg.safeParse(argText);
      return exam.success
        ? { ok: true, command: { name: 'readiness', exam: exam.data } }
        : fail('readiness', 'Which exam? For example `/aipath readiness aif-c01`.');
    }
    case 'exam':
      return parseExam(args);
    case 'mock': {
      if (args.length === 0) return { ok: true, command: { name: 'mock' } };
      const exam = queryArg.safeParse(argText);
      return exam.success ? { ok: true, command: { name: 'mock', exam: exam.data } } : fail('mock', 'Which exam? For example `/aipath mock aif-c01`.');
    }
    case 'subscribe':
      return parseSubscribe(args);
    case 'admin':
      return parseAdmin(args);
    case 'settings':
      return parseSettings(args);
    default: {
      const suggestion = closest(
        sub,
        COMMANDS.map((c) => c.name),
      );
      return {
        ok: false,
        message: suggestion ? `I don't know \`${head.slice(0, 40)}\`. Did you mean \`/aipath ${suggestion}\`?` : `I don't know \`${head.slice(0, 40)}\`.`,
        suggestion,
      };
    }
  }
}

function parseSubscribe(args: string[]): ParseResult {
  const command: { name: 'subscribe'; time?: string; tz?: string; track?: string; allTracks?: boolean } = { name: 'subscribe' };
  for (const arg of args) {
    if (/^(all|every)$/i.test(arg) && !command.track && !command.allTracks) {
      command.allTracks = true;
      continue;
    }
    if (/^\d{1,2}:\d{2}$/.test(arg)) {
      const time = parseClockTime(arg);
      if (!time || command.time) return fail('subscribe', `\`${arg}\` is not a time I can use. ${TIME_EXAMPLE}`);
      command.time = time;
    } else if (arg.includes('/') || /^utc$/i.test(arg)) {
      const tz = canonicalZone(arg);
      if (!tz || command.tz) return fail('subscribe', `\`${arg.slice(0, 60)}\` is not a timezone I know. ${TZ_EXAMPLE}`);
      command.tz = tz;
    } else if (/^[a-z0-9-]{1,40}$/i.test(arg) && !command.track && !command.allTracks) {
      command.track = arg.toLowerCase();
    } else {
      return fail(
        'subscribe',
        `I can't read \`${arg.slice(0, 60)}\`. Give a time, a timezone and a track in any order, for example \`/aipath subscribe 09:30 Europe/London devops\`.`,
      );
    }
  }
  return { ok: true, command };
}

/** `admin`, `admin export`, `admin tz <Area/City>`, `admin mentions on|off`, `admin weekends on|off`. */
function parseAdmin(args: string[]): ParseResult {
  const [action = '', value = '', ...extra] = args;
  const usage =
    'Admin commands are `admin`, `admin export`, `admin tz <Area/City>`, `admin mentions on|off` and `admin weekends on|off`, for example `/aipath admin weekends off`.';
  if (action === '') return { ok: true, command: { name: 'admin', action: 'overview' } };
  if (extra.length > 0) return fail('admin', `One thing at a time. ${usage}`);
  switch (action.toLowerCase()) {
    case 'export':
      return value === '' ? { ok: true, command: { name: 'admin', action: 'export' } } : fail('admin', '`admin export` takes nothing after it.');
    case 'tz':
    case 'timezone': {
      const tz = canonicalZone(value);
      return tz
        ? { ok: true, command: { name: 'admin', action: 'tz', value: tz } }
        : fail('admin', `${value ? `\`${value.slice(0, 60)}\` is not a timezone I know.` : 'Which timezone?'} ${TZ_EXAMPLE}`);
    }
    case 'mentions':
    case 'weekends': {
      const which = action.toLowerCase() as 'mentions' | 'weekends';
      const v = value.toLowerCase();
      if (v !== 'on' && v !== 'off') return fail('admin', `Use \`on\` or \`off\`, for example \`/aipath admin ${which} off\`.`);
      return { ok: true, command: { name: 'admin', action: which, value: v === 'on' } };
    }
    default:
      return fail('admin', `I don't know \`admin ${action.slice(0, 40)}\`. ${usage}`);
  }
}

function parseSettings(args: string[]): ParseResult {
  const [setting = '', value = '', ...extra] = args;
  if (setting === '') return { ok: true, command: { name: 'settings', setting: 'show' } };
  if (extra.length > 0) return fail('settings', 'One setting at a time, for example `/aipath settings time 08:30`.');
  switch (setting.toLowerCase()) {
    case 'time': {
      const time = parseClockTime(value);
      return time
        ? { ok: true, command: { name: 'settings', setting: 'time', value: time } }
        : fail('settings', `That is not a time I can use. ${TIME_EXAMPLE}`);
    }
    case 'tz':
    case 'timezone': {
      const tz = canonicalZone(value);
      return tz ? { ok: true, command: { name: 'settings', setting: 'tz', value: tz } } : fail('settings', `That is not a timezone I know. ${TZ_EXAMPLE}`);
    }
    case 'days': {
      const v = value.toLowerCase();
      if (v !== 'all' && v !== 'weekdays')
        return fail('settings', 'Use `all` (every day counts) or `weekdays` (Monday to Friday), for example `/aipath settings days weekdays`.');
      return { ok: true, command: { name: 'settings', setting: 'days', value: v } };
    }
    case 'leaderboard':
    case 'reviews': {
      const which = setting.toLowerCase() as 'leaderboard' | 'reviews';
      const v = value.toLowerCase();
      if (v !== 'on' && v !== 'off') return fail('settings', `Use \`on\` or \`off\`, for example \`/aipath settings ${which} off\`.`);
      return { ok: true, command: { name: 'settings', setting: which, value: v === 'on' } };
    }
    default:
      return fail(
        'settings',
        'Settings are `time HH:MM`, `tz <Area/City>`, `leaderboard on|off`, `reviews on|off` and `days all|weekdays`, for example `/aipath settings time 08:30`.',
      );
  }
}

/** `exam` shows the target, `exam clear` removes it, `exam <exam> <YYYY-MM-DD>` sets it (the date is checked by the use case). */
function parseExam(args: string[]): ParseResult {
  if (args.length === 0) return { ok: true, command: { name: 'exam', action: 'show' } };
  if (args.length === 1 && /^(clear|none|remove)$/i.test(args[0]!)) return { ok: true, command: { name: 'exam', action: 'clear' } };
  const date = args.at(-1)!;
  const exam = args.slice(0, -1).join(' ');
  if (args.length < 2 || !queryArg.safeParse(exam).success)
    return fail('exam', 'Give the exam and its date, for example `/aipath exam aif-c01 2027-02-15`, or `/aipath exam clear`.');
  return { ok: true, command: { name: 'exam', action: 'set', exam, date } };
}

/** `quiz`, `quiz <exam>`, `quiz <exam> <domain>`, or `quiz <domain>` (of the learner's current exam). */
function parseQuiz(args: string[]): ParseResult {
  const domainArg = z.coerce.number().int().min(1).max(9);
  const usage = 'Name an exam and, if you like, one of its domains by number, for example `/aipath quiz aip-c01 2`.';
  if (args.length === 0) return { ok: true, command: { name: 'quiz' } };
  if (args.length === 1) {
    const domain = domainArg.safeParse(args[0]);
    if (domain.success) return { ok: true, command: { name: 'quiz', domain: domain.data } };
    const exam = queryArg.safeParse(args[0]);
    return exam.success ? { ok: true, command: { name: 'quiz', exam: exam.data } } : fail('quiz', usage);
  }
  const domain = domainArg.safeParse(args.at(-1));
  const exam = queryArg.safeParse(args.slice(0, -1).join(' '));
  return domain.success && exam.success ? { ok: true, command: { name: 'quiz', exam: exam.data, domain: domain.data } } : fail('quiz', usage);
}
