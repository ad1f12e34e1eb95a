// C.1 — the structured JSON logger (the unit half; the service's own log lines are checked live).
import { describe, expect, it } from 'vitest';
import { createLogger, type Level, type Logger } from '@target/C/logger.js';

const METHODS = ['debug', 'info', 'warning', 'error'] as const;
type Method = (typeof METHODS)[number];
const LEVEL_OF: Record<Method, string> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', error: 'ERROR' };

const T0 = Date.parse('2024-03-05T14:07:09.123Z');

/** A logger writing into memory, with a clock that moves 1.5 s per reading. `calls` holds, per
 * logger call, everything that call wrote ('' when it wrote nothing). */
function capture(level?: Level, name = 'app'): { log: Logger; calls: string[]; clockReads: () => Date[] } {
  let pending = '';
  const calls: string[] = [];
  const reads: Date[] = [];
  const stream = {
    write(chunk: string | Uint8Array): boolean {
      pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  };
  const now = () => {
    const d = new Date(T0 + reads.length * 1500);
    reads.push(d);
    return d;
  };
  const inner = createLogger({ name, stream, now, ...(level ? { level } : {}) });
  const wrap =
    (method: Method) =>
    (message: string, fields?: Record<string, unknown>): void => {
      pending = '';
      inner[method](message, fields);
      calls.push(pending);
    };
  const log = { debug: wrap('debug'), info: wrap('info'), warning: wrap('warning'), error: wrap('error') };
  return { log, calls, clockReads: () => reads };
}

const show = (text: string): string => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}...` : text);

/** What one call wrote, read as a JSON object (whatever its layout: the layout is C.1.json-lines' business). */
function parsed(written: string | undefined, what: string): Record<string, unknown> {
  expect(written, `${what}: the logger should have written something, but wrote nothing`).toBeTruthy();
  let value: unknown;
  try {
    value = JSON.parse(written!);
  } catch {
    expect.fail(`${what}: expected one JSON object, but the logger wrote ${show(written!)}, which is not JSON`);
  }
  expect(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${what}: expected a JSON object ({...}), saw ${show(written!)}`,
  ).toBe(true);
  return value as Record<string, unknown>;
}

describe('C.1.json-lines', () => {
  it('each call writes exactly one line holding one JSON object, ending in a newline', () => {
    const { log, calls } = capture('DEBUG');
    log.debug('cache warmed');
    log.info('request finished', { path: '/items/1', status_code: 200 });
    log.warning('slow model', { duration_ms: 812 });
    log.error('prediction failed', { error: new Error('model file missing') });
    log.info('model "v3" said:\ntwo lines in one message\r\nstay one log line');
    calls.forEach((written, i) => {
      const what = `call ${i + 1} of 5`;
      expect(written.endsWith('\n'), `${what}: the line should end in "\\n", saw ${show(written)}`).toBe(true);
      const newlines = written.split('\n').length - 1;
      expect(newlines, `${what}: expected exactly one line (one "\\n", at the end), saw ${newlines} line breaks in ${show(written)}`).toBe(1);
      parsed(written, what);
    });
  });
});

describe('C.1.core-fields', () => {
  it('timestamp from the injected clock (ISO-8601), level, logger name and message', () => {
    const { log, calls, clockReads } = capture('DEBUG', 'app.alerting');
    METHODS.forEach((method) => log[method](`hello from ${method}`));
    const reads = clockReads();
    expect(reads.length, `expected the logger to read the clock (options.now) once per call, that is 4 times; it read it ${reads.length} times`).toBe(4);
    calls.forEach((written, i) => {
      const method = METHODS[i]!;
      const record = parsed(written, `log.${method}(...)`);
      const expectedStamp = reads[i]!.toISOString();
      expect(typeof record.timestamp, `log.${method}: "timestamp" should be a string like ${expectedStamp}; line ${show(written)}`).toBe('string');
      const stamp = record.timestamp as string;
      expect(stamp, `log.${method}: "timestamp" should be ISO-8601 (like ${expectedStamp}), saw ${stamp}`).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      );
      const off = Math.abs(Date.parse(stamp) - reads[i]!.getTime());
      expect(off < 1000, `log.${method}: "timestamp" should come from options.now (${expectedStamp}), saw ${stamp}`).toBe(true);
      expect(record.level, `log.${method}: "level" should be ${LEVEL_OF[method]}; line ${show(written)}`).toBe(LEVEL_OF[method]);
      expect(record.logger, `log.${method}: "logger" should be the logger's name, app.alerting; line ${show(written)}`).toBe('app.alerting');
      expect(record.message, `log.${method}: "message" should be the message passed in; line ${show(written)}`).toBe(`hello from ${method}`);
    });
  });
});

describe('C.1.extra-fields', () => {
  it('extra fields are passed through with their JSON types', () => {
    const { log, calls } = capture('DEBUG');
    const extra = {
      request_id: '7f3c2a10-5e0b-4b8e-9d51-0c2f6f1a9e44',
      method: 'GET',
      path: '/items/42',
      status_code: 200,
      duration_ms: 12.5,
      cached: false,
      tags: ['beta', 'eu'],
      client: { region: 'eu-west-1', retries: 0 },
      parent_id: null,
    };
    log.info('request finished', extra);
    log.warning('queue is long', { queue_depth: 17 });
    const record = parsed(calls[0], "log.info('request finished', {...})");
    for (const [key, value] of Object.entries(extra)) {
      expect(key in record, `the extra field "${key}" should be in the line; saw ${show(calls[0]!)}`).toBe(true);
      expect(record[key], `the extra field "${key}" should be written as ${JSON.stringify(value)} (same JSON type), saw ${JSON.stringify(record[key])}`).toEqual(value);
    }
    const warning = parsed(calls[1], "log.warning('queue is long', { queue_depth: 17 })");
    expect(warning.queue_depth, `queue_depth should stay the number 17, saw ${JSON.stringify(warning.queue_depth)}`).toBe(17);
  });
});

describe('C.1.exception', () => {
  it('an Error in the `error` field is written as `exception`: its stack, message included', () => {
    const { log, calls } = capture('DEBUG');
    const error = new Error('model file missing: /models/v3.bin');
    log.error('prediction failed', { error, request_id: 'req-9' });
    const written = calls[0] ?? '';
    expect(written.includes('[object Object]'), `the line should not contain "[object Object]" (an Error turned into a string the wrong way); saw ${show(written)}`).toBe(false);
    const record = parsed(written, "log.error('prediction failed', { error })");
    expect(typeof record.exception, `expected an "exception" field holding the error's stack (a string); saw ${show(written)}`).toBe('string');
    const exception = record.exception as string;
    expect(exception, `"exception" should include the error's message; saw ${JSON.stringify(exception)}`).toContain('model file missing: /models/v3.bin');
    expect(
      exception.includes('\n    at '),
      `"exception" should be the whole stack (error.stack, with its "    at ..." lines) so that you can see where it was thrown; saw ${JSON.stringify(exception)}`,
    ).toBe(true);
    expect(exception.includes(error.stack!), `"exception" should hold error.stack; saw ${JSON.stringify(exception)}`).toBe(true);
    const leftover = record.error;
    expect(
      leftover === undefined || typeof leftover === 'string',
      `the Error should not also be written as "error": ${JSON.stringify(leftover)} (JSON.stringify of an Error loses everything)`,
    ).toBe(true);
  });
});

describe('C.1.level-threshold', () => {
  it('calls below the threshold write nothing; the default threshold is INFO', () => {
    const cases: Array<{ level: Level | undefined; writes: Record<Method, boolean> }> = [
      { level: undefined, writes: { debug: false, info: true, warning: true, error: true } },
      { level: 'WARNING', writes: { debug: false, info: false, warning: true, error: true } },
      { level: 'DEBUG', writes: { debug: true, info: true, warning: true, error: true } },
      { level: 'ERROR', writes: { debug: false, info: false, warning: false, error: true } },
    ];
    for (const { level, writes } of cases) {
      const { log, calls } = capture(level);
      METHODS.forEach((method) => log[method](`${method} message`));
      const setting = level ? `level: '${level}'` : 'no level (default INFO)';
      METHODS.forEach((method, i) => {
        const wrote = (calls[i] ?? '') !== '';
        expect(
          wrote,
          writes[method]
            ? `with ${setting}, log.${method} should write its line, but wrote nothing`
            : `with ${setting}, log.${method} should write nothing, but wrote ${show(calls[i]!)}`,
        ).toBe(writes[method]);
      });
    }
  });
});
