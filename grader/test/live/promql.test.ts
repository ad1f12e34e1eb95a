// C.4 / C.5 tooling: promtool's report parsed, the lezer fallback, the scrape-config rewrite, the
// hidden query data against the reference queries, and the alert scenarios (with promtool).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configForScrape, durationMs, EVAL_TIME, oneNumberAgrees, queryData } from '../../checks/C.4.js';
import { alertStates, allScenarios } from '../../checks/C.5.js';
import { random } from '../../live/random.js';
import { prometheusPath, promtoolPath } from '../../live/prometheus-tools.js';
import { startPrometheus } from '../../live/prometheus-server.js';
import { inspectPromql, syntaxProblem } from '../../live/promql-syntax.js';
import { parseFailures, parseSamples, samplesAgree, testRules } from '../../live/promtool-rules.js';
import { PROJECT_ROOT } from '../../paths.js';

const promtool = promtoolPath();
const prometheus = prometheusPath();
const solution = (file: string) => readFileSync(path.join(PROJECT_ROOT, 'solutions/C', file), 'utf8');

describe("promtool's failure report", () => {
  const report = `Unit Testing:  test.yml
  FAILED:
    expr: "sum(rate(x{a=\\"b\\"}[5m]))", time: 20m,
        exp: {} 7.6E+00
        got: {} 7.6923076923076925E+00
    expr: "rate(y[5m])", time: 20m,
        exp: nil
        got: {endpoint="/a", method="GET"} 1E+00, {endpoint="/b, c", method="GET"} NaN, {} +Inf
    expr: "foo(", time: 20m, err: 1:5: parse error: unclosed left parenthesis`;

  it('reads every failed expression with what it expected and got', () => {
    const failures = parseFailures(report);
    expect(failures.map((f) => f.expr)).toEqual(['sum(rate(x{a="b"}[5m]))', 'rate(y[5m])', 'foo(']);
    expect(failures[0]!.got).toEqual([{ labels: {}, value: 7.6923076923076925 }]);
    expect(failures[1]!.expected).toEqual([]);
    expect(failures[1]!.got![1]!.labels).toEqual({ endpoint: '/b, c', method: 'GET' });
    expect(failures[1]!.got![1]!.value).toBeNaN();
    expect(failures[1]!.got![2]!.value).toBe(Infinity);
    expect(failures[2]!.error).toMatch(/unclosed left parenthesis/);
  });

  it('compares samples up to float rounding, labels exactly', () => {
    expect(samplesAgree([{ labels: {}, value: 0.8333333333333334 }], [{ labels: {}, value: 0.8333333333333326 }])).toBe(true);
    expect(samplesAgree([{ labels: {}, value: 10 }], [{ labels: {}, value: 25 }])).toBe(false);
    expect(samplesAgree([{ labels: {}, value: 1 }], [{ labels: { le: '1' }, value: 1 }])).toBe(false);
    expect(parseSamples('nil')).toEqual([]);
  });
});

describe('PromQL without Prometheus (lezer grammar)', () => {
  it('accepts the reference queries and names their metrics and functions', () => {
    const queries = parse(solution('queries.yml')) as Record<string, string>;
    for (const [key, expr] of Object.entries(queries)) expect(syntaxProblem(expr), key).toBeUndefined();
    const p95 = inspectPromql(queries.latency_p95!);
    expect(p95.metrics).toEqual(['http_request_duration_seconds_bucket']);
    expect(p95.functions).toEqual(['histogram_quantile', 'rate']);
    expect(p95.aggregations).toEqual(['sum by (le)']);
  });

  it('points at a syntax error', () => {
    expect(syntaxProblem('rate(http_requests_total[5m]')).toMatch(/syntax error at character/);
    expect(syntaxProblem('sum(rate(x[5m])) by')).toBeDefined();
    expect(syntaxProblem('')).toMatch(/empty/);
  });
});

describe('prometheus.yml helpers', () => {
  it('reads Prometheus durations', () => {
    expect(durationMs('5s')).toBe(5000);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('5')).toBeUndefined();
    expect(durationMs(5)).toBeUndefined();
  });

  it("points the learner's job at the running service, scraping every second, and keeps its path", () => {
    const config = parse(solution('prometheus.yml')) as Record<string, unknown>;
    const job = (config.scrape_configs as Array<Record<string, unknown>>)[0]!;
    const rewritten = parse(configForScrape(config, { ...job, scheme: 'https', kubernetes_sd_configs: [{}] }, 4321)) as {
      scrape_configs: Array<Record<string, unknown>>;
    };
    expect(rewritten.scrape_configs).toHaveLength(1);
    expect(rewritten.scrape_configs[0]).toMatchObject({
      job_name: 'production-service',
      metrics_path: '/metrics',
      scheme: 'https',
      scrape_interval: '1s',
      static_configs: [{ targets: ['127.0.0.1:4321'] }],
    });
    expect(rewritten.scrape_configs[0]).not.toHaveProperty('kubernetes_sd_configs');
  });
});

describe.skipIf(!promtool)('with promtool installed (skipped where Prometheus is not installed)', () => {
  const reference = parse(solution('queries.yml')) as Record<string, string>;
  const SEEDS = [1, 2, 3, 42, 1234, 99991, 2 ** 31 - 2];
  /** Every expression evaluated at once on one seed's hidden series: expression → samples. */
  const evaluateAll = async (seed: number, exprs: string[]) => {
    const data = queryData(random(seed).fork('queries'));
    const outcome = await testRules(promtool!, { input_series: data.series, promql_expr_test: exprs.map((expr) => ({ expr, eval_time: EVAL_TIME, exp_samples: [] })) });
    return { data, got: new Map(outcome.failures.map((f) => [f.expr, f.got ?? []])) };
  };
  const wrong: Array<[string, string]> = [
    ['latency_p95', 'histogram_quantile(0.95, sum by (le) (http_request_duration_seconds_bucket))'], // no rate
    ['latency_p95', 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))'], // no sum by (le)
    ['latency_p95', 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])))'], // sum without le
    ['latency_p95', 'histogram_quantile(0.95, sum by (le, instance) (rate(http_request_duration_seconds_bucket[5m])))'], // per instance
    ['latency_p95', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000'], // ms
    ['latency_p99', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'], // wrong quantile
    ['prediction_p95', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'], // wrong metric
    ['error_percent', 'sum(rate(http_requests_total{status_code=~"[45].."}[5m])) / sum(rate(http_requests_total[5m])) * 100'], // 4xx
    ['error_percent', 'sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'], // ratio
    ['error_percent', 'rate(http_requests_total{status_code=~"5.."}[5m]) / rate(http_requests_total[5m]) * 100'], // no sum: labels differ
    ['error_percent', 'sum by (instance) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (instance) (rate(http_requests_total[5m])) * 100'], // per instance
    ['error_percent', 'sum(http_requests_total{status_code=~"5.."} - http_requests_total{status_code=~"5.."} offset 5m) / sum(http_requests_total - http_requests_total offset 5m) * 100'], // differences: the restart
    ['request_rate', 'http_requests_total'], // raw counter
    ['request_rate', 'irate(http_requests_total[5m])'], // the last two samples only
    ['request_rate', 'increase(http_requests_total[5m])'], // per 5 minutes
    ['request_rate', '(http_requests_total - http_requests_total offset 5m) / 300'], // the restart
    ['prediction_throughput', 'rate(http_requests_total[5m])'], // wrong metric
  ];
  const right: Array<[string, string]> = [
    ['latency_p95', 'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))'],
    ['latency_p95', 'histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket{job="production-service"}[5m])))'],
    ['error_percent', '100 * sum(increase(http_requests_total{status_code=~"5.."}[5m])) / sum(increase(http_requests_total[5m]))'],
    ['error_percent', 'sum(rate(http_requests_total{status_code=~"^5.*"}[5m])) / ignoring() sum(rate(http_requests_total[5m])) * 100'],
    ['request_rate', 'sum by (endpoint) (rate(http_requests_total[5m]))'],
    ['request_rate', 'sum(increase(http_requests_total[5m])) / 300'],
  ];

  it('on every seed, the reference queries and their correct variants give the expected values, and the classic mistakes do not', async () => {
    for (const seed of SEEDS) {
      const specs = (data: ReturnType<typeof queryData>) => [...data.specs.rates, ...data.specs.error, ...data.specs.latency];
      const template = specs(queryData(random(seed).fork('queries')));
      const exprOf = (key: string, expr: string) => {
        const spec = template.find((s) => s.key === key)!;
        return spec.wrap ? spec.wrap(expr) : expr;
      };
      const all = [...template.map((s) => exprOf(s.key, reference[s.key]!)), ...right.map(([k, e]) => exprOf(k, e)), ...wrong.map(([k, e]) => exprOf(k, e))];
      const { data, got } = await evaluateAll(seed, [...new Set(all)]);
      for (const spec of specs(data)) expect(oneNumberAgrees(spec.expected, got.get(exprOf(spec.key, reference[spec.key]!))), `seed ${seed}, reference ${spec.key}`).toBe(true);
      for (const [key, expr] of right) expect(oneNumberAgrees(specs(data).find((s) => s.key === key)!.expected, got.get(exprOf(key, expr))), `seed ${seed}, right ${key}: ${expr}`).toBe(true);
      for (const [key, expr] of wrong) expect(oneNumberAgrees(specs(data).find((s) => s.key === key)!.expected, got.get(exprOf(key, expr))), `seed ${seed}, wrong ${key}: ${expr}`).toBe(false);
    }
  });

  it('the reference alerts meet every expectation on every seed; without for: HighErrorRate fires at once', async () => {
    const rules = solution('alerts.yml');
    for (const seed of SEEDS.slice(0, 2)) {
      for (const [criterion, { alert, scenarios }] of Object.entries(allScenarios(random(seed)))) {
        const results = await Promise.all(scenarios.map((scenario) => alertStates(promtool!, rules, alert, scenario)));
        scenarios.forEach((scenario, i) => {
          for (const e of scenario.expect) expect(results[i]!.get(e.at)?.includes('firing') ?? false, `seed ${seed}, ${criterion}: ${scenario.name} at ${e.at}`).toBe(e.firing);
        });
      }
    }
    const noFor = rules.replace(/^ *for: 5m.*\n/gm, '');
    const spike = allScenarios(random(7))['C.5.error-rate-alert']!.scenarios[0]!;
    expect((await alertStates(promtool!, noFor, 'HighErrorRate', spike)).get('15m')).toEqual(['firing']);
  });

  it('each classic mistake in the rules breaks the expectations of its own criterion, on every seed tried', async () => {
    const rules = solution('alerts.yml');
    const variants: Array<[string, string, string]> = [
      ['C.5.error-alert-traffic-floor', 'no traffic floor', rules.replace('          and\n          sum(rate(http_requests_total[5m])) > 1\n', '')],
      ['C.5.latency-alert-scope', 'GET /work not left out', rules.replace('{endpoint!="/work"}', '')],
      ['C.5.keeps-firing', 'no keep_firing_for', rules.replace(/^ *keep_firing_for: .*\n/gm, '')],
      ['C.5.target-down-alert', 'no for: on TargetDown', rules.replace('        for: 2m   # a single failed scrape is a blip\n', '')],
      ['C.5.error-rate-alert', 'no sum: one ratio per series', rules.replace('sum(rate(http_requests_total{status_code=~"5.."}[5m]))\n            /\n            sum(rate(http_requests_total[5m]))', 'rate(http_requests_total{status_code=~"5.."}[5m])\n            /\n            rate(http_requests_total[5m])')],
      ['C.5.error-rate-alert', 'irate instead of rate', rules.replace(/\brate\(http_requests_total/g, 'irate(http_requests_total')],
      ['C.5.latency-alert', 'p99 per endpoint and instance', rules.replace('sum by (le) (rate(http_request_duration_seconds_bucket{endpoint!="/work"}[5m]))', 'sum by (le, endpoint, instance) (rate(http_request_duration_seconds_bucket{endpoint!="/work"}[5m]))')],
    ];
    for (const [criterion, name, text] of variants) {
      expect(text, `${name}: the edit applies`).not.toBe(rules);
      for (const seed of SEEDS.slice(0, 2)) {
        const { alert, scenarios } = allScenarios(random(seed))[criterion]!;
        const results = await Promise.all(scenarios.map((scenario) => alertStates(promtool!, text, alert, scenario)));
        const broken = scenarios.some((scenario, i) => scenario.expect.some((e) => (results[i]!.get(e.at)?.includes('firing') ?? false) !== e.firing));
        expect(broken, `seed ${seed}, ${criterion}: ${name}`).toBe(true);
      }
    }
  });
});

describe.skipIf(!prometheus)('a real Prometheus (skipped where Prometheus is not installed)', () => {
  it('starts on a free loopback port, answers queries, and is gone after stop()', async () => {
    const server = await startPrometheus(prometheus!, 'global:\n  scrape_interval: 1s\nscrape_configs: []\n');
    try {
      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await server.query('vector(42)')).toEqual([{ metric: {}, value: 42 }]);
    } finally {
      server.stop();
    }
    await expect(fetch(`${server.baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
  });

  it('reports a config it refuses instead of hanging', async () => {
    await expect(startPrometheus(prometheus!, 'scrape_configs:\n  - job_name: x\n    scrape_interval: nonsense\n')).rejects.toThrow(/exited/);
  });
});
