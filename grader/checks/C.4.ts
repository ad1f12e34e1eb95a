// C.4 — Prometheus scrapes the service: the learner's prometheus.yml (checked by promtool, then used
// by a real Prometheus against the learner's running service) and the course's PromQL queries
// (evaluated by `promtool test rules` on hidden series that vary per run).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { send } from '../live/http.js';
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { pollUntil } from '../live/prometheus-server.js';
import { checkConfig, counterValues, formatSamples, problemLines, samplesAgree, testRules, type Sample, type SeriesInput } from '../live/promtool-rules.js';
import type { Random } from '../live/random.js';
import { inspectPromql, syntaxProblem } from '../live/promql-syntax.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { quantileOracle } from '../suites/oracles/C.5.js';
import { checkSet, expectThat, Mismatch, scrapingServer, settled, stopStarted, type ExerciseChecks, type LiveContext, type ToolContext } from './kit.js';

export const JOB = 'production-service';
const CONFIG_FILE = 'C/prometheus.yml';
const QUERIES_FILE = 'C/queries.yml';
export const WITHOUT_PROMETHEUS = 'checked without Prometheus: promtool is not installed';

// ---------------------------------------------------------------------------------------------
// prometheus.yml

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a learner's YAML file; a missing file or a YAML error is the learner's to fix. */
export function readYaml(targetDir: string, rel: string): { text: string; data: unknown } {
  const file = path.join(targetDir, rel);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Mismatch(`${rel} could not be read`, `the file ${rel}`, 'no such file');
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const first = doc.errors[0]!;
    throw new Mismatch(`${rel} is not valid YAML: ${first.message.split('\n')[0]}`, 'valid YAML', first.message);
  }
  return { text, data: doc.toJS() as unknown };
}

/** Prometheus durations ("5s", "1m30s", "500ms") in milliseconds; undefined when not a duration. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  let total = 0;
  let rest = value.trim();
  while (rest) {
    const m = /^(\d+)(ms|s|m|h|d|w|y)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

function scrapeJobs(config: unknown): Yaml[] {
  if (!isMap(config) || !Array.isArray(config.scrape_configs)) return [];
  return config.scrape_configs.filter(isMap);
}

function jobNames(config: unknown): string {
  const names = scrapeJobs(config).map((j) => `"${String(j.job_name)}"`);
  return names.length ? `scrape jobs ${names.join(', ')}` : 'no scrape job at all (scrape_configs is empty)';
}

function staticTargets(job: Yaml): string[] {
  const groups = Array.isArray(job.static_configs) ? job.static_configs.filter(isMap) : [];
  return groups.flatMap((g) => (Array.isArray(g.targets) ? g.targets.map(String) : []));
}

/** The job a real scrape uses: the one named production-service, or the only one there is. */
function jobForScrape(config: unknown): Yaml | undefined {
  const jobs = scrapeJobs(config);
  return jobs.find((j) => j.job_name === JOB) ?? (jobs.length === 1 ? jobs[0] : undefined);
}

/** The learner's config, reduced to its scrape job and pointed at the running service. */
export function configForScrape(config: Yaml, job: Yaml, port: number): string {
  const global = isMap(config.global) ? { ...config.global } : {};
  global.scrape_interval = '1s';
  global.scrape_timeout = '1s';
  delete global.evaluation_interval;
  const rewritten: Yaml = { ...job, scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets: [`127.0.0.1:${port}`] }] };
  // Only static targets: discovery of other targets is not what this check is about.
  for (const key of Object.keys(rewritten)) if (key.endsWith('_sd_configs')) delete rewritten[key];
  return stringify({ global, scrape_configs: [rewritten] });
}

function siblingYaml(targetDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['alerts.yml', 'alerts.yaml', 'rules.yml', 'rules.yaml']) {
    try {
      files[name] = readFileSync(path.join(targetDir, 'C', name), 'utf8');
    } catch {
      // not there
    }
  }
  return files;
}

async function configValid(targetDir: string, promtool: string | undefined): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, CONFIG_FILE);
  let note: string | undefined;
  if (promtool) {
    const outcome = await checkConfig(promtool, text, siblingYaml(targetDir));
    expectThat(!outcome.timedOut, 'promtool check config did not finish in time', 'an answer within 15 s', 'no answer');
    expectThat(outcome.ok, `promtool check config refuses ${CONFIG_FILE}`, 'SUCCESS: valid prometheus config file', problemLines(outcome.output));
  } else {
    expectThat(data === null || isMap(data), `${CONFIG_FILE} should be a YAML map with global: and scrape_configs:`, 'a map', JSON.stringify(data)?.slice(0, 200));
    note = WITHOUT_PROMETHEUS;
  }
  const jobs = scrapeJobs(data);
  expectThat(jobs.length > 0, 'a valid config that scrapes nothing: add a job under scrape_configs', 'at least one scrape job', jobNames(data));
  return pass(promtool ? 'promtool check config: SUCCESS' : 'the file parses and defines a scrape job', note);
}

function scrapeJob(targetDir: string): Verdict {
  const { data } = readYaml(targetDir, CONFIG_FILE);
  const job = scrapeJobs(data).find((j) => j.job_name === JOB);
  expectThat(job !== undefined, `there should be a scrape job named ${JOB} (it becomes the job label of every series)`, `job_name: ${JOB}`, jobNames(data));
  const metricsPath = job.metrics_path ?? '/metrics';
  expectThat(metricsPath === '/metrics', 'the service serves its metrics at /metrics', 'metrics_path: /metrics', `metrics_path: ${String(metricsPath)}`);
  const global = isMap(data) && isMap(data.global) ? data.global : {};
  const interval = job.scrape_interval ?? global.scrape_interval ?? '1m';
  const from = job.scrape_interval !== undefined ? 'in the job' : global.scrape_interval !== undefined ? 'from global:' : 'the built-in default';
  expectThat(durationMs(interval) === 5000, 'this job should be scraped every 5 seconds', 'scrape_interval: 5s (in the job)', `scrape_interval: ${String(interval)} (${from})`);
  const targets = staticTargets(job);
  expectThat(targets.length > 0, 'the job needs a static target: where the service listens', "static_configs: [{ targets: ['localhost:3000'] }]", 'no static target');
  const bad = targets.find((t) => !/^[\w.-]+:\d+$/.test(t) && !/^\[[0-9a-f:]+\]:\d+$/i.test(t));
  expectThat(bad === undefined, 'a target is host:port only, without http:// and without a path', 'e.g. localhost:3000', String(bad));
  return pass(`job ${JOB}: /metrics every 5 s from ${targets.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// The real scrape (live)

const SCRAPE_DEADLINE_MS = 15_000;
const HEALTH_REQUESTS = 7;

async function realScrape({ service, targetDir, prometheus, launchPrometheus }: LiveContext) {
  // Prometheus takes ~5 s to scrape for the first time: start it before anything else.
  let config: unknown;
  let job: Yaml | undefined;
  let problem: Mismatch | undefined;
  try {
    config = readYaml(targetDir, CONFIG_FILE).data;
    job = jobForScrape(config);
    if (!job) problem = new Mismatch(`${CONFIG_FILE} has no scrape job to try (finish the config first)`, `a job named ${JOB}`, jobNames(config));
  } catch (error) {
    if (!(error instanceof Mismatch)) throw error;
    problem = error;
  }
  const started = prometheus && job && isMap(config) ? settled(launchPrometheus(prometheus, configForScrape(config, job, service.port))) : undefined;
  try {
    for (let i = 0; i < HEALTH_REQUESTS; i++) await send(service.baseUrl, 'GET', '/health');
  } catch (error) {
    // The check will not run: stop Prometheus now rather than at exit.
    stopStarted(started);
    throw error;
  }

  return {
    'C.4.real-scrape': async () => {
      if (problem) throw problem;
      if (!started || !job) return skipped(`a real scrape needs Prometheus: ${INSTALL_HINT}`);
      const server = await scrapingServer(started);
      try {
        const name = String(job.job_name);
        const selector = `job="${name}"`;
        const up = await pollUntil(async () => {
          const samples = await server.query(`up{${selector}}`);
          return samples.some((s) => s.value === 1) ? samples : undefined;
        }, SCRAPE_DEADLINE_MS);
        if (!up) {
          const targets = await server.targets().catch(() => []);
          const seen = targets.length
            ? targets.map((t) => `${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('\n')
            : 'no target at all';
          throw new Mismatch(`Prometheus could not scrape the service within ${SCRAPE_DEADLINE_MS / 1000} s with your job (pointed at the service's port)`, `up{${selector}} == 1`, seen);
        }
        const expr = `sum(http_requests_total{${selector},endpoint="/health"})`;
        const counted = await pollUntil(async () => {
          const v = (await server.query(expr))[0]?.value;
          return v !== undefined && v >= HEALTH_REQUESTS ? v : undefined;
        }, 3000);
        if (counted === undefined) {
          const v = (await server.query(expr).catch(() => []))[0]?.value;
          throw new Mismatch(`Prometheus scraped the service but does not see the ${HEALTH_REQUESTS} GET /health sent before`, `${expr} >= ${HEALTH_REQUESTS}`, v === undefined ? 'no such series in Prometheus' : String(v));
        }
        return pass(`Prometheus scraped the service (up == 1) and read back ${counted} GET /health requests`);
      } finally {
        server.stop();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The queries

const MINUTES = 20;
/** The latency and traffic change here, so a query on the raw counters (no rate) gives another number. */
const PHASE_START = 10;
export const EVAL_TIME = `${MINUTES}m`;

const REQUEST_LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PREDICTION_LE = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];
const leLabel = (le: number) => (le === Infinity ? '+Inf' : String(le));
type Range = readonly [number, number];

/** Request counters per instance: method, endpoint, status, increments per minute before and after minute 10. */
const ROUTES: ReadonlyArray<readonly [string, string, string, Range, Range]> = [
  ['GET', '/health', '200', [30, 60], [30, 60]],
  ['POST', '/predict', '201', [15, 30], [15, 30]],
  ['POST', '/predict', '422', [0, 3], [3, 8]],
  ['GET', 'unmatched', '404', [2, 6], [5, 12]],
  ['POST', '/predict', '500', [0, 1], [3, 8]],
  ['GET', '/boom', '500', [0, 0], [1, 4]],
  ['GET', '/work', '503', [0, 1], [1, 3]],
];

/** Latency histograms per instance: observations per minute in each bucket (not cumulative), before
 * and after minute 10 (ranges drawn per run). */
const LATENCY: ReadonlyArray<{ method: string; endpoint: string; before: Range[]; after: Range[] }> = [
  { method: 'GET', endpoint: '/health', before: [[30, 60]], after: [[5, 20], [5, 20], [5, 20]] },
  { method: 'POST', endpoint: '/predict', before: [[0, 0], [0, 0], [0, 0], [15, 30]], after: [[0, 0], [0, 0], [0, 0], [0, 0], [3, 10], [8, 20], [8, 20], [2, 6], [1, 4]] },
];
const PREDICTION: { before: Range[]; after: Range[] } = { before: [[10, 25]], after: [[3, 10], [3, 10], [3, 10], [3, 10]] };

export interface QuerySpec {
  key: string;
  what: string;
  /** How the learner's query is evaluated (`q` is the learner's expression). */
  wrap?: (q: string) => string;
  expected: Sample[];
  metric: string;
}

export interface QueryData {
  series: SeriesInput[];
  specs: Record<'rates' | 'error' | 'latency', QuerySpec[]>;
  /** What the series are, for a message: instances, and which one restarted when. */
  story: string;
}

const one = (value: number): Sample[] => [{ labels: {}, value }];
const draw = (random: Random, [min, max]: Range) => random.int(min, max);

/** Hidden traffic for the queries: two instances of the service over 20 minutes, one of which
 * restarts (its counters start again from 0) in the last 5 minutes; after minute 10 every other minute
 * is busier, so the last two samples (irate) are not the 5-minute average. The numbers vary per run;
 * the expected answers are worked out here from the same numbers. */
export function queryData(random: Random): QueryData {
  const instances = [`10.0.${random.int(1, 127)}.${random.int(2, 254)}:3000`, `10.0.${random.int(128, 254)}.${random.int(2, 254)}:3000`];
  const restarted = random.pick(instances);
  const resetAt = random.int(MINUTES - 4, MINUTES - 1);
  const series: SeriesInput[] = [];
  /** Adds a counter series; returns its increase over the last 5 minutes (what rate() averages). */
  const counter = (name: string, labels: string, before: number, after: number, extra: number, instance: string): number => {
    const increment = (m: number) => (m <= PHASE_START ? before : after + (m % 2 === 1 ? extra : 0));
    series.push({
      series: `${name}{job="${JOB}", instance="${instance}", ${labels}}`,
      values: counterValues(MINUTES + 1, increment, instance === restarted ? resetAt : undefined),
    });
    let window = 0;
    for (let m = MINUTES - 4; m <= MINUTES; m++) window += increment(m);
    return window;
  };
  /** Adds one histogram's bucket series; returns the increase of each (cumulative) bucket over the last 5 minutes. */
  const histogram = (name: string, labels: string, bounds: number[], before: Range[], after: Range[], instance: string): number[] => {
    const perBucket = (ranges: Range[]) => [...bounds, Infinity].map((_, i) => (ranges[i] ? draw(random, ranges[i]!) : 0));
    const cumulate = (counts: number[]) => counts.map((_, i) => counts.slice(0, i + 1).reduce((x, y) => x + y, 0));
    const b = cumulate(perBucket(before));
    const a = perBucket(after);
    // The busier minutes add observations to one bucket in use, which moves the quantiles.
    const used = a.map((c, i) => (c > 0 ? i : -1)).filter((i) => i >= 0);
    const extra = a.map((_, i) => (i === used[used.length - 1] ? random.int(2, 6) : 0));
    const after1 = cumulate(a);
    const extra1 = cumulate(extra);
    return [...bounds, Infinity].map((le, i) => counter(name, `${labels}, le="${leLabel(le)}"`, b[i]!, after1[i]!, extra1[i]!, instance));
  };

  let total = 0;
  let errors = 0;
  let predictions = 0;
  const latency = new Array<number>(REQUEST_LE.length + 1).fill(0);
  const model = new Array<number>(PREDICTION_LE.length + 1).fill(0);
  for (const instance of instances) {
    for (const [method, endpoint, status, before, after] of ROUTES) {
      const window = counter('http_requests_total', `method="${method}", endpoint="${endpoint}", status_code="${status}"`, draw(random, before), draw(random, after), random.int(0, 3), instance);
      total += window;
      if (status.startsWith('5')) errors += window;
    }
    predictions += counter('predictions_total', 'model_version="v1.0"', draw(random, [10, 25]), draw(random, [10, 25]), random.int(1, 4), instance);
    for (const h of LATENCY) {
      histogram('http_request_duration_seconds_bucket', `method="${h.method}", endpoint="${h.endpoint}"`, REQUEST_LE, h.before, h.after, instance).forEach((c, i) => (latency[i]! += c));
    }
    histogram('prediction_duration_seconds_bucket', 'model_version="v1.0"', PREDICTION_LE, PREDICTION.before, PREDICTION.after, instance).forEach((c, i) => (model[i]! += c));
  }
  // rate() over the last 5 minutes: the increase of minutes 16-20, per second.
  const perSecond = (counts: number[], bounds: number[]) => [...bounds, Infinity].map((le, i) => ({ le, count: counts[i]! / 300 }));
  const quantile = (q: number, counts: number[], bounds: number[]) => quantileOracle(q, perSecond(counts, bounds));
  return {
    series,
    story: `two instances (${instances.join(', ')}); ${restarted} restarted at minute ${resetAt}`,
    specs: {
      rates: [
        // Any grouping of the per-series rates is a request rate: the sum of the answer is judged.
        { key: 'request_rate', what: 'requests per second', wrap: (q) => `sum(${q})`, expected: one(total / 300), metric: 'http_requests_total' },
        { key: 'prediction_throughput', what: 'predictions per second', wrap: (q) => `sum(${q})`, expected: one(predictions / 300), metric: 'predictions_total' },
      ],
      error: [{ key: 'error_percent', what: 'the percentage of requests answered 5xx, one number for the whole service', expected: one((errors / total) * 100), metric: 'http_requests_total' }],
      latency: [
        { key: 'latency_p50', what: 'the median request latency in seconds, all endpoints and instances together', expected: one(quantile(0.5, latency, REQUEST_LE)), metric: 'http_request_duration_seconds_bucket' },
        { key: 'latency_p95', what: 'the 95th percentile request latency in seconds, all endpoints and instances together', expected: one(quantile(0.95, latency, REQUEST_LE)), metric: 'http_request_duration_seconds_bucket' },
        { key: 'latency_p99', what: 'the 99th percentile request latency in seconds, all endpoints and instances together', expected: one(quantile(0.99, latency, REQUEST_LE)), metric: 'http_request_duration_seconds_bucket' },
        { key: 'prediction_p95', what: 'the 95th percentile time in the model in seconds, all instances together', expected: one(quantile(0.95, model, PREDICTION_LE)), metric: 'prediction_duration_seconds_bucket' },
      ],
    },
  };
}

/** Reads queries.yml into key → expression. */
export function readQueries(targetDir: string): Record<string, unknown> {
  const { data } = readYaml(targetDir, QUERIES_FILE);
  expectThat(isMap(data), `${QUERIES_FILE} should be a YAML map of query name → PromQL`, 'request_rate: rate(...)', JSON.stringify(data)?.slice(0, 200) ?? 'an empty file');
  return data;
}

function queryOf(queries: Record<string, unknown>, key: string): string {
  const value = queries[key];
  expectThat(value !== undefined && value !== null, `${QUERIES_FILE} has no query ${key}`, `${key}: <PromQL>`, `keys: ${Object.keys(queries).join(', ') || 'none'}`);
  const expr = String(value).trim();
  expectThat(!/TODO/.test(expr), `${key} is not written yet`, 'a PromQL expression', expr);
  return expr;
}

/** One number, whatever labels it kept (e.g. job): the value is what is judged. */
export function oneNumberAgrees(expected: Sample[], got: Sample[] | undefined): boolean {
  if (!got) return false;
  if (samplesAgree(expected, got)) return true;
  return expected.length === 1 && got.length === 1 && samplesAgree([{ labels: {}, value: expected[0]!.value }], [{ labels: {}, value: got[0]!.value }]);
}

/** What is probably wrong, for the message: the classic mistakes, recognised from the answer. */
function diagnose(spec: QuerySpec, expr: string, got: Sample[] | undefined): string {
  const shape = inspectPromql(expr);
  const ratio = got?.length === 1 && spec.expected.length === 1 ? got[0]!.value / spec.expected[0]!.value : undefined;
  if (!shape.metrics.includes(spec.metric)) return `it should read ${spec.metric}`;
  if (!shape.functions.some((f) => f === 'rate' || f === 'irate' || f === 'increase')) return `${spec.metric} only ever goes up since the service started (and back to 0 when it restarts): take its rate() over [5m]`;
  if (!got || got.length === 0) return 'it gives no result on the test data: check the metric name, the label names and values, the vector matching of a division, and that `le` is kept for histogram_quantile';
  if (got.length > 1 && spec.expected.length === 1) {
    const kept = [...new Set(got.flatMap((s) => Object.keys(s.labels)))].join(', ');
    return spec.metric.endsWith('_bucket')
      ? `one answer per ${kept || 'series'}: add up the buckets of every series first with sum by (le) (...), keeping only le`
      : `one answer per ${kept || 'series'}: sum each side over every series (sum(...)), so the whole service gives one number`;
  }
  if (ratio !== undefined && Math.abs(ratio - 1000) < 1) return 'that looks like milliseconds: the histogram is in seconds';
  if (ratio !== undefined && Math.abs(ratio - 0.01) < 1e-6) return 'that is a ratio: multiply by 100 for a percentage';
  if (spec.key === 'error_percent' && ratio !== undefined && ratio > 1.5) return 'too many errors counted: only 5xx are server errors (4xx are the client\'s mistakes)';
  if (ratio !== undefined && Math.abs(ratio - 300) < 1) return 'that is the increase over 5 minutes: rate() gives per second';
  if (shape.functions.includes('irate')) return 'irate() looks at the last two samples only: rate() over [5m] averages the whole window';
  return 'compare it with the lesson\'s recipe (one instance restarted during the window: only rate() and increase() handle that)';
}

async function judgeQueries(targetDir: string, promtool: string | undefined, data: QueryData, specs: QuerySpec[]): Promise<Verdict> {
  const queries = readQueries(targetDir);
  const exprs = specs.map((s) => queryOf(queries, s.key));
  if (!promtool) {
    specs.forEach((spec, i) => {
      const expr = exprs[i]!;
      const problem = syntaxProblem(expr);
      expectThat(!problem, `${spec.key} is not valid PromQL`, 'a valid PromQL expression', problem);
      const shape = inspectPromql(expr);
      expectThat(shape.metrics.includes(spec.metric), `${spec.key} should read ${spec.metric}`, spec.metric, `metrics read: ${shape.metrics.join(', ') || 'none'}`);
      expectThat(shape.functions.some((f) => f === 'rate' || f === 'irate' || f === 'increase'), `${spec.key}: a counter (and each histogram bucket is one) only goes up; take its rate()`, `rate(${spec.metric}[5m])`, expr);
    });
    return pass(`${specs.map((s) => s.key).join(', ')}: valid PromQL on the right metrics`, `${WITHOUT_PROMETHEUS}; the values were not evaluated`);
  }
  const outcomes = await Promise.all(
    specs.map((spec, i) =>
      testRules(promtool, {
        input_series: data.series,
        promql_expr_test: [{ expr: spec.wrap ? spec.wrap(exprs[i]!) : exprs[i]!, eval_time: EVAL_TIME, exp_samples: spec.expected.map((s) => ({ labels: '{}', value: s.value })) }],
      }),
    ),
  );
  specs.forEach((spec, i) => {
    const outcome = outcomes[i]!;
    const expr = exprs[i]!;
    if (outcome.ok) return;
    expectThat(!outcome.timedOut, `promtool did not finish evaluating ${spec.key}`, 'an answer within 15 s', 'no answer');
    const failure = outcome.failures[0];
    if (!failure) throw new Mismatch(`promtool could not evaluate ${spec.key}`, 'a PromQL expression promtool accepts', problemLines(outcome.output));
    if (failure.error) throw new Mismatch(`${spec.key} is not valid PromQL`, 'a valid PromQL expression', `${expr}\n${failure.error}`);
    if (oneNumberAgrees(spec.expected, failure.got)) return; // the same up to float rounding
    const shown = spec.wrap ? `${spec.wrap('…')} of your query` : 'your query';
    throw new Mismatch(
      `${spec.key} should give ${spec.what} (evaluated on hidden test series: ${data.story}): ${diagnose(spec, expr, failure.got)}`,
      formatSamples(spec.expected),
      `${shown} gave:\n${formatSamples(failure.got)}\nquery: ${expr.replace(/\s+/g, ' ')}`,
    );
  });
  return pass(`${specs.map((s) => s.key).join(', ')}: the right values on the test series`);
}

export default {
  exercise: 'C.4',
  live: checkSet(['C.4.real-scrape'] as const, realScrape),
  tools: checkSet(['C.4.config-valid', 'C.4.scrape-job', 'C.4.rate-queries', 'C.4.error-percent', 'C.4.latency-quantiles'] as const, async ({ targetDir, promtool, random }: ToolContext) => {
    const data = queryData(random.fork('queries'));
    return {
      'C.4.config-valid': () => configValid(targetDir, promtool),
      'C.4.scrape-job': () => scrapeJob(targetDir),
      'C.4.rate-queries': () => judgeQueries(targetDir, promtool, data, data.specs.rates),
      'C.4.error-percent': () => judgeQueries(targetDir, promtool, data, data.specs.error),
      'C.4.latency-quantiles': () => judgeQueries(targetDir, promtool, data, data.specs.latency),
    };
  }),
} satisfies ExerciseChecks;
