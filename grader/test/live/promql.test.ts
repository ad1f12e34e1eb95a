// C.4 / C.5 tooling: promtool's report parsed, the lezer fallback, the scrape-config rewrite, the
// hidden query data against the reference queries, and the alert scenarios (with promtool).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configForScrape, durationMs, EVAL_TIME, QUERIES, QUERY_SERIES } from '../../checks/C4.js';
import { alertStates, SCENARIOS } from '../../checks/C5.js';
import { prometheusPath, promtoolPath } from '../../live/prometheus-tools.js';
import { startPrometheus } from '../../live/prometheus-server.js';
import { inspectPromql, syntaxProblem } from '../../live/promql-syntax.js';
import { parseFailures, parseSamples, samplesAgree, testRules } from '../../live/promtool-rules.js';
import { PROJECT_ROOT } from '../../run/paths.js';

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
  const specs = [...QUERIES.rates, ...QUERIES.error, ...QUERIES.latency];
  const evaluate = async (expr: string) => {
    const outcome = await testRules(promtool!, { input_series: QUERY_SERIES, promql_expr_test: [{ expr, eval_time: EVAL_TIME, exp_samples: [] }] });
    return outcome.failures[0]?.got ?? [];
  };

  it('the hidden expected values are what the reference queries give', async () => {
    for (const spec of specs) {
      const expr = spec.wrap ? spec.wrap(reference[spec.key]!) : reference[spec.key]!;
      expect(samplesAgree(spec.expected, await evaluate(expr)), spec.key).toBe(true);
    }
  });

  it('the classic mistakes give other values on the hidden series', async () => {
    const wrong: Array<[string, string]> = [
      ['latency_p95', 'histogram_quantile(0.95, sum by (le) (http_request_duration_seconds_bucket))'], // no rate
      ['latency_p95', 'histogram_quantile(0.95, rate(http_request_duration_seconds_bucket[5m]))'], // no sum by (le)
      ['latency_p95', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000'], // ms
      ['latency_p99', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'], // wrong quantile
      ['prediction_p95', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'], // wrong metric
      ['error_percent', 'sum(rate(http_requests_total{status_code=~"[45].."}[5m])) / sum(rate(http_requests_total[5m])) * 100'], // 4xx
      ['error_percent', 'sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'], // ratio
      ['error_percent', 'rate(http_requests_total{status_code=~"5.."}[5m]) / rate(http_requests_total[5m]) * 100'], // no sum: labels differ
    ];
    for (const [key, expr] of wrong) {
      const spec = specs.find((s) => s.key === key)!;
      expect(samplesAgree(spec.expected, await evaluate(expr)), `${key}: ${expr}`).toBe(false);
    }
    for (const [key, expr] of [['request_rate', 'sum(http_requests_total)'], ['request_rate', 'sum(increase(http_requests_total[5m]))']] as const) {
      expect(samplesAgree(QUERIES.rates[0]!.expected, await evaluate(expr)), `${key}: ${expr}`).toBe(false);
    }
  });

  it('the reference alerts fire after 5 minutes and stay quiet otherwise; without for: they fire at once', async () => {
    const rules = solution('alerts.yml');
    for (const [alert, scenarios] of Object.entries(SCENARIOS)) {
      for (const scenario of scenarios) {
        const states = await alertStates(promtool!, rules, alert, scenario);
        for (const e of scenario.expect) expect(states.get(e.at)?.includes('firing') ?? false, `${alert} / ${scenario.name} at ${e.at}`).toBe(e.firing);
      }
    }
    const noFor = rules.replace(/^ *for: 5m.*\n/gm, '');
    const spike = SCENARIOS.HighErrorRate[0]!;
    const states = await alertStates(promtool!, noFor, 'HighErrorRate', spike);
    expect(states.get('15m')).toEqual(['firing']);
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
