import { describe, expect, it } from 'vitest';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import {
  ExpositionError,
  findSamples,
  parseExposition,
  sampleValue,
  sumSamples,
  type MetricFamily,
} from '../../live/exposition.js';

const NASTY = 'a"b\\c\nd, e=}{ é';

async function realRegistryText(): Promise<{ text: string; register: Registry }> {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests with a \\ backslash\nand a newline',
    labelNames: ['route', 'status'],
    registers: [register],
  });
  requests.inc({ route: '/a', status: '200' }, 3);
  requests.inc({ route: '/b', status: '500' });
  requests.inc({ route: NASTY, status: '200' }, 7);
  const duration = new Histogram({
    name: 'app_duration_seconds',
    help: 'Request duration',
    labelNames: ['route'],
    buckets: [0.1, 0.5, 1],
    registers: [register],
  });
  for (const v of [0.05, 0.2, 0.3, 2]) duration.observe({ route: '/a' }, v);
  duration.observe({ route: '/b' }, 0.7);
  const inFlight = new Gauge({ name: 'app_in_flight', help: 'In flight', registers: [register] });
  inFlight.set(4);
  inFlight.dec(1.5);
  const size = new Summary({ name: 'app_size_bytes', help: 'Sizes', percentiles: [0.5, 0.9], registers: [register] });
  for (const v of [10, 20, 30]) size.observe(v);
  return { text: await register.metrics(), register };
}

/** Parses `text`, expecting an ExpositionError on `line` whose message names that line and its text. */
function expectRejected(text: string, line: number, reason: RegExp): ExpositionError {
  let caught: unknown;
  try {
    parseExposition(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ExpositionError);
  const error = caught as ExpositionError;
  const lineText = text.split('\n')[line - 1] ?? '';
  expect(error.line).toBe(line);
  expect(error.text).toBe(lineText);
  expect(error.message).toContain(`line ${line}`);
  expect(error.message).toContain(lineText);
  expect(error.message).toMatch(reason);
  return error;
}

/** Two well-formed lines first, so that line numbers are not trivially 1. */
const PRELUDE = '# HELP ok_total fine\n# TYPE ok_total counter\nok_total 1\n';

function family(families: Map<string, MetricFamily>, name: string): MetricFamily {
  const f = families.get(name);
  if (!f) throw new Error(`family ${name} missing`);
  return f;
}

describe('parseExposition on real prom-client output', () => {
  it('parses counter, labelled histogram, gauge and summary with the right values', async () => {
    const { text } = await realRegistryText();
    const families = parseExposition(text);

    const counter = family(families, 'app_requests_total');
    expect(counter.type).toBe('counter');
    expect(counter.help).toBe('Requests with a \\ backslash\nand a newline');
    expect(counter.samples).toHaveLength(3);
    expect(sampleValue(families, 'app_requests_total', { route: '/a', status: '200' })).toBe(3);
    expect(sampleValue(families, 'app_requests_total', { route: '/b' })).toBe(1);
    expect(sumSamples(families, 'app_requests_total', { status: '200' })).toBe(10);

    const hist = family(families, 'app_duration_seconds');
    expect(hist.type).toBe('histogram');
    expect(hist.samples).toHaveLength(2 * 6);
    const bucketsA = findSamples(families, 'app_duration_seconds_bucket', { route: '/a' });
    expect(bucketsA.map((s) => [s.labels.le, s.value])).toEqual([
      ['0.1', 1],
      ['0.5', 3],
      ['1', 3],
      ['+Inf', 4],
    ]);
    expect(sampleValue(families, 'app_duration_seconds_count', { route: '/a' })).toBe(4);
    expect(sampleValue(families, 'app_duration_seconds_sum', { route: '/a' })).toBeCloseTo(2.55);
    expect(sampleValue(families, 'app_duration_seconds_bucket', { route: '/b', le: '0.5' })).toBe(0);
    expect(sampleValue(families, 'app_duration_seconds_bucket', { route: '/b', le: '1' })).toBe(1);

    const gauge = family(families, 'app_in_flight');
    expect(gauge).toMatchObject({ type: 'gauge', help: 'In flight' });
    expect(sampleValue(families, 'app_in_flight', {})).toBe(2.5);

    const summary = family(families, 'app_size_bytes');
    expect(summary.type).toBe('summary');
    expect(sampleValue(families, 'app_size_bytes', { quantile: '0.5' })).toBe(20);
    expect(sampleValue(families, 'app_size_bytes', { quantile: '0.9' })).toBe(30);
    expect(sampleValue(families, 'app_size_bytes_sum', {})).toBe(60);
    expect(sampleValue(families, 'app_size_bytes_count', {})).toBe(3);
  });

  it('parses the default metrics, including NaN values and empty families', async () => {
    const { text, register } = await realRegistryText();
    const families = parseExposition(text);
    const json = await register.getMetricsAsJSON();
    expect(json.length).toBeGreaterThan(20);
    for (const metric of json) {
      expect(family(families, metric.name).type, metric.name).toBe(String(metric.type));
      expect(family(families, metric.name).help, metric.name).toBe(metric.help);
    }
    expect([...families.keys()].sort()).toEqual(json.map((m) => m.name).sort());

    expect(family(families, 'process_cpu_user_seconds_total').type).toBe('counter');
    expect(sampleValue(families, 'process_start_time_seconds', {})).toBeGreaterThan(1_000_000_000);
    expect(sampleValue(families, 'nodejs_version_info', { version: process.version })).toBe(1);
    expect(family(families, 'nodejs_gc_duration_seconds').type).toBe('histogram');
    // prom-client spells NaN as "Nan", which Go's ParseFloat (and so Prometheus) accepts.
    expect(parseExposition('# TYPE lag gauge\nlag Nan\n').get('lag')?.samples[0]?.value).toBeNaN();
  });

  it('round-trips escaped label values and tracks 1-based line numbers', async () => {
    const { text } = await realRegistryText();
    const families = parseExposition(text);
    const [nasty] = findSamples(families, 'app_requests_total', { route: NASTY });
    expect(nasty?.labels).toEqual({ route: NASTY, status: '200' });
    expect(nasty?.value).toBe(7);
    const lines = text.split('\n');
    for (const f of families.values()) {
      for (const s of f.samples) expect(lines[s.line - 1]?.startsWith(s.name)).toBe(true);
    }
  });
});

describe('parseExposition on hand-written input', () => {
  it('unescapes \\\\, \\" and \\n in label values and \\\\, \\n in HELP', () => {
    const families = parseExposition(
      '# HELP m Help with \\\\ and \\n here\nm{a="x\\\\y\\"z\\nw",b=""} 1\n',
    );
    expect(families.get('m')?.help).toBe('Help with \\ and \n here');
    expect(families.get('m')?.samples[0]?.labels).toEqual({ a: 'x\\y"z\nw', b: '' });
  });

  it('accepts Go float syntax, NaN, ±Inf and integer timestamps', () => {
    const values: [string, number][] = [
      ['1', 1], ['-1.5', -1.5], ['.5', 0.5], ['1.', 1], ['1e3', 1000], ['1E-3', 0.001], ['+2', 2],
      ['+Inf', Infinity], ['-Inf', -Infinity], ['inf', Infinity], ['Infinity', Infinity],
    ];
    const text = values.map(([v], i) => `v{i="${i}"} ${v}`).join('\n');
    const samples = parseExposition(text).get('v')?.samples ?? [];
    expect(samples.map((s) => s.value)).toEqual(values.map(([, n]) => n));
    expect(parseExposition('n NaN').get('n')?.samples[0]?.value).toBeNaN();
    const stamped = parseExposition('a 1 1700000000000\nb{x="1"} 2 -5  \n');
    expect(stamped.get('a')?.samples[0]?.value).toBe(1);
    expect(stamped.get('b')?.samples[0]?.value).toBe(2);
  });

  it('ignores comments and blank lines, allows whitespace, trailing commas and empty label sets', () => {
    const families = parseExposition(
      '\n# just a comment\n#HELPER not help\n   \n# TYPE g gauge\n  g{ a = "1" , } 5\ng{} 6\n\n',
    );
    expect([...families.keys()]).toEqual(['g']);
    expect(families.get('g')?.samples.map((s) => [s.labels, s.value, s.line])).toEqual([
      [{ a: '1' }, 5, 6],
      [{}, 6, 7],
    ]);
  });

  it('makes untyped families for samples without TYPE and allows HELP after samples', () => {
    const families = parseExposition('loose{a="1"} 1\nloose{a="2"} 2\n# HELP loose late help\nother_sum 3\n');
    expect(families.get('loose')).toMatchObject({ type: 'untyped', help: 'late help' });
    expect(families.get('loose')?.samples).toHaveLength(2);
    expect(families.get('other_sum')).toMatchObject({ type: 'untyped', help: undefined });
  });

  it('attributes _sum/_count/_bucket samples to histogram and summary families only', () => {
    const families = parseExposition(
      [
        '# TYPE g gauge', 'g 1', 'g_count 2',
        '# TYPE s summary', 's{quantile="0.5"} 1', 's_sum 1', 's_count 1', 's_bucket 9',
        '# TYPE h histogram', 'h_bucket{le="1"} 0', 'h_bucket{le="+Inf"} 2', 'h_sum 3', 'h_count 2',
      ].join('\n'),
    );
    expect(families.get('g')?.samples.map((s) => s.name)).toEqual(['g']);
    expect(families.get('g_count')?.type).toBe('untyped');
    expect(families.get('s')?.samples.map((s) => s.name)).toEqual(['s', 's_sum', 's_count']);
    expect(families.get('s_bucket')?.type).toBe('untyped');
    expect(families.get('h')?.samples.map((s) => s.name)).toEqual(['h_bucket', 'h_bucket', 'h_sum', 'h_count']);
  });

  it('keeps a label called __proto__ as an ordinary label', () => {
    const sample = parseExposition('m{__proto__="x"} 1').get('m')?.samples[0];
    expect(Object.keys(sample?.labels ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(sample?.labels)).toBe(Object.prototype);
  });
});

describe('parseExposition rejects malformed input with the right line', () => {
  const cases: [string, string, RegExp][] = [
    ['metric name starting with a digit', '1abc 1', /malformed metric name/],
    ['metric name with a dash', 'foo-bar 1', /malformed metric name/],
    ['label name starting with a digit', 'foo{1a="x"} 1', /malformed label name/],
    ['label name with a dash', 'foo{a-b="x"} 1', /malformed label name/],
    ['unknown escape in a label value', 'foo{a="x\\ty"} 1', /invalid escape sequence/],
    ['unquoted label value', 'foo{a=x} 1', /not quoted/],
    ['label set cut off after a value', 'foo{a="x" 1', /unterminated label set \(expected ',' or '}'/],
    ['label set cut off at end of line', 'foo{a="x",', /unterminated label set/],
    ['label value cut off', 'foo{a="x} 1', /unterminated label set/],
    ['escaped closing quote', 'foo{a="x\\"} 1', /unterminated label set/],
    ['duplicate label name', 'foo{a="1",b="2",a="3"} 1', /duplicate label name "a"/],
    ['missing value', 'foo{a="1"}', /missing sample value/],
    ['word as value', 'foo abc', /unparsable sample value "abc"/],
    ['comma decimal', 'foo 1,5', /unparsable sample value/],
    ['hex float', 'foo 0x1p3', /unparsable sample value/],
    ['underscore digits', 'foo 1_000', /unparsable sample value/],
    ['signed NaN', 'foo -NaN', /unparsable sample value/],
    ['out-of-range float', 'foo 1e999', /unparsable sample value/],
    ['fractional timestamp', 'foo 1 1.5', /invalid timestamp/],
    ['text after timestamp', 'foo 1 123 extra', /unexpected text after timestamp/],
    ['unknown TYPE', '# TYPE foo countr', /unknown metric type "countr"/],
    ['TYPE without a type', '# TYPE foo', /unknown metric type ""/],
    ['TYPE with a bad name', '# TYPE 9foo gauge', /malformed metric name "9foo"/],
    ['HELP without a name', '# HELP', /malformed metric name ""/],
    ['bad escape in HELP', '# HELP foo a \\t b', /invalid escape sequence/],
  ];
  it.each(cases)('%s', (_, bad, reason) => {
    expectRejected(`${PRELUDE}${bad}\nok2 1\n`, 4, reason);
  });

  it('rejects samples that do not fit the declared histogram TYPE', () => {
    const head = `${PRELUDE}# TYPE h histogram\n`;
    expectRejected(`${head}h 1\n`, 5, /only allows _bucket, _sum and _count/);
    expectRejected(`${head}h_bucket 1\n`, 5, /bucket without "le"/);
    expectRejected(`${head}h_sum{le="1"} 1\n`, 5, /must not have an "le"/);
  });

  it('rejects samples that do not fit the declared summary TYPE', () => {
    const head = `${PRELUDE}# TYPE s summary\n`;
    expectRejected(`${head}s 1\n`, 5, /without "quantile"/);
    expectRejected(`${head}s_count{quantile="0.5"} 1\n`, 5, /must not have a "quantile"/);
  });

  it('rejects a TYPE line after samples of that family', () => {
    expectRejected(`${PRELUDE}foo 1\n# TYPE foo gauge\n`, 5, /TYPE line for "foo" after its samples/);
    expectRejected(`${PRELUDE}h_count 1\n# TYPE h histogram\n`, 5, /after its samples/);
    expectRejected(`${PRELUDE}s 1\n# TYPE s summary\n`, 5, /after its samples/);
  });

  it('rejects a second TYPE or HELP for the same family', () => {
    expectRejected(`${PRELUDE}# TYPE g gauge\n# TYPE g gauge\n`, 5, /second TYPE line for "g"/);
    expectRejected(`${PRELUDE}# TYPE ok_total counter\n`, 4, /second TYPE line for "ok_total"/);
    expectRejected(`${PRELUDE}# HELP g one\n# HELP g two\n`, 5, /second HELP line for "g"/);
    expectRejected(`${PRELUDE}# HELP g \n# HELP g two\n`, 5, /second HELP line/);
  });

  it('rejects duplicate series, whatever the label order', () => {
    expectRejected(`${PRELUDE}ok_total 2\n`, 4, /duplicate series "ok_total"/);
    expectRejected(`${PRELUDE}foo{a="1",b="2"} 1\nfoo{b="2",a="1"} 2\n`, 5, /duplicate series "foo"/);
  });

  describe('histogram consistency', () => {
    const head = `${PRELUDE}# TYPE h histogram\n`;
    it('accepts cumulative buckets per label set', () => {
      const ok = `${head}h_bucket{r="a",le="1"} 1\nh_bucket{r="a",le="+Inf"} 2\nh_count{r="a"} 2\n` +
        `h_bucket{r="b",le="1"} 5\nh_bucket{r="b",le="+Inf"} 5\nh_count{r="b"} 5\n`;
      expect(parseExposition(ok).get('h')?.samples).toHaveLength(6);
    });
    it('rejects a bucket smaller than the previous one', () => {
      const bad = `${head}h_bucket{le="0.5"} 3\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 3\nh_count 3\n`;
      expectRejected(bad, 6, /not cumulative/);
    });
    it('orders buckets by le value, not by line order', () => {
      const bad = `${head}h_bucket{le="10"} 1\nh_bucket{le="2"} 2\nh_bucket{le="+Inf"} 2\nh_count 2\n`;
      expectRejected(bad, 5, /not cumulative/);
    });
    it('rejects a label set without an +Inf bucket', () => {
      const bad = `${head}h_bucket{r="a",le="+Inf"} 1\nh_count{r="a"} 1\nh_bucket{r="b",le="1"} 1\nh_count{r="b"} 1\n`;
      expectRejected(bad, 7, /no le="\+Inf" bucket/);
    });
    it('rejects an +Inf bucket that differs from _count', () => {
      const bad = `${head}h_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3\nh_count 3\n`;
      expectRejected(bad, 8, /_count 3 differs from \+Inf bucket 2/);
    });
    it('rejects a missing _count', () => {
      expectRejected(`${head}h_bucket{le="+Inf"} 2\nh_sum 3\n`, 5, /no h_count/);
    });
    it('rejects two buckets with the same le value spelled differently', () => {
      const bad = `${head}h_bucket{le="1"} 1\nh_bucket{le="1.0"} 1\nh_bucket{le="+Inf"} 1\nh_count 1\n`;
      expectRejected(bad, 6, /duplicate bucket le="1.0"/);
    });
    it('rejects an unparsable le', () => {
      expectRejected(`${head}h_bucket{le="big"} 2\n`, 5, /invalid "le" value "big"/);
    });
  });
});

describe('helpers', () => {
  const families = parseExposition(
    [
      '# TYPE req_total counter',
      'req_total{route="/a",code="200"} 3',
      'req_total{route="/a",code="500"} 1',
      'req_total{route="/b",code="200"} 5',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 2',
      'h_sum 0.5',
      'h_count 2',
    ].join('\n'),
  );

  it('findSamples matches the exact sample name and a subset of labels', () => {
    expect(findSamples(families, 'req_total')).toHaveLength(3);
    expect(findSamples(families, 'req_total', { route: '/a' }).map((s) => s.value)).toEqual([3, 1]);
    expect(findSamples(families, 'req_total', { route: '/a', code: '500' }).map((s) => s.line)).toEqual([3]);
    expect(findSamples(families, 'req_total', { route: '/c' })).toEqual([]);
    expect(findSamples(families, 'req_total', { missing: '' })).toEqual([]);
    expect(findSamples(families, 'req')).toEqual([]);
    expect(findSamples(families, 'h')).toEqual([]);
    expect(findSamples(families, 'h_count').map((s) => s.value)).toEqual([2]);
  });

  it('sampleValue returns the single match, undefined for none, and throws when ambiguous', () => {
    expect(sampleValue(families, 'req_total', { route: '/b' })).toBe(5);
    expect(sampleValue(families, 'h_sum', {})).toBe(0.5);
    expect(sampleValue(families, 'req_total', { route: '/z' })).toBeUndefined();
    expect(() => sampleValue(families, 'req_total', { route: '/a' })).toThrow(/2 samples/);
  });

  it('sumSamples adds matching values and is 0 when nothing matches', () => {
    expect(sumSamples(families, 'req_total')).toBe(9);
    expect(sumSamples(families, 'req_total', { code: '200' })).toBe(8);
    expect(sumSamples(families, 'req_total', { code: '404' })).toBe(0);
    expect(sumSamples(families, 'nope')).toBe(0);
  });
});
