// C.6 — log aggregation over JSON log lines, on log files made up here (fixed content, exact counts).
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateLines, aggregateLogFile, type LogRecord, type LogReport } from '@target/C/log-aggregation.js';
import { makeWorkDir, removeDir } from '../run/paths.js';

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
});
