// C.5 — Alerting rules: the learner's alerts.yml is checked by promtool, then its alerts are run by
// `promtool test rules` over hidden traffic (two instances, several endpoints, numbers varied per
// run): they must fire once `for:` has elapsed and stay quiet before that, below the threshold, on
// 4xx, on a quiet night, on the route that is slow on purpose; keep firing through a short dip; and
// page when the service cannot be scraped. Every alert links its runbook.
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { checkRules, counterValues, problemLines, testRules, type SeriesInput } from '../live/promtool-rules.js';
import { syntaxProblem } from '../live/promql-syntax.js';
import type { Random } from '../live/random.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { JOB, readYaml, WITHOUT_PROMETHEUS } from './C.4.js';
import { checkSet, expectThat, Mismatch, type ExerciseChecks, type ToolContext } from './kit.js';

const RULES_FILE = 'C/alerts.yml';
/** The two alerts whose structure C.5.rules-valid checks (TargetDown has a criterion of its own). */
export const ALERT_NAMES = ['HighErrorRate', 'HighLatencyP99'] as const;
type AlertName = (typeof ALERT_NAMES)[number] | 'TargetDown';

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Rule {
  alert: string;
  expr: string;
  labels: Yaml;
  annotations: Yaml;
  for?: unknown;
  keepFiringFor?: unknown;
}

function alertRules(data: unknown): Rule[] {
  if (!isMap(data) || !Array.isArray(data.groups)) return [];
  return data.groups
    .filter(isMap)
    .flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isMap) : []))
    .filter((r) => typeof r.alert === 'string')
    .map((r) => ({
      alert: String(r.alert),
      expr: String(r.expr ?? ''),
      labels: isMap(r.labels) ? r.labels : {},
      annotations: isMap(r.annotations) ? r.annotations : {},
      for: r.for,
      keepFiringFor: r.keep_firing_for,
    }));
}

const namesOf = (rules: Rule[]) => (rules.length ? `alerts: ${rules.map((r) => r.alert).join(', ')}` : 'no alerting rule at all');

async function rulesValid(targetDir: string, promtool: string | undefined): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  if (promtool) {
    const outcome = await checkRules(promtool, text);
    expectThat(!outcome.timedOut, 'promtool check rules did not finish in time', 'an answer within 15 s', 'no answer');
    expectThat(outcome.ok, `promtool check rules refuses ${RULES_FILE}`, 'SUCCESS', problemLines(outcome.output));
  }
  const rules = alertRules(data);
  for (const name of ALERT_NAMES) {
    const rule = rules.find((r) => r.alert === name);
    expectThat(rule !== undefined, `there should be an alerting rule named ${name}`, `- alert: ${name}`, namesOf(rules));
    if (!promtool) {
      const problem = syntaxProblem(rule.expr);
      expectThat(!problem, `the expression of ${name} is not valid PromQL`, 'a valid PromQL expression', problem);
    }
    expectThat(typeof rule.labels.severity === 'string' && rule.labels.severity.trim() !== '', `${name} needs a severity label, so that the alert can be routed (paging vs ticket)`, 'labels: { severity: critical } (or warning)', `labels: ${JSON.stringify(rule.labels)}`);
    for (const key of ['summary', 'description']) {
      const value = rule.annotations[key];
      expectThat(typeof value === 'string' && value.trim() !== '', `${name} needs a ${key} annotation: the person paged reads it first`, `annotations: { ${key}: ... }`, `annotations: ${JSON.stringify(rule.annotations)}`);
    }
  }
  return pass(promtool ? `promtool check rules: SUCCESS; ${ALERT_NAMES.join(' and ')} with severity, summary and description` : 'both alerts present, labelled and annotated; expressions parse', promtool ? undefined : WITHOUT_PROMETHEUS);
}

// ---------------------------------------------------------------------------------------------
// Hidden traffic for the firing tests: one sample a minute, two instances, several endpoints; the
// numbers vary per run within ranges that keep every verdict the same for a correct rule.

const LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];
const leLabel = (le: number) => (le === Infinity ? '+Inf' : String(le));
/** Bucket indexes in LE of some latencies. */
const FAST = [0, 1, 2, 3]; // up to 50 ms
const UNDER_1S = 7; // (0.5, 1]
const SLOW = 8; // (1, 2.5]

interface Expectation {
  at: string;
  firing: boolean;
  why: string;
}

export interface Scenario {
  name: string;
  series: SeriesInput[];
  expect: Expectation[];
}

type PerMinute = (minute: number) => number;
const always = (n: number): PerMinute => () => n;
const from = (start: number, n: number): PerMinute => (m) => (m > start ? n : 0);

/** One scenario's series, built up: request counters, latency buckets and `up`. */
class Traffic {
  readonly series: SeriesInput[] = [];
  constructor(
    readonly minutes: number,
    private readonly restart?: { instance: string; at: number },
  ) {}

  private values(instance: string, perMinute: PerMinute): string {
    return counterValues(this.minutes + 1, perMinute, this.restart?.instance === instance ? this.restart.at : undefined);
  }

  requests(instance: string, method: string, endpoint: string, status: string, perMinute: PerMinute): this {
    this.series.push({
      series: `http_requests_total{job="${JOB}", instance="${instance}", method="${method}", endpoint="${endpoint}", status_code="${status}"}`,
      values: this.values(instance, perMinute),
    });
    return this;
  }

  /** Latency buckets: `perBucket(minute)` gives the observations of that minute per bucket of LE. */
  latency(instance: string, method: string, endpoint: string, perBucket: (minute: number) => number[]): this {
    LE.forEach((le, i) => {
      const cumulative: PerMinute = (m) => perBucket(m).slice(0, i + 1).reduce((a, b) => a + b, 0);
      this.series.push({
        series: `http_request_duration_seconds_bucket{job="${JOB}", instance="${instance}", method="${method}", endpoint="${endpoint}", le="${leLabel(le)}"}`,
        values: this.values(instance, cumulative),
      });
    });
    return this;
  }

  up(instance: string, job: string, value: (minute: number) => 0 | 1): this {
    this.series.push({ series: `up{job="${job}", instance="${instance}"}`, values: Array.from({ length: this.minutes + 1 }, (_, m) => value(m)).join(' ') });
    return this;
  }
}

/** `count` observations spread over the given buckets (evenly, the rest in the first). */
function spread(count: number, buckets: number[]): number[] {
  const out = new Array<number>(LE.length).fill(0);
  const each = Math.floor(count / buckets.length);
  buckets.forEach((b) => (out[b]! += each));
  out[buckets[0]!]! += count - each * buckets.length;
  return out;
}
const plus = (...parts: number[][]) => LE.map((_, i) => parts.reduce((sum, p) => sum + (p[i] ?? 0), 0));

function instanceNames(random: Random): [string, string] {
  return [`10.1.${random.int(0, 127)}.${random.int(2, 254)}:3000`, `10.1.${random.int(128, 255)}.${random.int(2, 254)}:3000`];
}

const firesAfterFor = (trouble: string): Expectation[] => [
  { at: '9m', firing: false, why: 'nothing is wrong yet' },
  { at: '15m', firing: false, why: `${trouble} started at minute 10: 5 minutes of \`for:\` have not passed yet` },
  { at: '17m', firing: true, why: `${trouble} has lasted more than 5 minutes: the alert should fire` },
  { at: '30m', firing: true, why: `${trouble} goes on: the alert should still fire` },
];
const quietAt = (times: string[], why: string): Expectation[] => times.map((at) => ({ at, firing: false, why }));

/** HighErrorRate: fires after 5 minutes of more than 5 % 5xx, quiet on 3 % and on 4xx only. */
function errorRateScenarios(random: Random): Scenario[] {
  const [a, b] = instanceNames(random);
  const spike = new Traffic(30);
  for (const instance of [a, b]) {
    const health = random.int(60, 100);
    const predict = random.int(30, 60);
    spike
      .requests(instance, 'GET', '/health', '200', always(health))
      .requests(instance, 'POST', '/predict', '201', always(predict))
      .requests(instance, 'POST', '/predict', '500', from(10, random.int(Math.ceil(0.6 * (health + predict)), health + predict)));
  }
  // Under 3.5 % server errors, spread over endpoints and instances; one instance restarts.
  const low = new Traffic(30, { instance: random.pick([a, b]), at: random.int(18, 24) });
  for (const [instance, endpoint, status] of [[a, '/predict', '500'], [b, '/boom', '500'], [b, '/work', '503']] as const) {
    const ok = random.int(100, 160);
    low.requests(instance, 'GET', '/health', '200', always(ok)).requests(instance, 'GET', endpoint, status, always(random.int(1, Math.floor(ok * 0.035))));
  }
  const clients = new Traffic(30);
  for (const instance of [a, b]) {
    const ok = random.int(70, 100);
    clients
      .requests(instance, 'GET', '/health', '200', always(ok))
      .requests(instance, 'GET', 'unmatched', '404', always(random.int(Math.ceil(ok * 0.2), Math.ceil(ok * 0.3))))
      .requests(instance, 'POST', '/predict', '422', always(random.int(Math.ceil(ok * 0.1), Math.ceil(ok * 0.15))));
  }
  // Errors in bursts: every other minute, a fifth to a quarter of the requests fail. Over 5 minutes
  // the share stays above 5 %; the last two samples alone (irate) say 0 every other minute.
  const bursts = new Traffic(30);
  for (const instance of [a, b]) {
    const ok = random.int(100, 140);
    const failing = Math.round((ok * random.int(20, 25)) / 100);
    bursts.requests(instance, 'GET', '/health', '200', always(ok)).requests(instance, 'POST', '/predict', '503', (m) => (m > 10 && m % 2 === 1 ? failing : 0));
  }
  return [
    { name: 'after 10 healthy minutes, over a third of POST /predict fail with 500 on both instances', series: spike.series, expect: firesAfterFor('the errors') },
    {
      name: 'from minute 10, errors come in bursts: every other minute a fifth of the requests fail',
      series: bursts.series,
      expect: [
        { at: '9m', firing: false, why: 'nothing is wrong yet' },
        ...['20m', '30m'].map((at) => ({ at, firing: true, why: 'over any 5 minutes since minute 12, more than 5 % of requests failed: the alert should fire (rate over 5 minutes, not irate)' })),
      ],
    },
    { name: 'under 3.5 % of requests fail with 5xx (on several endpoints and instances; one instance restarts)', series: low.series, expect: quietAt(['20m', '30m'], 'the alert should stay quiet: under 3.5 % of all requests are server errors, under the 5 % threshold (does the rule add up every series before dividing?)') },
    { name: '30–45 % of requests are 404 or 422 (client mistakes), no 5xx', series: clients.series, expect: quietAt(['30m'], "4xx are the clients' mistakes, not server errors: no alert") },
  ];
}

/** HighErrorRate on a quiet night: a request or two a minute, half of them failing; and no traffic. */
function nightScenarios(random: Random): Scenario[] {
  const [a] = instanceNames(random);
  const perMinute = random.int(1, 2);
  const night = new Traffic(40)
    .requests(a, 'GET', '/health', '200', (m) => (m % 2 === 1 ? perMinute : 0))
    .requests(a, 'POST', '/predict', '500', (m) => (m > 0 && m % 2 === 0 ? perMinute : 0));
  const idle = new Traffic(30).requests(a, 'GET', '/health', '200', always(0)).requests(a, 'POST', '/predict', '500', always(0));
  const why = `the alert should stay quiet: with ${perMinute} request${perMinute > 1 ? 's' : ''} a minute, half of them failing, a handful of failures at night is no reason to wake anybody (require a minimum of traffic)`;
  return [
    { name: `a quiet night: ${perMinute} request${perMinute > 1 ? 's' : ''} every minute, every other minute a 500`, series: night.series, expect: quietAt(['10m', '15m', '20m', '25m', '30m', '35m', '40m'], why) },
    { name: 'no traffic at all', series: idle.series, expect: quietAt(['10m', '30m'], 'the alert should stay quiet: no requests, no errors') },
  ];
}

/** HighErrorRate keeps firing when the error rate dips under 5 % for three evaluations. */
function wobbleScenarios(random: Random): Scenario[] {
  const [a, b] = instanceNames(random);
  const dip = (m: number) => m >= 26 && m <= 28;
  const wobble = new Traffic(60);
  for (const instance of [a, b]) {
    const ok = random.int(200, 260);
    const errors = Math.round((ok * random.int(98, 112)) / 1000);
    wobble.requests(instance, 'GET', '/health', '200', always(ok)).requests(instance, 'POST', '/predict', '500', (m) => (m > 10 && m <= 40 && !dip(m) ? errors : 0));
  }
  const why = 'the alert should still fire: about 10 % of requests fail from minute 10 to 40, except three minutes without errors (26–28), so the 5-minute share dips under 5 % at minutes 28–30 only; once firing, an alert should keep firing through such a dip (keep_firing_for)';
  return [
    {
      name: 'errors from minute 10 to 40 with a short dip',
      series: wobble.series,
      expect: [
        { at: '20m', firing: true, why: 'the errors have lasted 10 minutes: the alert should fire' },
        ...['28m', '29m', '30m', '33m'].map((at) => ({ at, firing: true, why })),
        { at: '60m', firing: false, why: 'the alert should have resolved: the errors stopped 20 minutes ago (keep_firing_for of 15 minutes at most)' },
      ],
    },
  ];
}

/** HighLatencyP99: fires after 5 minutes of p99 above 1 s; quiet under it, and when one small series is slow. */
function latencyScenarios(random: Random): Scenario[] {
  const [a, b] = instanceNames(random);
  const spike = new Traffic(30);
  for (const instance of [a, b]) {
    const health = random.int(40, 60);
    const predict = random.int(40, 60);
    const slow = random.int(12, 20);
    spike
      .latency(instance, 'GET', '/health', () => spread(health, FAST))
      .latency(instance, 'POST', '/predict', (m) => plus(spread(predict, [3, 4, 5]), m > 10 ? spread(slow, [SLOW]) : []));
  }
  // p99 under 1 s: up to 1.5 % of requests between 0.5 and 1 s, none slower; one instance restarts.
  const under = new Traffic(30, { instance: random.pick([a, b]), at: random.int(18, 24) });
  for (const instance of [a, b]) {
    const predict = random.int(100, 150);
    const health = random.int(60, 80);
    under
      .latency(instance, 'GET', '/health', () => spread(health, FAST))
      .latency(instance, 'POST', '/predict', () => plus(spread(predict, [4, 5, 6]), spread(Math.floor(predict * 0.015), [UNDER_1S])));
  }
  // One small series is slow: GET /items/:id on one instance, 1 request a minute at 2 s, among hundreds.
  const oneSlow = new Traffic(30);
  for (const instance of [a, b]) {
    const predict = random.int(80, 120);
    oneSlow.latency(instance, 'GET', '/health', () => spread(80, FAST)).latency(instance, 'POST', '/predict', () => spread(predict, [3, 4, 5]));
  }
  oneSlow.latency(a, 'GET', '/items/:id', () => spread(1, [SLOW]));
  return [
    { name: 'after 10 fast minutes, 15–35 % of POST /predict take 1–2.5 s on both instances', series: spike.series, expect: firesAfterFor('the slowness') },
    { name: 'p99 between 0.5 and 1 s for 30 minutes (one instance restarts)', series: under.series, expect: quietAt(['20m', '30m'], 'the alert should stay quiet: no request took longer than 1 s, so p99 is under 1 s') },
    {
      name: 'one request a minute to GET /items/:id on one instance takes 2 s, among 300 fast ones',
      series: oneSlow.series,
      expect: quietAt(['20m', '30m'], 'the alert should stay quiet: under 1 % of all requests are slow, so the p99 of the service is fast; the alert is about every endpoint together (sum by (le)), not about each series'),
    },
  ];
}

/** HighLatencyP99 leaves out GET /work, the route that is slow on purpose (it sleeps up to 2 s). */
function scopeScenarios(random: Random): Scenario[] {
  const [a, b] = instanceNames(random);
  const work = new Traffic(30);
  for (const instance of [a, b]) {
    const predict = random.int(60, 100);
    const health = random.int(40, 60);
    const slow = random.int(10, 15);
    work
      .latency(instance, 'GET', '/health', () => spread(health, FAST))
      .latency(instance, 'POST', '/predict', () => spread(predict, [3, 4, 5]))
      .latency(instance, 'GET', '/work', (m) => (m > 10 ? spread(slow, [SLOW]) : []));
  }
  return [
    {
      name: 'from minute 10, 5–10 % of all requests are GET /work, which sleeps 1–2 s on purpose; every other route is fast',
      series: work.series,
      expect: quietAt(['17m', '30m'], 'the alert should stay quiet: only GET /work is slow, and it is slow by design; leave it out of the p99 with a label matcher (endpoint!="/work")'),
    },
  ];
}

/** Another job Prometheus scrapes: its targets' troubles are not the service's. */
const OTHER_JOB = 'batch-worker';

/** TargetDown: fires when Prometheus cannot scrape the service (up == 0), after a short for:. */
function targetScenarios(random: Random): Scenario[] {
  const [a] = instanceNames(random);
  const otherInstance = `10.9.${random.int(0, 255)}.${random.int(2, 254)}:9100`;
  const down = random.int(10, 12);
  const blip = random.int(8, 14);
  return [
    {
      name: `the service stops answering scrapes at minute ${down}`,
      series: new Traffic(30).up(a, JOB, (m) => (m < down ? 1 : 0)).series,
      expect: [
        { at: `${down - 1}m`, firing: false, why: 'every scrape works so far (up == 1)' },
        { at: `${down + 7}m`, firing: true, why: `every scrape has failed since minute ${down} (up == 0): the alert should fire` },
        { at: '30m', firing: true, why: 'the service is still down: the alert should still fire' },
      ],
    },
    {
      name: `one failed scrape at minute ${blip}, then up again`,
      series: new Traffic(30).up(a, JOB, (m) => (m === blip ? 0 : 1)).series,
      expect: quietAt([`${blip}m`, `${blip + 1}m`, '30m'], 'the alert should stay quiet: a single failed scrape is a blip (give the alert a `for:` of a minute or more)'),
    },
    {
      name: `every scrape of the service works for 30 minutes, while another job's target (${OTHER_JOB}) is down all along`,
      series: new Traffic(30).up(a, JOB, () => 1).up(otherInstance, OTHER_JOB, () => 0).series,
      expect: quietAt(['10m', '30m'], `the alert should stay quiet: every scrape of ${JOB} works (TargetDown is about this service: select its job, or every other job's outage pages you too)`),
    },
  ];
}

/** The alert's state at each time of a scenario, as promtool evaluates the learner's rules. */
export async function alertStates(promtool: string, rulesText: string, alert: string, scenario: Scenario): Promise<Map<string, string[]>> {
  const expr = `count by (alertstate) (ALERTS{alertname="${alert}"})`;
  // Every test expects nothing, so promtool reports what the expression gave at each time.
  const outcome = await testRules(promtool, {
    rules: { 'alerts.yml': rulesText },
    input_series: scenario.series,
    promql_expr_test: scenario.expect.map((e) => ({ expr, eval_time: e.at, exp_samples: [] })),
  });
  expectThat(!outcome.timedOut, 'promtool test rules did not finish in time', 'an answer within 15 s', 'no answer');
  const states = new Map<string, string[]>(scenario.expect.map((e) => [e.at, []]));
  if (!outcome.ok && outcome.failures.length === 0) {
    throw new Mismatch(`promtool could not run ${RULES_FILE}`, 'rules promtool can load', problemLines(outcome.output));
  }
  for (const failure of outcome.failures) {
    if (failure.error) throw new Mismatch(`promtool could not evaluate ${alert}`, 'an expression promtool can evaluate', failure.error);
    // promtool prints times as Go durations ("15m0s"): match them back by minutes.
    const at = scenario.expect.find((e) => goMinutes(failure.time) === goMinutes(e.at))?.at;
    if (at) states.set(at, (failure.got ?? []).map((s) => s.labels.alertstate ?? '?'));
  }
  return states;
}

function goMinutes(duration: string): number {
  let minutes = 0;
  for (const m of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) minutes += Number(m[1]) * (m[2] === 'h' ? 60 : m[2] === 'm' ? 1 : 1 / 60);
  return Math.round(minutes * 1000) / 1000;
}

function ruleFor(data: unknown, alert: AlertName): Rule {
  const rule = alertRules(data).find((r) => r.alert === alert);
  expectThat(rule !== undefined, `there is no alerting rule named ${alert} to test`, `- alert: ${alert}`, namesOf(alertRules(data)));
  return rule;
}

/** Runs the scenarios through promtool with the learner's rules and judges every expectation. */
async function alertFires(targetDir: string, promtool: string | undefined, alert: AlertName, scenarios: Scenario[], summary: string): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  const rule = ruleFor(data, alert);
  if (!promtool) return skipped(`the firing tests need promtool: ${INSTALL_HINT}`);
  const results = await Promise.all(scenarios.map((s) => alertStates(promtool, text, alert, s)));
  scenarios.forEach((scenario, i) => {
    const states = results[i]!;
    for (const e of scenario.expect) {
      const seen = states.get(e.at) ?? [];
      const firing = seen.includes('firing');
      const what = seen.length ? seen.join(' and ') : 'inactive';
      const hint = e.firing && seen.includes('pending') ? ' (pending only: is `for:` longer than 5m?)' : '';
      expectThat(
        firing === e.firing,
        `${alert}, ${scenario.name}: at minute ${e.at.replace('m', '')} ${e.why}`,
        e.firing ? 'firing' : e.why.includes('for:') ? 'not firing yet (pending is right)' : 'not firing',
        `${what}${hint}\nexpr: ${rule.expr.replace(/\s+/g, ' ').trim()}\n${rule.for !== undefined ? `for: ${String(rule.for)}` : 'no for: at all'}${rule.keepFiringFor !== undefined ? `, keep_firing_for: ${String(rule.keepFiringFor)}` : ''}`,
      );
    }
  });
  return pass(`${alert} ${summary} (${scenarios.length} scenario${scenarios.length > 1 ? 's' : ''})`);
}

/** TargetDown exists with a severity, then fires when the service cannot be scraped. */
async function targetDown(targetDir: string, promtool: string | undefined, random: Random): Promise<Verdict> {
  const { data } = readYaml(targetDir, RULES_FILE);
  const rule = ruleFor(data, 'TargetDown');
  expectThat(typeof rule.labels.severity === 'string' && rule.labels.severity.trim() !== '', 'TargetDown needs a severity label: a service nobody can scrape is worth a page', 'labels: { severity: critical }', `labels: ${JSON.stringify(rule.labels)}`);
  if (!promtool) {
    const problem = syntaxProblem(rule.expr);
    expectThat(!problem, 'the expression of TargetDown is not valid PromQL', 'a valid PromQL expression', problem);
  }
  return alertFires(targetDir, promtool, 'TargetDown', targetScenarios(random), 'fires when every scrape fails, and not on a single failed scrape');
}

const RUNBOOK_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** Every alerting rule links a runbook: what the alert means and what to do first. */
function runbookLinks(targetDir: string): Verdict {
  const { data } = readYaml(targetDir, RULES_FILE);
  const rules = alertRules(data);
  expectThat(rules.length > 0, `${RULES_FILE} has no alerting rule yet`, 'alerting rules with a runbook_url annotation', namesOf(rules));
  for (const rule of rules) {
    const link = rule.annotations.runbook_url;
    expectThat(
      typeof link === 'string' && RUNBOOK_URL.test(link.trim()),
      `${rule.alert} needs a runbook_url annotation: the page that tells the person woken up what the alert means and what to check first`,
      'annotations: { runbook_url: https://... }',
      link === undefined ? `annotations: ${JSON.stringify(rule.annotations)}` : `runbook_url: ${JSON.stringify(link)}`,
    );
  }
  return pass(`every alert links a runbook (${rules.map((r) => r.alert).join(', ')})`);
}

export default {
  exercise: 'C.5',
  tools: checkSet(
    ['C.5.rules-valid', 'C.5.error-rate-alert', 'C.5.latency-alert', 'C.5.error-alert-traffic-floor', 'C.5.latency-alert-scope', 'C.5.target-down-alert', 'C.5.runbook-links', 'C.5.keeps-firing'] as const,
    async ({ targetDir, promtool, random }: ToolContext) => ({
      'C.5.rules-valid': () => rulesValid(targetDir, promtool),
      'C.5.error-rate-alert': () => alertFires(targetDir, promtool, 'HighErrorRate', errorRateScenarios(random.fork('error-rate')), 'fires after 5 minutes of trouble and stays quiet otherwise'),
      'C.5.latency-alert': () => alertFires(targetDir, promtool, 'HighLatencyP99', latencyScenarios(random.fork('latency')), 'fires after 5 minutes of trouble and stays quiet otherwise'),
      'C.5.error-alert-traffic-floor': () => alertFires(targetDir, promtool, 'HighErrorRate', nightScenarios(random.fork('night')), 'stays quiet on a quiet night'),
      'C.5.latency-alert-scope': () => alertFires(targetDir, promtool, 'HighLatencyP99', scopeScenarios(random.fork('scope')), 'leaves out the route that is slow on purpose'),
      'C.5.target-down-alert': () => targetDown(targetDir, promtool, random.fork('target')),
      'C.5.runbook-links': () => runbookLinks(targetDir),
      'C.5.keeps-firing': () => alertFires(targetDir, promtool, 'HighErrorRate', wobbleScenarios(random.fork('wobble')), 'keeps firing through a short dip, and resolves once the errors are gone'),
    }),
  ),
} satisfies ExerciseChecks;

/** Every scenario of every firing check, for the grader's own tests. */
export function allScenarios(random: Random): Record<string, { alert: AlertName; scenarios: Scenario[] }> {
  return {
    'C.5.error-rate-alert': { alert: 'HighErrorRate', scenarios: errorRateScenarios(random.fork('error-rate')) },
    'C.5.latency-alert': { alert: 'HighLatencyP99', scenarios: latencyScenarios(random.fork('latency')) },
    'C.5.error-alert-traffic-floor': { alert: 'HighErrorRate', scenarios: nightScenarios(random.fork('night')) },
    'C.5.latency-alert-scope': { alert: 'HighLatencyP99', scenarios: scopeScenarios(random.fork('scope')) },
    'C.5.target-down-alert': { alert: 'TargetDown', scenarios: targetScenarios(random.fork('target')) },
    'C.5.keeps-firing': { alert: 'HighErrorRate', scenarios: wobbleScenarios(random.fork('wobble')) },
  };
}
