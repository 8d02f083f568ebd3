import type { LogLevel, Logger } from '@slack/bolt';
import type { LogLevelName } from './config.js';

const ORDER: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_PATTERN = /\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g;

/** Removes anything shaped like a Slack token, wherever it hides in a log line. */
export function redact(text: string): string {
  return text.replace(SECRET_PATTERN, '$1[redacted]');
}

function format(value: unknown): string {
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export interface AppLogger extends Logger {
  child(name: string): AppLogger;
}

/** A Bolt-compatible logger writing one redacted line per record to stderr (stdout is the console's). */
export function createLogger(level: LogLevelName, name = 'aipath', write: (line: string) => void = (l) => process.stderr.write(l)): AppLogger {
  let current: LogLevelName = level;
  let currentName = name;
  const emit = (at: LogLevelName, msgs: unknown[]) => {
    if (ORDER[at] < ORDER[current]) return;
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} [${currentName}] ${msgs.map(format).join(' ')}`;
    write(`${redact(line)}\n`);
  };
  return {
    debug: (...m: unknown[]) => emit('debug', m),
    info: (...m: unknown[]) => emit('info', m),
    warn: (...m: unknown[]) => emit('warn', m),
    error: (...m: unknown[]) => emit('error', m),
    setLevel: (l: LogLevel) => {
      current = l as LogLevelName;
    },
    getLevel: () => current as LogLevel,
    setName: (n: string) => {
      currentName = n;
    },
    child: (n: string) => createLogger(current, `${currentName}:${n}`, write),
  };
}
