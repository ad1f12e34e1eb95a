// C.1 — A structured logger: one JSON object per line, so that logs can be searched by field.
// Lesson: lessons/C-intermediate-practice.md, "C.1 Structured JSON logs". Grade: npm run grade -- C.1
export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'] as const;
export type Level = (typeof LEVELS)[number];

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warning(message: string, fields?: Fields): void;
  /** An `error` field holding an Error is written as `exception` (its stack). */
  error(message: string, fields?: Fields): void;
}

export interface LoggerOptions {
  /** Written as the `logger` field, e.g. "app" or "app.alerting". */
  name: string;
  /** Lines below this level are not written. Default INFO. */
  level?: Level;
  /** Where lines go. Default process.stdout. */
  stream?: { write(line: string): unknown };
  /** The clock, for tests. Default () => new Date(). */
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stdout;
  // TODO(C.1): this logger works, but writes plain text that no tool can search by field.
  // Make each call write ONE line holding a JSON object with:
  //   timestamp (ISO-8601, from options.now), level, logger (options.name), message,
  //   every extra field passed in, and for an `error` field holding an Error: `exception` = its stack.
  // Skip calls below options.level (default INFO), in the order of LEVELS.
  const write = (level: Level, message: string, fields: Fields = {}): void => {
    stream.write(`${level} ${options.name}: ${message} ${Object.keys(fields).length ? JSON.stringify(fields) : ''}\n`);
  };
  return {
    debug: (message, fields) => write('DEBUG', message, fields),
    info: (message, fields) => write('INFO', message, fields),
    warning: (message, fields) => write('WARNING', message, fields),
    error: (message, fields) => write('ERROR', message, fields),
  };
}
