// The structured JSON logger (from C.1): one JSON object per line, so that logs can be searched by field.
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
  const threshold = LEVELS.indexOf(options.level ?? 'INFO');
  if (threshold < 0) throw new RangeError(`createLogger: unknown level ${String(options.level)}; use one of ${LEVELS.join(', ')}`);
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? (() => new Date());

  const write = (level: Level, message: string, fields: Fields = {}): void => {
    if (LEVELS.indexOf(level) < threshold) return;
    const { error, ...extra } = fields;
    const record: Fields = {
      ...extra,
      timestamp: now().toISOString(),
      level,
      logger: options.name,
      message,
    };
    if (error instanceof Error) record.exception = error.stack ?? `${error.name}: ${error.message}`;
    else if (error !== undefined) record.error = error;
    stream.write(`${JSON.stringify(record)}\n`);
  };

  return {
    debug: (message, fields) => write('DEBUG', message, fields),
    info: (message, fields) => write('INFO', message, fields),
    warning: (message, fields) => write('WARNING', message, fields),
    error: (message, fields) => write('ERROR', message, fields),
  };
}
