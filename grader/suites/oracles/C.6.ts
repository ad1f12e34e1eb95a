// The grader's own log aggregation for C.6: a plain, independent answer that the learner's report is
// compared with on generated log lines.
export interface OracleOptions {
  slowMs?: number;
  keep?: number;
}

export interface OracleReport {
  lines: number;
  skipped: { blank: number; invalid: number };
  requestsPerPath: Record<string, number>;
  errorCount: number;
  errors: Array<Record<string, unknown>>;
  slowCount: number;
  slowRequests: Array<Record<string, unknown>>;
  errorsPerMinute: Record<string, number>;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** 'YYYY-MM-DDTHH:MM' in UTC for a string Date.parse can read; undefined for anything else. */
export function utcMinuteOf(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const ms = Date.parse(timestamp);
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

/** The lines of a file's text as Node's readline gives them (crlfDelay: Infinity): "\r\n", "\n" and
 * a lone "\r" each end a line; a break at the very end starts no new line. */
export function linesOfText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(text)) lines.pop();
  return lines;
}

export function aggregateOracle(lines: readonly string[], options: OracleOptions = {}): OracleReport {
  const slowMs = options.slowMs ?? 100;
  const keep = options.keep ?? 100;
  const perPath = new Map<string, number>();
  const perMinute = new Map<string, number>();
  const report: OracleReport = { lines: lines.length, skipped: { blank: 0, invalid: 0 }, requestsPerPath: {}, errorCount: 0, errors: [], slowCount: 0, slowRequests: [], errorsPerMinute: {} };
  for (const line of lines) {
    if (/^\s*$/.test(line)) {
      report.skipped.blank += 1;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      report.skipped.invalid += 1;
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      report.skipped.invalid += 1;
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.path === 'string') perPath.set(record.path, (perPath.get(record.path) ?? 0) + 1);
    if (typeof record.level === 'string' && /^error$/i.test(record.level)) {
      report.errorCount += 1;
      if (report.errors.length < keep) report.errors.push(record);
      const minute = utcMinuteOf(record.timestamp);
      if (minute) perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    if (typeof record.duration_ms === 'number' && record.duration_ms > slowMs) {
      report.slowCount += 1;
      if (report.slowRequests.length < keep) report.slowRequests.push(record);
    }
  }
  report.requestsPerPath = Object.fromEntries(perPath);
  report.errorsPerMinute = Object.fromEntries(perMinute);
  return report;
}
