// C.5 — alerting logic: histogramQuantile as Prometheus computes it, the 5xx error rate and the
// latency quantile from a registry, and checkAlerts firing (and logging) at the right thresholds.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { checkAlerts, errorRate, histogramQuantile, latencyQuantile } from '@target/C/alerting.js';

type Buckets = Array<{ le: number; count: number }>;
const b = (pairs: Array<[number, number]>): Buckets => pairs.map(([le, count]) => ({ le, count }));
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function near(got: number | undefined, want: number, what: string): void {
  const ok = typeof got === 'number' && (Number.isNaN(want) ? Number.isNaN(got) : !Number.isFinite(want) ? got === want : Math.abs(got - want) < 1e-9);
  if (!ok) expect.fail(`${what}: expected ${want}, got ${got}`);
}

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
    if (!(typeof got === 'number' && got > 0.5 && got <= 1)) expect.fail(`10 × 0.7 s: the median is in (0.5, 1] seconds, got ${got}`);
  });
  it('is undefined when nothing has been observed', async () => {
    expect(await latencyQuantile(serviceRegistry().registry, 0.99), 'no requests: no latency').toBeUndefined();
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

  it('stays quiet on a healthy service and logs nothing', async () => {
    const { lines, logger } = recordingLogger();
    const alerts = await checkAlerts(registryWith(1, 99, 0, 100), { logger });
    expect(names(alerts), '1 % errors, every request 2 ms: no alert').toEqual([]);
    expect(lines.filter((l) => l.level === 'WARNING'), 'no warning when nothing fires').toEqual([]);
  });
  it('fires HighErrorRate above 5 % and warns through the given logger', async () => {
    const { lines, logger } = recordingLogger();
    const alerts = await checkAlerts(registryWith(20, 80, 0, 100), { logger });
    expect(names(alerts), '20 % errors, fast requests').toEqual(['HighErrorRate']);
    near(alerts[0]?.value, 0.2, 'the alert carries the error rate as its value');
    const warnings = lines.filter((l) => l.level === 'WARNING');
    expect(warnings.length, 'one logger.warning(...) per firing alert').toBe(1);
    expect(warnings[0]?.fields?.alert, 'the warning names the alert in its fields: { alert: "HighErrorRate", ... }').toBe('HighErrorRate');
    expect(warnings[0]?.message.length, 'the warning has a message').toBeGreaterThan(5);
  });
  it('fires HighLatencyP99 when p99 is above 1 s', async () => {
    const { lines, logger } = recordingLogger();
    const alerts = await checkAlerts(registryWith(0, 100, 5, 95), { logger });
    expect(names(alerts), '5 % of requests take 3 s: p99 is between 2.5 and 5 s').toEqual(['HighLatencyP99']);
    const warnings = lines.filter((l) => l.level === 'WARNING');
    expect(warnings.map((w) => w.fields?.alert), 'one warning, for HighLatencyP99').toEqual(['HighLatencyP99']);
  });
  it('fires both when both are bad', async () => {
    const { lines, logger } = recordingLogger();
    const alerts = await checkAlerts(registryWith(10, 90, 10, 90), { logger });
    expect(names(alerts)).toEqual(['HighErrorRate', 'HighLatencyP99']);
    expect(lines.filter((l) => l.level === 'WARNING').length, 'a warning per alert').toBe(2);
  });
  it('fires only strictly above the threshold', async () => {
    const { logger } = recordingLogger();
    expect(names(await checkAlerts(registryWith(5, 95, 0, 100), { logger })), 'exactly 5 % errors does not exceed 5 %').toEqual([]);
  });
  it('uses the thresholds and quantile it is given', async () => {
    const { logger } = recordingLogger();
    const registry = registryWith(3, 97, 5, 95);
    expect(names(await checkAlerts(registry, { logger, errorRateThreshold: 0.01, latencyThreshold: 10 })), '3 % errors against a 1 % threshold; latency threshold 10 s').toEqual(['HighErrorRate']);
    expect(names(await checkAlerts(registry, { logger, quantile: 0.5 })), 'the median is 2 ms: no latency alert at quantile 0.5').toEqual([]);
  });
  it('fires nothing when there has been no traffic', async () => {
    const { lines, logger } = recordingLogger();
    expect(names(await checkAlerts(serviceRegistry().registry, { logger }))).toEqual([]);
    expect(lines.filter((l) => l.level === 'WARNING')).toEqual([]);
  });
});
