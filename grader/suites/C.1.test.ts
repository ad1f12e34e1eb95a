// C.1 — the structured JSON logger (the unit half; the service's own log lines are checked live).
// What is judged is what the logger writes (to the given stream, or to stdout), never how it is built.
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createLogger, type Level, type Logger } from '@target/C/logger.js';
import { random } from '../live/random.js';
import { mismatch, SEED } from './differential.js';
import { inShiftedZone, ZONE_NAME } from './oracles/local-zone.js';

const METHODS = ['debug', 'info', 'warning', 'error'] as const;
type Method = (typeof METHODS)[number];
const LEVEL_OF: Record<Method, string> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', error: 'ERROR' };

const rnd = random(SEED).fork('C.1');
/** A clock start for this run: a random millisecond of 2024 (seeded), so no fixed stamp can match. */
const T0 = Date.parse('2024-01-01T00:00:00.000Z') + rnd.int(0, 365 * 24 * 3600) * 1000 + rnd.int(0, 999);

/** Everything written to stdout (console.log, console.info, console.debug, process.stdout.write)
 * while `run` runs goes to `sink`: a logger may write there instead of to options.stream. */
function withStdout(sink: (text: string) => void, run: () => void): void {
  const saved = { log: console.log, info: console.info, debug: console.debug, write: process.stdout.write };
  const fromConsole = (...args: unknown[]): void => sink(`${format(...args)}\n`);
  console.log = fromConsole;
  console.info = fromConsole;
  console.debug = fromConsole;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    run();
  } finally {
    console.log = saved.log;
    console.info = saved.info;
    console.debug = saved.debug;
    process.stdout.write = saved.write;
  }
}

/** A logger writing into memory, with a clock that moves 1.5 s per reading. `calls` holds, per
 * logger call, everything that call wrote ('' when it wrote nothing); `readsDuring`, per call, the
 * clock readings taken while it ran. */
function capture(level?: Level, name = 'app'): { log: Logger; calls: string[]; readsDuring: Date[][] } {
  let pending = '';
  const calls: string[] = [];
  const reads: Date[] = [];
  const readsDuring: Date[][] = [];
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
      const before = reads.length;
      withStdout((text) => (pending += text), () => inner[method](message, fields));
      calls.push(pending);
      readsDuring.push(reads.slice(before));
    };
  const log = { debug: wrap('debug'), info: wrap('info'), warning: wrap('warning'), error: wrap('error') };
  return { log, calls, readsDuring };
}

/** True when `at` is a clock reading moved by a whole, non-zero number of quarter-hours (a time-zone offset). */
const shiftedByZone = (at: number, readings: Date[]): boolean =>
  readings.some((d) => {
    const off = at - d.getTime();
    return off !== 0 && Math.abs(off) <= 14 * 3_600_000 && off % 900_000 === 0;
  });

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
  it(`timestamp from the injected clock (ISO-8601, read while writing), level, logger name and message; local zone ${ZONE_NAME}`, async () => {
    const name = `app.${rnd.pick(['alerting', 'predict', 'health'])}`;
    const { log, calls, readsDuring } = capture('DEBUG', name);
    const messages = Object.fromEntries(METHODS.map((m) => [m, `${rnd.pick(['hello', 'café ☕ ready', 'model v3 loaded'])} from ${m} #${rnd.int(1, 999)}`])) as Record<Method, string>;
    // The machine's local zone is set apart from UTC here, so a local time written as UTC shows.
    await inShiftedZone(() => METHODS.forEach((method) => log[method](messages[method])));
    calls.forEach((written, i) => {
      const method = METHODS[i]!;
      const record = parsed(written, `log.${method}(...)`);
      const during = readsDuring[i]!;
      const expectedStamp = during[0]?.toISOString() ?? new Date(T0).toISOString();
      if (during.length === 0) {
        throw mismatch(`log.${method}: the timestamp should come from options.now(), called while the line is written; the logger did not call it during this call`, 'options.now() called for each line', `a line with "timestamp": ${JSON.stringify(record.timestamp)} and no call to options.now()`);
      }
      expect(typeof record.timestamp, `log.${method}: "timestamp" should be a string like ${expectedStamp}; line ${show(written)}`).toBe('string');
      const stamp = record.timestamp as string;
      expect(stamp, `log.${method}: "timestamp" should be ISO-8601 with a time zone (like ${expectedStamp}), saw ${stamp}`).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      );
      const at = Date.parse(stamp);
      const fromClock = during.some((d) => d.getTime() - at >= 0 && d.getTime() - at < 1000);
      if (!fromClock) {
        throw mismatch(
          `log.${method}: "timestamp" should be the time options.now() gave while writing this line` +
            (Number.isNaN(at) ? '' : !stamp.endsWith('Z') ? `; ${stamp} is ${new Date(at).toISOString()} in UTC` : shiftedByZone(at, during) ? ' (it is off by whole quarter-hours: local time written as if it were UTC?)' : ' (is it read from options.now() for each line?)'),
          during.map((d) => d.toISOString()).join(' or '),
          stamp,
        );
      }
      expect(record.level, `log.${method}: "level" should be ${LEVEL_OF[method]}; line ${show(written)}`).toBe(LEVEL_OF[method]);
      expect(record.logger, `log.${method}: "logger" should be the logger's name, ${name}; line ${show(written)}`).toBe(name);
      expect(record.message, `log.${method}: "message" should be the message passed in; line ${show(written)}`).toBe(messages[method]);
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

  it('an `error` field that is not an Error is an extra field like any other', () => {
    const { log, calls } = capture('DEBUG');
    log.error('upstream failed', { error: 'upstream timeout after 3 tries', attempt: 3 });
    log.warning('odd reply', { error: { code: 'E42', retryable: true } });
    for (const [i, value, call] of [
      [0, 'upstream timeout after 3 tries', "log.error('upstream failed', { error: 'upstream timeout after 3 tries' })"],
      [1, { code: 'E42', retryable: true }, "log.warning('odd reply', { error: { code: 'E42', retryable: true } })"],
    ] as const) {
      const record = parsed(calls[i], call);
      expect(record.error, `${call}: only an Error becomes "exception"; any other value of "error" is written as it is, like every extra field. Saw ${show(calls[i] ?? '')}`).toEqual(value);
    }
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
