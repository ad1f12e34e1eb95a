// C.6 — Log aggregation: answer questions about a service from its JSON log lines, one line at a time.
// Lesson: lessons/C-intermediate-practice.md, "C.6 Log aggregation". Grade: npm run grade -- C.6
//
// The jq one-liners of the lesson, written in TypeScript: requests per path, the errors, the slow
// requests, errors per minute. A log file can be far bigger than memory, so read it as a stream, one
// line at a time, and never let one bad line stop the report.

/** One parsed log line: a JSON object with any fields. */
export interface LogRecord {
  [key: string]: unknown;
}

export interface AggregateOptions {
  /** A request is slow when its numeric duration_ms is strictly greater than this. Default 100. */
  slowMs?: number;
  /** How many example records to keep in `errors` and `slowRequests` (the first ones, in file order). Default 100. */
  keep?: number;
}

export interface LogReport {
  /** Every line read, blank ones included. */
  lines: number;
  /** Lines that were not records: blank (or whitespace only); invalid (not JSON, truncated, or JSON that is not an object). */
  skipped: { blank: number; invalid: number };
  /** How many records have each `path` (records with a string `path` only). */
  requestsPerPath: Record<string, number>;
  /** Records whose `level` is "ERROR", in any case. */
  errorCount: number;
  /** The first `keep` of them, in file order. */
  errors: LogRecord[];
  /** Records whose `duration_ms` is a number greater than `slowMs`. */
  slowCount: number;
  /** The first `keep` of them, in file order. */
  slowRequests: LogRecord[];
  /** ERROR records per UTC minute, keyed 'YYYY-MM-DDTHH:MM'; records without a parseable timestamp are left out. */
  errorsPerMinute: Record<string, number>;
}

export async function aggregateLines(lines: AsyncIterable<string> | Iterable<string>, options: AggregateOptions = {}): Promise<LogReport> {
  // TODO(C.6): go through `lines` once (`for await (const line of lines)` works for both kinds) and
  // build the LogReport:
  //   - count every line in `lines`; a blank (or whitespace-only) line is skipped.blank;
  //   - JSON.parse each other line; when that throws, or the value is not an object (42, "x", null,
  //     an array), count it in skipped.invalid and go on: never let it throw;
  //   - a string `path` counts in requestsPerPath;
  //   - `level` "ERROR" in any case counts in errorCount; keep the first options.keep (default 100)
  //     in `errors`, and count it in errorsPerMinute under its UTC minute 'YYYY-MM-DDTHH:MM' when its
  //     timestamp can be parsed (Date.parse); a timestamp like 10:00:30+02:00 is 08:00 UTC;
  //   - a numeric `duration_ms` strictly greater than options.slowMs (default 100) counts in
  //     slowCount; keep the first options.keep in `slowRequests`.
  void lines;
  void options;
  throw new Error('TODO(C.6): aggregateLines is not written yet (exercises/C/log-aggregation.ts)');
}

export async function aggregateLogFile(file: string, options: AggregateOptions = {}): Promise<LogReport> {
  // TODO(C.6): stream the file: fs.createReadStream(file) into readline's createInterface (with
  // crlfDelay: Infinity, so that "\r\n" is one line break) gives an async iterable of lines; pass it
  // to aggregateLines. Do not read the whole file into memory (no fs.readFile): log files get big.
  void file;
  void options;
  throw new Error('TODO(C.6): aggregateLogFile is not written yet (exercises/C/log-aggregation.ts)');
}
