/** Structured fields of one log line. Never put secrets here: keys, tokens, passwords, Authorization headers. */
export type LogFields = Record<string, unknown>;

/** One JSON line per event. Injected: the Node entry writes to stdout, tests capture. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

type Level = 'info' | 'warn' | 'error';

/** A logger that writes one JSON object per line through `write`. */
export function createJsonLogger(write: (line: string) => void, base: LogFields = {}): Logger {
  const log = (level: Level, message: string, fields?: LogFields) =>
    write(JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...base, ...fields }));
  return {
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createJsonLogger((line) => lines.push(line)),
    { lines },
  );
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
