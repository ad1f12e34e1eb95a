// C.6 — Log aggregation: answer questions about a service from its JSON log lines, one line at a time.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

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

function parseRecord(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as LogRecord;
}

/** The UTC minute of a timestamp, 'YYYY-MM-DDTHH:MM', or undefined when it cannot be read. */
function utcMinute(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(0, 16);
}

export async function aggregateLines(lines: AsyncIterable<string> | Iterable<string>, options: AggregateOptions = {}): Promise<LogReport> {
  const slowMs = options.slowMs ?? 100;
  const keep = options.keep ?? 100;
  const report: LogReport = {
    lines: 0,
    skipped: { blank: 0, invalid: 0 },
    requestsPerPath: {},
    errorCount: 0,
    errors: [],
    slowCount: 0,
    slowRequests: [],
    errorsPerMinute: {},
  };

  for await (const line of lines) {
    report.lines += 1;
    if (line.trim() === '') {
      report.skipped.blank += 1;
      continue;
    }
    const record = parseRecord(line);
    if (!record) {
      report.skipped.invalid += 1;
      continue;
    }

    if (typeof record.path === 'string') {
      report.requestsPerPath[record.path] = (report.requestsPerPath[record.path] ?? 0) + 1;
    }

    if (typeof record.level === 'string' && record.level.toUpperCase() === 'ERROR') {
      report.errorCount += 1;
      if (report.errors.length < keep) report.errors.push(record);
      const minute = utcMinute(record.timestamp);
      if (minute !== undefined) report.errorsPerMinute[minute] = (report.errorsPerMinute[minute] ?? 0) + 1;
    }

    if (typeof record.duration_ms === 'number' && record.duration_ms > slowMs) {
      report.slowCount += 1;
      if (report.slowRequests.length < keep) report.slowRequests.push(record);
    }
  }
  return report;
}

export async function aggregateLogFile(file: string, options: AggregateOptions = {}): Promise<LogReport> {
  const input = createReadStream(file, { encoding: 'utf8' });
  // crlfDelay: Infinity reads "\r\n" as one line break, so Windows line endings give no extra blank lines.
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    return await aggregateLines(lines, options);
  } finally {
    lines.close();
    input.destroy();
  }
}
