/**
 * The member's logger: one line per event, `<ISO time> <LEVEL> [<component>] <message>`,
 * on stderr (zk-server keeps stdout free for a `--report` stream). Components take a
 * `Logger` so tests can capture or silence it.
 */
import type { LogLevel } from '../config/server-config.js';

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Whether debug lines are kept (lets hot paths skip building them). */
  readonly debugEnabled: boolean;
  /** A logger for a sub-component, `[server]` → `[server/conn]`. */
  child(component: string): Logger;
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const LABEL: Record<LogLevel, string> = { error: 'ERROR', warn: 'WARN ', info: 'INFO ', debug: 'DEBUG' };

/** Writes formatted lines through `write` (stderr by default). */
export function createLogger(
  level: LogLevel,
  component = 'zk-server',
  write: (line: string) => void = (line) => void process.stderr.write(line),
  clock: () => Date = () => new Date(),
): Logger {
  const max = RANK[level];
  const emit = (l: LogLevel, message: string) => {
    if (RANK[l] > max) return;
    // Keep one event per line even when a message carries a newline (e.g. a client string).
    write(`${clock().toISOString()} ${LABEL[l]} [${component}] ${message.replace(/\r?\n/g, ' | ')}\n`);
  };
  return {
    error: (m) => emit('error', m),
    warn: (m) => emit('warn', m),
    info: (m) => emit('info', m),
    debug: (m) => emit('debug', m),
    debugEnabled: max >= RANK.debug,
    child: (sub) => createLogger(level, `${component}/${sub}`, write, clock),
  };
}

/** Discards everything (unit tests). */
export const SILENT_LOGGER: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  debugEnabled: false,
  child: () => SILENT_LOGGER,
};

/** Keeps lines in memory (tests that assert on log output). */
export function memoryLogger(lines: string[] = [], level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const logger = createLogger(level, 'test', (line) => void lines.push(line.trimEnd()), () => new Date(0));
  return Object.assign(logger, { lines });
}
