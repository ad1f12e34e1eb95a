// C.5 — alerting logic: histogramQuantile as Prometheus computes it, the 5xx error rate and the
// latency quantile from a registry, and checkAlerts firing (and logging) at the right thresholds.
// Hand-written cases first, then generated ones compared with the course's oracles.
import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkAlerts, errorRate, histogramQuantile, latencyQuantile } from '@target/C/alerting.js';
import { compareWithOracle, outcome, SEED, show, type Outcome } from './differential.js';
import { cumulative, errorRateOracle, latencyQuantileOracle, quantileOracle, type RequestCount } from './oracles/C.5.js';

type Buckets = Array<{ le: number; count: number }>;
const b = (pairs: Array<[number, number]>): Buckets => pairs.map(([le, count]) => ({ le, count }));
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function near(got: number | undefined, want: number, what: string): void {
  if (!agree(got, want)) expect.fail(`${what}: expected ${want}, got ${got}`);
}

/** The same number up to float rounding (a relative 1e-9), NaN and the infinities exactly. */
function agree(got: number | undefined, want: number | undefined): boolean {
  if (want === undefined || got === undefined) return got === want;
  if (typeof got !== 'number') return false;
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

// ------------------------------------------------------------------------------------------------
// Generated inputs

/** Bucket layouts: the course's, Prometheus' defaults, a few small ones, negative bounds, random. */
const LAYOUTS: number[][] = [
  REQUEST_BUCKETS,
  [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  [0.1, 0.5, 1, 2],
  [1],
  [0, 1, 10],
  [-1, 0, 1],
  [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
];
const boundsArb: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...LAYOUTS) },
  { weight: 2, arbitrary: fc.uniqueArray(fc.integer({ min: -20, max: 2000 }).map((k) => k / 100), { minLength: 1, maxLength: 8 }).map((b) => [...b].sort((x, y) => x - y)) },
);
/** Observations per bucket (not cumulative): many empty buckets, whole and fractional (rate()) counts. */
const perBucketArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 5000 }).map((k) => k / 1000) },
);

type QArgs = [number, Buckets];
const qFor = (buckets: Buckets, pick: number): number => {
  // A q whose rank falls exactly on a bucket's count, where "first bucket whose count reaches the rank" matters.
  const total = buckets.find((x) => x.le === Infinity)?.count ?? 0;
  const finite = buckets.filter((x) => x.le !== Infinity);
  return total > 0 && finite.length ? (finite[pick % finite.length]!.count / total) : 0.5;
};
const quantileArb: fc.Arbitrary<QArgs> = fc
  .record({
    bounds: boundsArb,
    counts: fc.array(perBucketArb, { minLength: 16, maxLength: 16 }),
    overflow: perBucketArb,
    withInf: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    q: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(0, 1, 0.5, 0.9, 0.95, 0.99, 0.999) },
      { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
      { weight: 2, arbitrary: fc.nat(20).map((k) => -1 - k) },
      { weight: 1, arbitrary: fc.constantFrom(-0.01, 1.01, 2, Number.NaN) },
    ),
    order: fc.constantFrom('sorted', 'reversed', 'shuffled'),
    twist: fc.constantFrom('none', 'none', 'none', 'duplicate', 'decreasing'),
    seed: fc.nat(1000),
  })
  .map(({ bounds, counts, overflow, withInf, q, order, twist, seed }) => {
    let running = 0;
    let buckets: Buckets = bounds.map((le, i) => ({ le, count: (running += counts[i] ?? 0) }));
    if (withInf) buckets.push({ le: Infinity, count: running + overflow });
    if (twist === 'duplicate' && buckets.length > 1) buckets.push({ ...buckets[seed % buckets.length]! });
    if (twist === 'decreasing' && buckets.length > 2) buckets[1 + (seed % (buckets.length - 2))]!.count = Math.max(0, buckets[0]!.count - 1);
    if (order === 'reversed') buckets = buckets.reverse();
    if (order === 'shuffled') buckets = buckets.map((x, i) => ({ x, k: (i * 7919 + seed) % 101 })).sort((a, b) => a.k - b.k).map(({ x }) => x);
    // Negative "q" values above pick a rank on a bucket's count.
    const quantile = q <= -1 && Number.isInteger(q) ? qFor(buckets, -1 - q) : q;
    return [quantile, buckets] as QArgs;
  });

/** Runs an async learner function on every generated input first, then compares with the oracle
 * through compareWithOracle (smallest inputs first, so the case reported is a small one). */
async function compareAsync<I, R>(
  samples: I[],
  learner: (input: I) => Promise<R>,
  oracle: (input: I) => R,
  call: (input: I) => string,
  same: (seen: R, expected: R, input: I) => boolean,
  what: string,
): Promise<void> {
  const answers: Array<Outcome<R>> = [];
  for (const input of samples) {
    try {
      answers.push({ returned: await learner(input) });
    } catch (error) {
      answers.push(error instanceof Error ? { threw: error.constructor.name, message: error.message } : { threw: typeof error, message: String(error) });
    }
  }
  compareWithOracle<[number], R>(
    {
      inputs: fc.integer({ min: 0, max: samples.length - 1 }).map((i) => [i] as [number]),
      learner: (i) => {
        const answer = answers[i]!;
        if ('returned' in answer) return answer.returned;
        throw new Error(`${answer.threw}: ${answer.message}`);
      },
      oracle: (i) => oracle(samples[i]!),
      call: ([i]) => call(samples[i]!),
      same: (seen, expected, [i]) => same(seen, expected, samples[i]!),
      sameError: false,
      numRuns: samples.length * 2,
      structuredClone: false,
    },
    what,
  );
}

const sample = <T>(arb: fc.Arbitrary<T>, n: number, size: (t: T) => number): T[] =>
  fc.sample(arb, { seed: SEED, numRuns: n }).sort((a, b) => size(a) - size(b));

/** A registry with the course's request metrics, independent of the learner's metrics module. */
function serviceRegistry() {
  const registry = new Registry();
  const requests = new Counter({ name: 'http_requests_total', help: 'requests', labelNames: ['method', 'endpoint', 'status_code'] as const, registers: [registry] });
  const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'latency', labelNames: ['method', 'endpoint'] as const, buckets: REQUEST_BUCKETS, registers: [registry] });
  return { registry, requests, latency };
}

function traffic(counts: Record<string, number>) {
  const s = serviceRegistry();
  for (const [status, n] of Object.entries(counts)) {
    const [method, endpoint] = status.startsWith('2') ? ['GET', '/health'] : ['POST', '/predict'];
    s.requests.inc({ method: method!, endpoint: endpoint!, status_code: status }, n);
  }
  return s;
}

function observe(h: Histogram<'method' | 'endpoint'>, labels: { method: string; endpoint: string }, seconds: number, times: number): void {
  for (let i = 0; i < times; i++) h.observe(labels, seconds);
}

function outcomeValue(call: () => number): number | undefined {
  const o = outcome(call);
  return 'returned' in o ? o.returned : undefined;
}

interface Logged {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger() {
  const lines: Logged[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, logger: { debug: at('DEBUG'), info: at('INFO'), warning: at('WARNING'), error: at('ERROR') } };
}

const STD = b([[0.1, 10], [0.5, 60], [1, 90], [Infinity, 100]]);

describe('C.5.histogram-quantile', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    near(histogramQuantile(0.5, STD), 0.1 + 0.4 * (40 / 50), 'q=0.5 of 10/60/90/100 under 0.1/0.5/1/+Inf');
    near(histogramQuantile(0.75, STD), 0.5 + 0.5 * (15 / 30), 'q=0.75');
    near(histogramQuantile(0.99, b([[0.25, 1.5], [0.5, 1.9], [1, 1.96], [2.5, 2], [Infinity, 2]])), 1 + 1.5 * (0.02 / 0.04), 'fractional counts, as rate() gives');
  });
  it('starts the first bucket at 0 when its upper bound is positive', () => {
    near(histogramQuantile(0.05, STD), 0.05, 'q=0.05: half-way into the first bucket');
    near(histogramQuantile(0, STD), 0, 'q=0');
  });
  it('gives the highest finite bound when the rank falls in +Inf', () => {
    near(histogramQuantile(0.95, STD), 1, 'q=0.95 with 10 observations above 1');
    near(histogramQuantile(1, STD), 1, 'q=1');
  });
  it('handles the special cases as Prometheus does', () => {
    near(histogramQuantile(1.5, STD), Infinity, 'q > 1');
    near(histogramQuantile(-0.5, STD), -Infinity, 'q < 0');
    near(histogramQuantile(Number.NaN, STD), Number.NaN, 'q NaN');
    near(histogramQuantile(0.5, b([[0.1, 0], [1, 0], [Infinity, 0]])), Number.NaN, 'no observations');
    near(histogramQuantile(0.5, b([[0.1, 3], [1, 10]])), Number.NaN, 'no +Inf bucket');
    near(histogramQuantile(0.5, b([[Infinity, 10]])), Number.NaN, 'only the +Inf bucket');
  });
  it('sorts the buckets, adds up equal bounds, and never lets a count go down', () => {
    near(histogramQuantile(0.5, b([[Infinity, 100], [1, 90], [0.1, 10], [0.5, 60]])), 0.1 + 0.4 * (40 / 50), 'unsorted input');
    near(histogramQuantile(0.5, b([[0.5, 2], [1, 4], [1, 4], [Infinity, 10]])), 0.75, 'two buckets with le=1');
    near(histogramQuantile(0.75, b([[0.1, 10], [0.5, 5], [1, 20], [Infinity, 20]])), 0.75, 'a count lower than the one before it');
  });
  it('returns a bound <= 0 of the first bucket as it is, and interpolates between negative bounds', () => {
    const negative = b([[-1, 20], [0, 50], [1, 100], [Infinity, 100]]);
    near(histogramQuantile(0.1, negative), -1, 'rank in a first bucket with le=-1');
    near(histogramQuantile(0.3, negative), -1 + 10 / 30, 'rank between -1 and 0');
  });
  it('agrees with Prometheus on generated buckets: layouts, empty buckets, ranks on a bound, in the first bucket and in +Inf, q of 0 and 1', () => {
    compareWithOracle<QArgs, number>(
      {
        inputs: quantileArb,
        learner: (q, buckets) => histogramQuantile(q, buckets),
        oracle: (q, buckets) => quantileOracle(q, buckets),
        call: ([q, buckets]) => `histogramQuantile(${show(q)}, [${buckets.map((x) => `{ le: ${show(x.le)}, count: ${show(x.count)} }`).join(', ')}])`,
        same: (seen, expected) => agree(seen, expected),
        numRuns: 400,
      },
      'histogramQuantile disagrees with Prometheus',
    );
  });
  it("leaves the caller's array as it was", () => {
    const input = b([[1, 5], [0.5, 2], [Infinity, 10]]);
    const copy = structuredClone(input);
    histogramQuantile(0.5, input);
    expect(input, 'histogramQuantile should not sort or change its argument').toEqual(copy);
  });
});

describe('C.5.error-rate', () => {
  it('is the share of 5xx among all requests', async () => {
    near(await errorRate(traffic({ '200': 90, '500': 6, '503': 4 }).registry), 0.1, '90 × 200, 6 × 500, 4 × 503');
  });
  it('does not count 4xx: they are client errors', async () => {
    near(await errorRate(traffic({ '200': 80, '404': 15, '422': 3, '500': 2 }).registry), 0.02, '80 × 200, 15 × 404, 3 × 422, 2 × 500');
    near(await errorRate(traffic({ '200': 5, '404': 5 }).registry), 0, 'only 200s and 404s');
  });
  it('adds up every label set', async () => {
    const s = serviceRegistry();
    s.requests.inc({ method: 'GET', endpoint: '/a', status_code: '500' }, 1);
    s.requests.inc({ method: 'POST', endpoint: '/b', status_code: '500' }, 2);
    s.requests.inc({ method: 'GET', endpoint: '/c', status_code: '200' }, 7);
    near(await errorRate(s.registry), 0.3, '3 × 500 on two endpoints, 7 × 200');
  });
  it('is undefined when there was no traffic at all', async () => {
    expect(await errorRate(serviceRegistry().registry), 'no requests: no error rate (not 0, not NaN)').toBeUndefined();
  });
  it('agrees with the 5xx share on generated traffic: 4xx and 5xx mixed, zero counts, other error counters', async () => {
    interface Traffic {
      counts: RequestCount[];
      otherErrors: number;
    }
    const trafficArb: fc.Arbitrary<Traffic> = fc.record({
      counts: fc.uniqueArray(
        fc.record({
          method: fc.constantFrom('GET', 'POST'),
          endpoint: fc.constantFrom('/health', '/predict', '/items/:id', 'unmatched', '/work', '/boom'),
          status_code: fc.constantFrom('200', '201', '204', '301', '304', '400', '404', '409', '422', '429', '499', '500', '502', '503', '504', '599'),
          count: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100_000 })),
        }),
        { selector: (c) => `${c.method} ${c.endpoint} ${c.status_code}`, maxLength: 10 },
      ),
      otherErrors: fc.nat(50),
    });
    const build = ({ counts, otherErrors }: Traffic) => {
      const s = serviceRegistry();
      // Errors of another kind (http_errors_total) are not requests: they must not be read.
      const errors = new Counter({ name: 'http_errors_total', help: 'errors', labelNames: ['method', 'endpoint', 'error_type'] as const, registers: [s.registry] });
      if (otherErrors) errors.inc({ method: 'POST', endpoint: '/predict', error_type: 'validation_error' }, otherErrors);
      for (const { count, ...labels } of counts) s.requests.inc(labels, count);
      return s.registry;
    };
    await compareAsync<Traffic, number | undefined>(
      sample(trafficArb, 150, (t) => t.counts.length),
      (t) => errorRate(build(t)),
      (t) => errorRateOracle(t.counts),
      (t) => `errorRate(registry) with http_requests_total ${t.counts.length ? t.counts.map((c) => `${c.method} ${c.endpoint} ${c.status_code} × ${c.count}`).join(', ') : 'empty'}${t.otherErrors ? `, and http_errors_total ${t.otherErrors}` : ''}`,
      (seen, expected) => agree(seen, expected),
      'errorRate is not the share of 5xx among all requests',
    );
  });
});

describe('C.5.latency-quantile', () => {
  it('sums the buckets of every label set, like sum by (le)', async () => {
    const s = serviceRegistry();
    observe(s.latency, { method: 'GET', endpoint: '/health' }, 0.003, 60);
    observe(s.latency, { method: 'POST', endpoint: '/predict' }, 0.3, 30);
    observe(s.latency, { method: 'POST', endpoint: '/predict' }, 2, 10);
    // Summed: 60 under 5 ms, 30 in (0.25, 0.5], 10 in (1, 2.5]; total 100.
    const summed = b([[0.005, 60], [0.01, 60], [0.025, 60], [0.05, 60], [0.1, 60], [0.25, 60], [0.5, 90], [1, 90], [2.5, 100], [5, 100], [10, 100], [Infinity, 100]]);
    for (const [q, want] of [[0.5, 0.005 * (50 / 60)], [0.8, 0.25 + 0.25 * (20 / 30)], [0.95, 1 + 1.5 * 0.5], [0.99, 1 + 1.5 * 0.9]] as const) {
      const got = await latencyQuantile(s.registry, q);
      // Judged against the true value, or against the learner's own histogramQuantile on the summed
      // buckets: this criterion is about reading and adding up the registry, not the interpolation.
      let own: number | undefined;
      try {
        own = histogramQuantile(q, summed);
      } catch {
        own = undefined;
      }
      const ok = typeof got === 'number' && (Math.abs(got - want) < 1e-9 || (own !== undefined && Math.abs(got - own) < 1e-9));
      if (!ok) expect.fail(`latencyQuantile(registry, ${q}) with 60 × 3 ms on /health and 30 × 0.3 s + 10 × 2 s on /predict: expected ${want} (all endpoints together), got ${got}`);
    }
  });
  it('is in seconds, as the histogram is', async () => {
    const s = serviceRegistry();
    observe(s.latency, { method: 'GET', endpoint: '/work' }, 0.7, 10);
    const got = await latencyQuantile(s.registry, 0.5);
    // Or what the learner's own histogramQuantile makes of these buckets (judged by its own criterion).
    const mine = outcomeValue(() => histogramQuantile(0.5, REQUEST_BUCKETS.map((le) => ({ le, count: le >= 0.7 ? 10 : 0 })).concat([{ le: Infinity, count: 10 }])));
    if (!(typeof got === 'number' && ((got > 0.5 && got <= 1) || agree(got, mine)))) expect.fail(`10 × 0.7 s: the median is in (0.5, 1] seconds, got ${got}`);
  });
  it('is undefined when nothing has been observed', async () => {
    expect(await latencyQuantile(serviceRegistry().registry, 0.99), 'no requests: no latency').toBeUndefined();
  });
  it('agrees with sum by (le) then histogram_quantile on generated histograms: layouts, label sets, empty series, values on a bound', async () => {
    interface Latencies {
      bounds: number[];
      series: Array<{ method: string; endpoint: string; values: number[] }>;
      q: number;
    }
    const latenciesArb: fc.Arbitrary<Latencies> = fc
      .record({ bounds: fc.constantFrom(...LAYOUTS.filter((l) => l[0]! > 0)), q: fc.constantFrom(0, 0.5, 0.9, 0.95, 0.99, 1, 0.25, 0.999) })
      .chain(({ bounds, q }) =>
        fc.record({
          bounds: fc.constant(bounds),
          q: fc.constant(q),
          series: fc.uniqueArray(
            fc.record({
              method: fc.constantFrom('GET', 'POST'),
              endpoint: fc.constantFrom('/health', '/predict', '/items/:id', '/work'),
              values: fc.array(fc.oneof(fc.constantFrom(...bounds), fc.integer({ min: 0, max: 1500 }).map((k) => k / 100), fc.integer({ min: 0, max: 2000 }).map((k) => k / 10_000)), { maxLength: 30 }),
            }),
            { selector: (x) => `${x.method} ${x.endpoint}`, minLength: 1, maxLength: 4 },
          ),
        }),
      );
    const build = ({ bounds, series }: Latencies) => {
      const registry = new Registry();
      const latency = new Histogram({ name: 'http_request_duration_seconds', help: 'latency', labelNames: ['method', 'endpoint'] as const, buckets: bounds, registers: [registry] });
      // Another histogram in the same registry, which must not be read.
      const model = new Histogram({ name: 'prediction_duration_seconds', help: 'model', buckets: [0.001, 0.01, 0.1], registers: [registry] });
      model.observe(0.05);
      for (const { method, endpoint, values } of series) {
        if (values.length === 0) latency.zero({ method, endpoint });
        for (const v of values) latency.observe({ method, endpoint }, v);
      }
      return registry;
    };
    const summed = (l: Latencies) => cumulative(l.bounds, l.series.flatMap((x) => x.values));
    await compareAsync<Latencies, number | undefined>(
      sample(latenciesArb, 120, (l) => l.series.reduce((n, x) => n + x.values.length, 0)),
      (l) => latencyQuantile(build(l), l.q),
      (l) => latencyQuantileOracle(l.bounds, l.series.map((x) => x.values), l.q),
      (l) => `latencyQuantile(registry, ${l.q}) with buckets [${l.bounds.join(', ')}] and ${l.series.map((x) => `${x.method} ${x.endpoint}: [${x.values.join(', ')}]`).join('; ')}`,
      // This criterion is about reading and adding up the registry: agreeing with the learner's own
      // histogramQuantile on the summed buckets is enough.
      (seen, expected, l) => agree(seen, expected) || (expected !== undefined && agree(seen, outcomeValue(() => histogramQuantile(l.q, summed(l))))),
      'latencyQuantile does not add up the buckets of every label set before the quantile',
    );
  });
});

describe('C.5.check-alerts', () => {
  function registryWith(errors: number, ok: number, slow: number, fast: number) {
    const s = serviceRegistry();
    if (errors) s.requests.inc({ method: 'POST', endpoint: '/predict', status_code: '500' }, errors);
    if (ok) s.requests.inc({ method: 'GET', endpoint: '/health', status_code: '200' }, ok);
    // One label set: how latencyQuantile adds up label sets is judged by its own criterion.
    observe(s.latency, { method: 'POST', endpoint: '/predict' }, 3, slow);
    observe(s.latency, { method: 'POST', endpoint: '/predict' }, 0.002, fast);
    return s.registry;
  }
  const names = (alerts: Array<{ name: string }>) => alerts.map((a) => a.name).sort();
  type Options = { errorRateThreshold?: number; latencyThreshold?: number; quantile?: number };

  /** What the learner's own errorRate and latencyQuantile say (undefined when one throws): checkAlerts
   * is judged on its thresholds and its logging, so an error in those two, judged by their own
   * criteria, is not counted twice. */
  async function own(registry: Registry, options: Options): Promise<{ names: string[]; rate: number | undefined } | undefined> {
    try {
      const rate = await errorRate(registry);
      const latency = await latencyQuantile(registry, options.quantile ?? 0.99);
      const fired = [
        ...(typeof rate === 'number' && rate > (options.errorRateThreshold ?? 0.05) ? ['HighErrorRate'] : []),
        ...(typeof latency === 'number' && latency > (options.latencyThreshold ?? 1) ? ['HighLatencyP99'] : []),
      ];
      return { names: fired.sort(), rate };
    } catch {
      return undefined;
    }
  }

  async function expectAlerts(alerts: Array<{ name: string }>, registry: Registry, options: Options, truth: string[], what: string): Promise<void> {
    const got = names(alerts);
    if (JSON.stringify(got) === JSON.stringify(truth)) return;
    const mine = await own(registry, options);
    if (mine && JSON.stringify(got) === JSON.stringify(mine.names)) return;
    expect(got, what).toEqual(truth);
  }

  it('stays quiet on a healthy service and logs nothing', async () => {
    const { lines, logger } = recordingLogger();
    const registry = registryWith(1, 99, 0, 100);
    const alerts = await checkAlerts(registry, { logger });
    await expectAlerts(alerts, registry, {}, [], '1 % errors, every request 2 ms: no alert');
    expect(lines.filter((l) => l.level === 'WARNING').length, 'one warning per firing alert, and none when nothing fires').toBe(alerts.length);
  });
  it('fires HighErrorRate above 5 % and warns through the given logger', async () => {
    const { lines, logger } = recordingLogger();
    const registry = registryWith(20, 80, 0, 100);
    const alerts = await checkAlerts(registry, { logger });
    await expectAlerts(alerts, registry, {}, ['HighErrorRate'], '20 % errors, fast requests');
    const alert = alerts.find((a) => a.name === 'HighErrorRate');
    const mine = await own(registry, {});
    if (alert && !(agree(alert.value, 0.2) || (mine?.rate !== undefined && agree(alert.value, mine.rate)))) expect.fail(`the alert carries the error rate as its value: expected 0.2, got ${alert.value}`);
    const warnings = lines.filter((l) => l.level === 'WARNING');
    expect(warnings.length, 'one logger.warning(...) per firing alert').toBe(alerts.length);
    expect(warnings.map((w) => w.fields?.alert).sort(), 'the warning names the alert in its fields: { alert: "HighErrorRate", ... }').toEqual(names(alerts));
    for (const w of warnings) expect(w.message.length, 'the warning has a message').toBeGreaterThan(5);
  });
  it('fires HighLatencyP99 when p99 is above 1 s', async () => {
    const { lines, logger } = recordingLogger();
    const registry = registryWith(0, 100, 5, 95);
    const alerts = await checkAlerts(registry, { logger });
    await expectAlerts(alerts, registry, {}, ['HighLatencyP99'], '5 % of requests take 3 s: p99 is between 2.5 and 5 s');
    const warnings = lines.filter((l) => l.level === 'WARNING');
    expect(warnings.map((w) => w.fields?.alert).sort(), 'one warning per firing alert, naming it').toEqual(names(alerts));
  });
  it('fires both when both are bad', async () => {
    const { lines, logger } = recordingLogger();
    const registry = registryWith(10, 90, 10, 90);
    const alerts = await checkAlerts(registry, { logger });
    await expectAlerts(alerts, registry, {}, ['HighErrorRate', 'HighLatencyP99'], '10 % errors and 10 % of requests at 3 s');
    expect(lines.filter((l) => l.level === 'WARNING').length, 'a warning per alert').toBe(alerts.length);
  });
  it('fires only strictly above the threshold', async () => {
    const { logger } = recordingLogger();
    const registry = registryWith(5, 95, 0, 100);
    await expectAlerts(await checkAlerts(registry, { logger }), registry, {}, [], 'exactly 5 % errors does not exceed 5 %');
  });
  it('uses the thresholds and quantile it is given', async () => {
    const { logger } = recordingLogger();
    const registry = registryWith(3, 97, 5, 95);
    const strict = { errorRateThreshold: 0.01, latencyThreshold: 10 };
    await expectAlerts(await checkAlerts(registry, { logger, ...strict }), registry, strict, ['HighErrorRate'], '3 % errors against a 1 % threshold; latency threshold 10 s');
    await expectAlerts(await checkAlerts(registry, { logger, quantile: 0.5 }), registry, { quantile: 0.5 }, [], 'the median is 2 ms: no latency alert at quantile 0.5');
  });
  it('fires nothing when there has been no traffic', async () => {
    const { lines, logger } = recordingLogger();
    expect(names(await checkAlerts(serviceRegistry().registry, { logger }))).toEqual([]);
    expect(lines.filter((l) => l.level === 'WARNING')).toEqual([]);
  });
});
