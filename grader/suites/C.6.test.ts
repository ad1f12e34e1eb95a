// C.6 — log aggregation over JSON log lines: a few hand-written files with exact counts as first
// examples, then the learner's report compared with the grader's own aggregation (oracles/C.6.ts) on
// log lines generated from the run's seed.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateLines, aggregateLogFile, type LogRecord, type LogReport } from '@target/C/log-aggregation.js';
import { makeWorkDir, removeDir } from '../paths.js';
import { mismatch, SEED } from './differential.js';
import { aggregateOracle, linesOfText, type OracleOptions, type OracleReport } from './oracles/C.6.js';
import { inShiftedZone, ZONE_NAME } from './oracles/local-zone.js';

// ---- Generated log lines --------------------------------------------------------------------------

/** How each field of a generated record varies: "tame" stays well-formed, "wild" brings the other
 * types and the edge cases that field's criterion is about. */
interface Shape {
  path?: 'tame' | 'wild';
  level?: 'tame' | 'wild' | 'errors';
  duration?: 'tame' | 'wild';
  timestamp?: 'tame' | 'wild';
}

const ZONES = ['Z', '+00:00', '+01:00', '+02:00', '-04:30', '+05:30', '+05:45', '+14:00', '-12:00', '-00:30'];
const zoneMinutes = (zone: string): number => (zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))));
/** Minutes around the turn of a year, of a day and of an hour: errors of one minute meet from several zones. */
const START = Date.parse('2023-12-31T23:58:00.000Z');
const MINUTES = [0, 1, 2, 3, 61, 62, 121];

/** An instant written in a zone, as a service in that zone would write it. */
function stamp(ms: number, zone: string, withMs: boolean): string {
  const local = new Date(ms + zoneMinutes(zone) * 60_000).toISOString();
  return `${local.slice(0, withMs ? 23 : 19)}${zone}`;
}

const goodStamp = fc
  .record({ minute: fc.constantFrom(...MINUTES), ms: fc.integer({ min: 0, max: 59_999 }), zone: fc.constantFrom(...ZONES), withMs: fc.boolean() })
  .map(({ minute, ms, zone, withMs }) => stamp(START + minute * 60_000 + ms, zone, withMs));
const tameStamp = fc.integer({ min: 0, max: 3_600_000 }).map((ms) => new Date(START + ms).toISOString());

const TAME_PATHS = ['/health', '/predict', '/items/42', '/items/7', '/metrics'];
const WILD_PATHS = [...TAME_PATHS, '/café', '/项目/7', '/emoji/🚀', '/naïve/ß', '/health ', '', '/a b'];
const absent = fc.constant(undefined);

function field(shape: Shape): Record<keyof Required<Shape>, fc.Arbitrary<unknown>> {
  return {
    path: shape.path === 'wild'
      ? fc.oneof(fc.constantFrom(...WILD_PATHS), fc.constantFrom(null, 17, true, ['/health'], { path: '/health' }), absent)
      : fc.oneof(fc.constantFrom(...TAME_PATHS), absent),
    level:
      shape.level === 'wild'
        ? fc.oneof(fc.constantFrom('ERROR', 'error', 'Error', 'eRRoR', 'INFO', 'info', 'WARNING', 'DEBUG', 'CRITICAL', 'FATAL', 'ERR'), fc.constantFrom(50, 500, null, true, ['ERROR'], { level: 'ERROR' }), absent)
        : shape.level === 'errors'
          ? fc.constantFrom('ERROR', 'ERROR', 'ERROR', 'INFO', 'WARNING')
          : fc.constantFrom('INFO', 'ERROR', 'WARNING', 'DEBUG'),
    duration: shape.duration === 'wild'
      ? fc.oneof(
          fc.constantFrom(0, 0.5, 50, 99.999, 100, 100.001, 100.5, 250, 250.25, 1e9, -1, -0),
          fc.double({ min: -10, max: 2000, noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom('250', '100.5', '1e3', null, true, [250], { ms: 250 }),
          absent,
        )
      : fc.oneof(fc.integer({ min: 0, max: 500 }), absent),
    timestamp: shape.timestamp === 'wild'
      ? fc.oneof(goodStamp, goodStamp, goodStamp, fc.constantFrom('yesterday, around noon', '', '2024-13-45T99:99:99Z', 'not a time', null, true, {}), absent)
      : tameStamp,
  };
}

const MESSAGES = ['request finished', 'request failed', 'model loaded', 'café ☕ prêt', '模型已加载', 'line\nbreak "quoted"', 'emoji 🚀🔥'];

/** One JSON object line, its fields varied by `shape`. */
function recordLine(shape: Shape): fc.Arbitrary<string> {
  const f = field(shape);
  return fc
    .record({ timestamp: f.timestamp, level: f.level, message: fc.constantFrom(...MESSAGES), path: f.path, duration_ms: f.duration, status_code: fc.constantFrom(200, 201, 404, 422, 500, 503), extra: fc.boolean() })
    .map(({ extra, ...r }) => {
      const record: Record<string, unknown> = { ...r };
      if (extra) record.request_id = `req-${String(r.status_code)}`;
      return JSON.stringify(record); // fields that are undefined are left out
    });
}

interface Case {
  lines: string[];
  options: OracleOptions;
  /** How the lines are handed over: an array, a generator (an iterable that is not an array), or an async iterable. */
  feed: 'array' | 'iterable' | 'async';
}

const optionsArb = fc.record({ slowMs: fc.constantFrom(undefined, 0, 50, 99.999, 100, 250), keep: fc.constantFrom(undefined, 0, 1, 2, 5, 100) }).map((o) => {
  const options: OracleOptions = {};
  if (o.slowMs !== undefined) options.slowMs = o.slowMs;
  if (o.keep !== undefined) options.keep = o.keep;
  return options;
});

function caseArb(line: fc.Arbitrary<string>, maxLength = 40, minLength = 0): fc.Arbitrary<Case> {
  return fc.record({ lines: fc.array(line, { minLength, maxLength }), options: optionsArb, feed: fc.constantFrom<Case['feed']>('array', 'iterable', 'async') });
}

function feed(c: Case): Iterable<string> | AsyncIterable<string> {
  const lines = [...c.lines];
  if (c.feed === 'array') return lines;
  if (c.feed === 'iterable') return (function* () { yield* lines; })();
  return (async function* () {
    for (const l of lines) {
      await Promise.resolve();
      yield l;
    }
  })();
}

/** JSON with object keys sorted: two reports that differ only in key order read the same. */
function canon(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? String(value);
}

function showCase(c: Case): string {
  const shown = c.lines.slice(0, 14).map((l) => `  ${JSON.stringify(l.length > 160 ? `${l.slice(0, 160)}...` : l)}`);
  if (c.lines.length > 14) shown.push(`  ... (${c.lines.length} lines in all)`);
  const how = c.feed === 'array' ? 'an array' : c.feed === 'iterable' ? 'an iterable (not an array)' : 'an async iterable';
  return `aggregateLines(lines, ${JSON.stringify(c.options)}), the lines given as ${how}:\n${shown.join('\n')}`;
}

/** The learner's report, or what it threw, as text. */
async function learnerReport(c: Case, zone: boolean): Promise<{ report?: LogReport; threw?: string }> {
  try {
    const run = () => aggregateLines(feed(c), c.options);
    return { report: zone ? await inShiftedZone(run) : await run() };
  } catch (error) {
    return { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Compares the part of the report that `pick` takes with the oracle's, on generated cases; a
 * mismatch names the (shrunk) lines, the expected and the seen values. */
async function compareReports(
  arb: fc.Arbitrary<Case>,
  pick: (r: OracleReport | LogReport) => unknown,
  what: string,
  { numRuns = 50, zone = false }: { numRuns?: number; zone?: boolean } = {},
): Promise<void> {
  const agree = async (c: Case): Promise<boolean> => {
    const seen = await learnerReport(c, zone);
    return seen.report !== undefined && canon(pick(seen.report)) === canon(pick(aggregateOracle(c.lines, c.options)));
  };
  const result = await fc.check(fc.asyncProperty(arb, agree), { seed: SEED, numRuns, endOnFailure: false });
  if (!result.failed || !result.counterexample) return;
  const [c] = result.counterexample;
  const seen = await learnerReport(c, zone);
  throw mismatch(
    `${what}: ${showCase(c)}\n(a generated case, seed ${SEED}${zone ? `, local time zone ${ZONE_NAME}` : ''})`,
    canon(pick(aggregateOracle(c.lines, c.options))),
    seen.report ? canon(pick(seen.report)) : `throws ${seen.threw ?? ''}`,
  );
}

const line = (record: LogRecord): string => JSON.stringify(record);

async function* slowly(lines: string[]): AsyncGenerator<string> {
  for (const l of lines) {
    await Promise.resolve();
    yield l;
  }
}

/** Runs a check against a file holding `content`, in a scratch folder removed afterwards. */
async function withFile<T>(content: string, run: (file: string) => Promise<T>): Promise<T> {
  const dir = makeWorkDir('c6');
  try {
    const file = path.join(dir, 'service.log');
    writeFileSync(file, content);
    return await run(file);
  } finally {
    removeDir(dir);
  }
}

const j = (value: unknown): string => JSON.stringify(value);

describe('C.6.requests-per-path', () => {
  it('counts the records of each path; records without a string path are left out', async () => {
    const lines = [
      line({ timestamp: '2024-05-01T10:00:00.000Z', level: 'INFO', logger: 'app', message: 'service started', port: 3000 }),
      line({ timestamp: '2024-05-01T10:00:01.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/health', status_code: 200, duration_ms: 2 }),
      line({ timestamp: '2024-05-01T10:00:02.000Z', level: 'INFO', message: 'request finished', method: 'POST', path: '/predict', status_code: 201, duration_ms: 35 }),
      line({ timestamp: '2024-05-01T10:00:03.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/items/1', status_code: 200, duration_ms: 4 }),
      line({ timestamp: '2024-05-01T10:00:04.000Z', level: 'INFO', message: 'model loaded', model_version: '1.2.0', path: null }),
      line({ timestamp: '2024-05-01T10:00:05.000Z', level: 'ERROR', message: 'request failed', method: 'POST', path: '/predict', status_code: 500, duration_ms: 41 }),
      line({ timestamp: '2024-05-01T10:00:06.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/health', status_code: 200, duration_ms: 1 }),
      line({ timestamp: '2024-05-01T10:00:07.000Z', level: 'WARNING', message: 'cache miss', key: 'items:2' }),
      line({ timestamp: '2024-05-01T10:00:08.000Z', level: 'INFO', message: 'request finished', method: 'POST', path: '/predict', status_code: 422, duration_ms: 3 }),
      line({ timestamp: '2024-05-01T10:00:09.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/items/2', status_code: 404, duration_ms: 2 }),
      line({ timestamp: '2024-05-01T10:00:10.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/health', status_code: 200, duration_ms: 1 }),
      line({ timestamp: '2024-05-01T10:00:11.000Z', level: 'DEBUG', message: 'gc', path: 17 }),
      line({ timestamp: '2024-05-01T10:00:12.000Z', level: 'INFO', message: 'request finished', method: 'GET', path: '/items/1', status_code: 200, duration_ms: 5 }),
    ];
    const expected = { '/health': 3, '/predict': 3, '/items/1': 2, '/items/2': 1 };
    const report = await aggregateLines(lines);
    expect(report.requestsPerPath, `requestsPerPath for 13 lines (3 of them without a string path: none, null, 17) should be ${j(expected)}; saw ${j(report.requestsPerPath)}`).toEqual(expected);
    const fromStream = await aggregateLines(slowly(lines));
    expect(fromStream.requestsPerPath, `the same lines given as an async iterable should give the same requestsPerPath ${j(expected)}; saw ${j(fromStream.requestsPerPath)}`).toEqual(expected);
  });

  it('on generated lines: paths of every kind (multi-byte, empty, with spaces) and fields of other types', async () => {
    await compareReports(caseArb(recordLine({ path: 'wild' })), (r) => r.requestsPerPath, 'requestsPerPath differs from the expected counts');
  });
});

describe('C.6.errors', () => {
  it('finds ERROR records in any case, counts them all and keeps the first `keep` in file order', async () => {
    const records: LogRecord[] = [
      { timestamp: '2024-05-01T10:00:00Z', level: 'INFO', message: 'service started' },
      { timestamp: '2024-05-01T10:00:01Z', level: 'ERROR', message: 'request failed', path: '/predict', status_code: 500, request_id: 'a1' },
      { timestamp: '2024-05-01T10:00:02Z', level: 'WARNING', message: 'slow model', duration_ms: 90 },
      { timestamp: '2024-05-01T10:00:03Z', level: 'error', message: 'model file missing', exception: 'Error: ENOENT\n    at load (model.ts:3:9)' },
      { timestamp: '2024-05-01T10:00:04Z', message: 'no level at all' },
      { timestamp: '2024-05-01T10:00:05Z', level: 500, message: 'a numeric level is not "ERROR"' },
      { timestamp: '2024-05-01T10:00:06Z', level: 'Error', message: 'database timeout', request_id: 'c3' },
      { timestamp: '2024-05-01T10:00:07Z', level: 'INFO', message: 'error budget report', errors: 3 },
      { timestamp: '2024-05-01T10:00:08Z', level: 'ERROR', message: 'request failed', path: '/items/9', status_code: 503, request_id: 'd4' },
      { timestamp: '2024-05-01T10:00:09Z', level: 'CRITICAL', message: 'not an ERROR either' },
    ];
    const errors = [records[1], records[3], records[6], records[8]];
    const lines = records.map(line);

    const report = await aggregateLines(lines);
    expect(report.errorCount, `errorCount: the lines hold 4 records whose level is ERROR, error or Error; saw ${report.errorCount}`).toBe(4);
    expect(report.errors, `errors should be those 4 records, in file order (messages ${j(errors.map((e) => e!.message))}); saw messages ${j(report.errors.map((e) => e.message))}`).toEqual(errors);

    const kept = await aggregateLines(slowly(lines), { keep: 2 });
    expect(kept.errorCount, `with keep: 2, errorCount still counts all 4 errors; saw ${kept.errorCount}`).toBe(4);
    expect(kept.errors, `with keep: 2, errors should be the first 2 in file order (${j(errors.slice(0, 2).map((e) => e!.message))}); saw ${j(kept.errors.map((e) => e.message))}`).toEqual(errors.slice(0, 2));

    const none = await aggregateLines(lines, { keep: 0 });
    expect(none.errors, `with keep: 0, errors should be empty; saw ${none.errors.length} records`).toEqual([]);
    expect(none.errorCount, `with keep: 0, errorCount still counts all 4 errors; saw ${none.errorCount}`).toBe(4);
  });

  it('on generated lines: levels in every case and of other types, error-heavy files, every `keep`', async () => {
    const pick = (r: OracleReport | LogReport) => ({ errorCount: r.errorCount, errors: r.errors });
    await compareReports(caseArb(recordLine({ level: 'wild' })), pick, 'errorCount or errors differ from the expected ones');
    // More errors than the default keep (100): only the first 100 are kept.
    const heavy = fc.record({ lines: fc.array(recordLine({ level: 'errors' }), { minLength: 110, maxLength: 160 }), options: fc.constant({}), feed: fc.constantFrom<Case['feed']>('array', 'async') });
    await compareReports(heavy, pick, 'with more errors than the default keep (100), errorCount or errors differ', { numRuns: 5 });
  });
});

describe('C.6.slow-requests', () => {
  it('a numeric duration_ms strictly greater than slowMs (default 100) is slow', async () => {
    const records: LogRecord[] = [
      { level: 'INFO', path: '/health', duration_ms: 12 },
      { level: 'INFO', path: '/predict', duration_ms: 100 },
      { level: 'INFO', path: '/predict', duration_ms: 100.5 },
      { level: 'INFO', path: '/items/1', duration_ms: '250' },
      { level: 'INFO', path: '/items/2', duration_ms: 250 },
      { level: 'INFO', path: '/items/3', duration_ms: null },
      { level: 'INFO', message: 'no duration at all' },
      { level: 'ERROR', path: '/predict', duration_ms: 1500, status_code: 500 },
      { level: 'INFO', path: '/health', duration_ms: 0 },
    ];
    const lines = records.map(line);
    const slow = [records[2], records[4], records[7]];

    const report = await aggregateLines(lines);
    expect(
      report.slowCount,
      `slowCount with the default slowMs (100): 3 records have a number above 100 (100.5, 250, 1500; exactly 100 is not slow, the string "250" is not a number); saw ${report.slowCount}`,
    ).toBe(3);
    expect(report.slowRequests, `slowRequests should be those 3 records in file order (durations 100.5, 250, 1500); saw durations ${j(report.slowRequests.map((r) => r.duration_ms))}`).toEqual(slow);

    const over500 = await aggregateLines(slowly(lines), { slowMs: 500 });
    expect(over500.slowCount, `with slowMs: 500 only the 1500 ms request is slow; saw slowCount ${over500.slowCount}`).toBe(1);
    expect(over500.slowRequests, `with slowMs: 500, slowRequests should be the 1500 ms request; saw durations ${j(over500.slowRequests.map((r) => r.duration_ms))}`).toEqual([records[7]]);

    const kept = await aggregateLines(lines, { slowMs: 0, keep: 2 });
    expect(kept.slowCount, `with slowMs: 0, the durations 12, 100, 100.5, 250, 1500 are slow (0 is not); saw slowCount ${kept.slowCount}`).toBe(5);
    expect(kept.slowRequests, `with slowMs: 0 and keep: 2, slowRequests should be the first 2 (12 and 100); saw durations ${j(kept.slowRequests.map((r) => r.duration_ms))}`).toEqual([records[0], records[1]]);
  });

  it('on generated lines: durations around the limit, of other types and extreme, every slowMs and `keep`', async () => {
    await compareReports(caseArb(recordLine({ duration: 'wild' })), (r) => ({ slowCount: r.slowCount, slowRequests: r.slowRequests }), 'slowCount or slowRequests differ from the expected ones');
  });
});

describe('C.6.errors-per-minute', () => {
  it('counts ERROR records per UTC minute; timestamps with an offset are converted, unreadable ones left out', async () => {
    const records: LogRecord[] = [
      { timestamp: '2024-05-01T10:00:05.000Z', level: 'ERROR', message: 'a' },
      { timestamp: '2024-05-01T10:00:30.000Z', level: 'INFO', message: 'not an error' },
      { timestamp: '2024-05-01T10:00:59.999Z', level: 'ERROR', message: 'b' },
      { timestamp: '2024-05-01T10:01:00.000Z', level: 'ERROR', message: 'c' },
      { timestamp: '2024-05-01T12:01:30.250+02:00', level: 'ERROR', message: 'd: 12:01 at +02:00 is 10:01 UTC' },
      { timestamp: '2024-05-01T10:01:45Z', level: 'WARNING', message: 'not an error' },
      { timestamp: '2024-05-01T00:30:00.000+01:00', level: 'ERROR', message: 'e: 00:30 at +01:00 is 23:30 UTC the day before' },
      { timestamp: '2024-05-01T05:45:10.000-04:30', level: 'ERROR', message: 'f: 05:45 at -04:30 is 10:15 UTC' },
      { timestamp: 'yesterday, around noon', level: 'ERROR', message: 'g: unreadable timestamp' },
      { level: 'ERROR', message: 'h: no timestamp' },
      { timestamp: '2024-05-01T10:15:59Z', level: 'ERROR', message: 'j' },
    ];
    const expected = { '2024-05-01T10:00': 2, '2024-05-01T10:01': 2, '2024-04-30T23:30': 1, '2024-05-01T10:15': 2 };
    const report = await aggregateLines(records.map(line));
    expect(
      report.errorsPerMinute,
      `errorsPerMinute should be ${j(expected)} (UTC minutes; the errors without a readable timestamp are left out); saw ${j(report.errorsPerMinute)}`,
    ).toEqual(expected);
  });

  it(`on generated lines: timestamps in many zones across minutes, hours, days and a year; unreadable ones; local zone ${ZONE_NAME}`, async () => {
    await compareReports(caseArb(recordLine({ level: 'errors', timestamp: 'wild' })), (r) => r.errorsPerMinute, 'errorsPerMinute differs from the expected counts', { zone: true });
  });
});

describe('C.6.malformed-lines', () => {
  it('blank and invalid lines are counted and skipped, never a crash', async () => {
    const lines = [
      '',
      '   ',
      '\t',
      line({ level: 'INFO', path: '/health', duration_ms: 3 }),
      '{"level":"ERROR","path":"/predict","duration_ms":250,"timestamp":"2024-05-01T10:00:00Z"',
      'Traceback (most recent call last):',
      '42',
      '"x"',
      'null',
      '[{"path":"/health"}]',
      'true',
      `${line({ level: 'ERROR', path: '/predict', duration_ms: 250, timestamp: '2024-05-01T10:00:00Z' })}\r`,
      line({ level: 'INFO', path: '/health' }),
    ];
    let report: LogReport | undefined;
    try {
      report = await aggregateLines(lines);
    } catch (error) {
      expect.fail(`aggregateLines should skip bad lines, but it threw: ${String(error)}`);
    }
    expect(report!.lines, `lines: 13 lines were given; saw ${report!.lines}`).toBe(13);
    expect(
      report!.skipped,
      `skipped: 3 blank lines ('', spaces, a tab) and 7 invalid ones (truncated JSON, plain text, 42, "x", null, an array, true); saw ${j(report!.skipped)}`,
    ).toEqual({ blank: 3, invalid: 7 });
    expect(report!.requestsPerPath, `only the 3 good records count (one ends in "\\r", from a CRLF file); saw requestsPerPath ${j(report!.requestsPerPath)}`).toEqual({
      '/health': 2,
      '/predict': 1,
    });
    expect(report!.errorCount, `the record ending in "\\r" is still a good ERROR record; saw errorCount ${report!.errorCount}`).toBe(1);
    expect(report!.slowCount, `the record ending in "\\r" is still a good slow record; saw slowCount ${report!.slowCount}`).toBe(1);
  });

  it('a file with CRLF line endings, blank lines and no newline at the end', async () => {
    const content = [
      line({ level: 'INFO', path: '/a', duration_ms: 5 }),
      '',
      line({ level: 'ERROR', path: '/b', timestamp: '2024-05-01T10:00:00Z' }),
      'not json at all',
      line({ level: 'INFO', path: '/a', duration_ms: 150 }),
    ].join('\r\n');
    const report = await withFile(content, (file) => aggregateLogFile(file));
    const seen = j({ lines: report.lines, skipped: report.skipped, requestsPerPath: report.requestsPerPath, errorCount: report.errorCount, slowCount: report.slowCount });
    const expected = { lines: 5, skipped: { blank: 1, invalid: 1 }, requestsPerPath: { '/a': 2, '/b': 1 }, errorCount: 1, slowCount: 1 };
    expect(
      { lines: report.lines, skipped: report.skipped, requestsPerPath: report.requestsPerPath, errorCount: report.errorCount, slowCount: report.slowCount },
      `a 5-line file with "\\r\\n" endings, one blank line, one line of plain text and no final newline should give ${j(expected)}; saw ${seen}`,
    ).toEqual(expected);

    const empty = await withFile('', (file) => aggregateLogFile(file));
    expect({ lines: empty.lines, skipped: empty.skipped }, `an empty file has 0 lines; saw ${j({ lines: empty.lines, skipped: empty.skipped })}`).toEqual({
      lines: 0,
      skipped: { blank: 0, invalid: 0 },
    });
  });

  it('on generated lines: blank, invalid and valid lines mixed, never a crash', async () => {
    const bad = fc.oneof(
      fc.constantFrom('', ' ', '   ', '\t', ' \t ', '\r'),
      fc.constantFrom('Traceback (most recent call last):', 'WARNING: disk almost full', '42', '-1.5', '"x"', 'null', 'true', 'false', '[]', '[{"path":"/health"}]', '{', '}', 'undefined', 'NaN', "{'path': '/x'}", '{"path":"/x",}', '{"level":"ERROR",'),
      recordLine({ path: 'wild', level: 'wild', duration: 'wild', timestamp: 'wild' }).map((l) => l.slice(0, -1)),
      recordLine({}).map((l) => `${l}\r`),
      recordLine({}).map((l) => `  ${l}\t`),
      fc.string({ maxLength: 30 }),
      fc.json({ maxDepth: 2 }),
    );
    const line = fc.oneof({ arbitrary: bad, weight: 2 }, { arbitrary: recordLine({}), weight: 1 });
    await compareReports(caseArb(line), (r) => ({ lines: r.lines, skipped: r.skipped }), 'lines or skipped differ from the expected counts (or the function threw)');
  });

  it('on generated files: "\\n" and "\\r\\n" endings, blank and invalid lines, with or without a final newline', async () => {
    const lineArb = fc.oneof(recordLine({ path: 'wild' }), fc.constantFrom('', '   ', 'not json', '42', '{"cut":'));
    const fileArb = fc.record({ lines: fc.array(lineArb, { maxLength: 30 }), crlf: fc.boolean(), finalBreak: fc.boolean() });
    const dir = makeWorkDir('c6-gen');
    try {
      let n = 0;
      const result = await fc.check(
        fc.asyncProperty(fileArb, async ({ lines, crlf, finalBreak }) => {
          const text = lines.join(crlf ? '\r\n' : '\n') + (finalBreak && lines.length > 0 ? (crlf ? '\r\n' : '\n') : '');
          const file = path.join(dir, `gen-${n++}.log`);
          writeFileSync(file, text);
          const want = aggregateOracle(linesOfText(text));
          let seen: LogReport | undefined;
          try {
            seen = await aggregateLogFile(file);
          } catch {
            return false;
          }
          return canon({ lines: seen.lines, skipped: seen.skipped }) === canon({ lines: want.lines, skipped: want.skipped });
        }),
        { seed: SEED, numRuns: 15, endOnFailure: false },
      );
      if (result.failed && result.counterexample) {
        const [{ lines, crlf, finalBreak }] = result.counterexample;
        const text = lines.join(crlf ? '\r\n' : '\n') + (finalBreak && lines.length > 0 ? (crlf ? '\r\n' : '\n') : '');
        const file = path.join(dir, 'counterexample.log');
        writeFileSync(file, text);
        const want = aggregateOracle(linesOfText(text));
        let seen: string;
        try {
          const r = await aggregateLogFile(file);
          seen = canon({ lines: r.lines, skipped: r.skipped });
        } catch (error) {
          seen = `throws ${String(error)}`;
        }
        throw mismatch(
          `aggregateLogFile on a generated file: the file's text is ${JSON.stringify(text.length > 600 ? `${text.slice(0, 600)}...` : text)} (a generated case, seed ${SEED})`,
          canon({ lines: want.lines, skipped: want.skipped }),
          seen,
        );
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe('C.6.streams-large-file', () => {
  it('a ~100 MB log file: exact counts, with memory that stays far below the file size', async () => {
    const BLOCKS = 100;
    const PER_BLOCK = 4000;
    const PATHS = ['/health', '/predict', '/items/17', '/metrics'];
    // One block of lines, with @MIN@ (its minute) and @BLK@ (its number) filled in per block.
    const block = { text: '', lines: 0, blank: 0, invalid: 0, errors: 0, slow: 0, perPath: {} as Record<string, number> };
    const parts: string[] = [];
    for (let i = 0; i < PER_BLOCK; i++) {
      block.lines += 1;
      if (i % 500 === 499) {
        block.blank += 1;
        parts.push(i % 1000 === 999 ? '' : '   ');
        continue;
      }
      if (i % 1000 === 250) {
        block.invalid += 1;
        parts.push('{"timestamp":"@MIN@:00.000Z","level":"ERROR","logger":"app","message":"cut off mid-li');
        continue;
      }
      const p = PATHS[i % PATHS.length]!;
      const isError = i % 40 === 7;
      const isSlow = i % 25 === 3;
      block.perPath[p] = (block.perPath[p] ?? 0) + 1;
      if (isError) block.errors += 1;
      if (isSlow) block.slow += 1;
      parts.push(
        `{"timestamp":"@MIN@:${String(i % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}Z","level":"${isError ? 'ERROR' : 'INFO'}","logger":"app",` +
          `"message":"request finished","request_id":"@BLK@-4b8e-4d51-9c2f-${String(i).padStart(12, '0')}","method":"${i % 3 === 0 ? 'POST' : 'GET'}",` +
          `"path":"${p}","status_code":${isError ? 500 : 200},"duration_ms":${isSlow ? 180.25 : 20 + (i % 50)},"user_agent":"load-test/1.0 (workbook; C.6)"}`,
      );
    }
    block.text = `${parts.join('\n')}\n`;
    parts.length = 0;
    const minuteOf = (b: number) => `2024-05-01T${String(10 + Math.floor(b / 60)).padStart(2, '0')}:${String(b % 60).padStart(2, '0')}`;
    const expected = {
      lines: block.lines * BLOCKS,
      skipped: { blank: block.blank * BLOCKS, invalid: block.invalid * BLOCKS },
      requestsPerPath: Object.fromEntries(Object.entries(block.perPath).map(([p, n]) => [p, n * BLOCKS])),
      errorCount: block.errors * BLOCKS,
      slowCount: block.slow * BLOCKS,
      errorsPerMinute: Object.fromEntries(Array.from({ length: BLOCKS }, (_, b) => [minuteOf(b), block.errors])),
    };

    const dir = makeWorkDir('c6-large');
    try {
      const file = path.join(dir, 'big.log');
      const fd = openSync(file, 'w');
      let bytes = 0;
      try {
        for (let b = 0; b < BLOCKS; b++) {
          const chunk = block.text.replaceAll('@MIN@', minuteOf(b)).replaceAll('@BLK@', String(b).padStart(8, '0'));
          bytes += Buffer.byteLength(chunk);
          writeSync(fd, chunk);
        }
      } finally {
        closeSync(fd);
      }

      // Memory is sampled every 20 ms while the file is read. What counts is how far it rises above
      // its lowest point so far (garbage left by writing the file may be collected on the way).
      const rise = { rss: 0, heap: 0 };
      const low = { rss: Infinity, heap: Infinity };
      const sample = () => {
        const m = process.memoryUsage();
        const heap = m.heapUsed + m.external;
        low.rss = Math.min(low.rss, m.rss);
        low.heap = Math.min(low.heap, heap);
        rise.rss = Math.max(rise.rss, m.rss - low.rss);
        rise.heap = Math.max(rise.heap, heap - low.heap);
      };
      sample();
      const timer = setInterval(sample, 20);
      let report: LogReport;
      try {
        report = await aggregateLogFile(file);
        sample();
      } finally {
        clearInterval(timer);
      }

      const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
      const got = {
        lines: report.lines,
        skipped: report.skipped,
        requestsPerPath: report.requestsPerPath,
        errorCount: report.errorCount,
        slowCount: report.slowCount,
        errorsPerMinute: report.errorsPerMinute,
      };
      expect(got, `counts for a ${mb(bytes)} file of ${expected.lines} lines`).toEqual(expected);
      expect(report.errors.length, `errors should keep only the first 100 of ${expected.errorCount} errors; saw ${report.errors.length}`).toBe(100);
      expect(report.slowRequests.length, `slowRequests should keep only the first 100 of ${expected.slowCount}; saw ${report.slowRequests.length}`).toBe(100);
      const LIMIT = 60e6;
      const grew = Math.max(rise.rss, rise.heap);
      expect(
        grew < LIMIT,
        `reading a ${mb(bytes)} file, memory grew by ${mb(grew)} (allowed: under ${mb(LIMIT)}): read the file as a stream, one line at a time, and keep only what the report needs`,
      ).toBe(true);
    } finally {
      removeDir(dir);
    }
  }, 30_000);

  it('a 1 MB file of long multi-byte paths with "\\r\\n" endings: characters and line breaks split between chunks stay whole', async () => {
    // Long paths of multi-byte characters fill most of each line, so the ends of the chunks the file
    // is read in (64 KiB) fall inside them.
    const paths = ['项目', 'ünïcödé', '🚀🔥', 'naïve-ß', 'журнал'].map((w, i) => `/${w.repeat(Math.ceil(40 / w.length))}/${i}`);
    const parts: string[] = [];
    for (let i = 0; parts.length < 6000; i++) {
      const p = paths[(i * 7 + (SEED % 5)) % paths.length]!;
      parts.push(i % 97 === 5 ? '' : JSON.stringify({ path: p, level: i % 13 === 0 ? 'ERROR' : 'INFO', duration_ms: i % 200 }));
    }
    const text = `${parts.join('\r\n')}\r\n`;
    const want = aggregateOracle(linesOfText(text));
    const report = await withFile(text, (file) => aggregateLogFile(file));
    const pick = (r: OracleReport | LogReport) => canon({ lines: r.lines, skipped: r.skipped, requestsPerPath: r.requestsPerPath, errorCount: r.errorCount });
    if (pick(report) !== pick(want)) {
      throw mismatch(
        `a ${Math.round(Buffer.byteLength(text) / 1e6)} MB file of multi-byte text with "\\r\\n" endings: read it with createReadStream(file, { encoding: 'utf8' }) (or a TextDecoder in stream mode) and readline, so that a character or a "\\r\\n" cut between two chunks stays whole`,
        pick(want),
        pick(report),
      );
    }
  }, 15_000);
});
