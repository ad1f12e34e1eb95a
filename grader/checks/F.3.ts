// F.3 — The SLO rule generator on hidden specs (objectives, SLO windows and selectors vary per run):
// the learner's generateRules runs in a child process; its YAML must pass promtool check rules, record
// the error ratio over every window exactly as the grader's own expressions give it on hidden series,
// and its alerts must page on a fast burn, open a ticket on a slow one, and stay quiet otherwise.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { runLearnerCode } from '../live/commands.js';
import { exchangeDir, nodeWithTsx } from '../sandbox/runner.js';
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { checkRules, formatSamples, problemLines, type SeriesInput } from '../live/promtool-rules.js';
import type { Random } from '../live/random.js';
import { clock, evaluate, histogramSource, key, labelledCounterSource, requestsSource, trafficSeries, type EvalResult, type Query, type SliSource } from '../live/slo-rules.js';
import { makeWorkDir, removeDir } from '../paths.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { alertRules, burnScenarios, judgeScenarios, summarizeRules, type SloShape } from './F.2.js';
import { checkSet, expectThat, Mismatch, type ExerciseChecks, type ToolContext } from './kit.js';

const FILE = 'F/slo-generator.ts';
const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), '../live/slo-generator-runner.ts');
export const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
const recordName = (w: string) => `slo:sli_error:ratio_rate${w}`;

export type Sli = { kind: 'ratio'; good: string; total: string } | { kind: 'latency'; histogram: string; thresholdSeconds: number };
export interface Spec {
  service: string;
  slo: string;
  objective: number;
  windowDays: number;
  sli: Sli;
}

interface Hidden {
  spec: Spec;
  source: SliSource;
  bad: string;
  /** The grader's own error ratio over a window. */
  oracle: (w: string) => string;
}

const ratioOracle = (good: string, total: string) => (w: string) => `1 - sum(rate(${good}[${w}])) / sum(rate(${total}[${w}]))`;

/** Five specs: HTTP availability, gRPC availability over 28 days, latency, a 7-day SLO, and a
 * latency SLO over 14 days of a histogram named bare (no matchers: its _bucket and _count get only le). */
export function hiddenSpecs(random: Random): Hidden[] {
  const api = random.pick(['checkout', 'orders', 'billing']);
  const search = random.pick(['search', 'catalog']);
  const threshold = random.pick([0.1, 0.25, 0.5]);
  const grpc = random.pick(['payments.v1.Payments', 'ledger.v2.Ledger']);
  const queue = random.pick(['emails', 'invoices']);
  const rpcThreshold = random.pick([0.05, 0.1, 0.5]);
  return [
    {
      spec: { service: api, slo: 'availability', objective: random.pick([99.9, 99.5]), windowDays: 30, sli: { kind: 'ratio', good: `http_requests_total{job="${api}", status_code!~"5.."}`, total: `http_requests_total{job="${api}"}` } },
      source: requestsSource(api),
      bad: 'server errors',
      oracle: ratioOracle(`http_requests_total{job="${api}", status_code!~"5.."}`, `http_requests_total{job="${api}"}`),
    },
    {
      spec: { service: grpc.split('.')[0]!, slo: 'grpc-availability', objective: 99.95, windowDays: 28, sli: { kind: 'ratio', good: `grpc_server_handled_total{grpc_service="${grpc}",grpc_code="OK"}`, total: `grpc_server_handled_total{grpc_service="${grpc}"}` } },
      source: labelledCounterSource('grpc_server_handled_total', `grpc_service="${grpc}"`, 'grpc_code', 'OK', 'Unavailable'),
      bad: 'failed calls',
      oracle: ratioOracle(`grpc_server_handled_total{grpc_service="${grpc}",grpc_code="OK"}`, `grpc_server_handled_total{grpc_service="${grpc}"}`),
    },
    {
      spec: { service: search, slo: 'latency', objective: random.pick([99, 99.5]), windowDays: 30, sli: { kind: 'latency', histogram: `http_request_duration_seconds{job="${search}"}`, thresholdSeconds: threshold } },
      source: histogramSource('http_request_duration_seconds', `job="${search}"`, threshold),
      bad: `requests slower than ${threshold} s`,
      oracle: ratioOracle(`http_request_duration_seconds_bucket{job="${search}", le="${threshold}"}`, `http_request_duration_seconds_count{job="${search}"}`),
    },
    {
      spec: { service: `${queue}-worker`, slo: 'jobs', objective: 99.5, windowDays: 7, sli: { kind: 'ratio', good: `queue_jobs_processed_total{queue="${queue}",outcome="ok"}`, total: `queue_jobs_processed_total{queue="${queue}"}` } },
      source: labelledCounterSource('queue_jobs_processed_total', `queue="${queue}"`, 'outcome', 'ok', 'failed'),
      bad: 'failed jobs',
      oracle: ratioOracle(`queue_jobs_processed_total{queue="${queue}",outcome="ok"}`, `queue_jobs_processed_total{queue="${queue}"}`),
    },
    {
      spec: { service: 'ledger', slo: 'rpc-latency', objective: 99.9, windowDays: 14, sli: { kind: 'latency', histogram: 'rpc_latency_seconds', thresholdSeconds: rpcThreshold } },
      source: histogramSource('rpc_latency_seconds', '', rpcThreshold),
      bad: `calls slower than ${rpcThreshold} s`,
      oracle: ratioOracle(`rpc_latency_seconds_bucket{le="${rpcThreshold}"}`, 'rpc_latency_seconds_count'),
    },
  ];
}

const showSpec = (spec: Spec) => JSON.stringify(spec);

type Generated = { yaml: string; data: unknown } | { problem: string };

/** Runs the learner's generator on every spec, in a child process with a deadline. */
async function generate(targetDir: string, specs: Spec[]): Promise<Generated[]> {
  const dir = exchangeDir(() => makeWorkDir('slo-generator'));
  try {
    const specsFile = path.join(dir, 'specs.json');
    const outFile = path.join(dir, 'out.json');
    writeFileSync(specsFile, JSON.stringify(specs));
    // Learner code: through the one runner (marked; in a class sandbox, as the submission's user).
    const result = await runLearnerCode(nodeWithTsx(RUNNER, path.join(targetDir, FILE), specsFile, outFile), { cwd: targetDir, timeoutMs: 15_000, mounts: [['rw', dir]] });
    if (result.timedOut) throw new Mismatch(`${FILE} did not answer within 15 s`, 'rules for every spec', 'no answer: is there an endless loop?');
    let out: { results?: Array<{ yaml?: unknown; error?: string }>; loadError?: string };
    try {
      out = JSON.parse(readFileSync(outFile, 'utf8')) as typeof out;
    } catch {
      throw new Mismatch(`${FILE} could not be run`, 'a module that loads', `${result.stderr}${result.stdout}`.trim().split('\n').slice(0, 8).join('\n') || 'it wrote nothing');
    }
    if (out.loadError) throw new Mismatch(`${FILE} could not be loaded`, 'a module exporting generateRules', out.loadError.split('\n').slice(0, 6).join('\n'));
    return specs.map((spec, i) => {
      const r = out.results?.[i];
      if (!r) return { problem: 'no answer' };
      if (r.error !== undefined) return { problem: `generateRules(${showSpec(spec)}) threw ${r.error}` };
      if (typeof r.yaml !== 'string') return { problem: `generateRules(${showSpec(spec)}) returned ${typeof r.yaml}, not the YAML text` };
      const doc = parseDocument(r.yaml);
      if (doc.errors.length) return { problem: `the YAML for ${showSpec(spec)} does not parse: ${doc.errors[0]!.message.split('\n')[0]}` };
      return { yaml: r.yaml, data: doc.toJS() as unknown };
    });
  } finally {
    removeDir(dir);
  }
}

function yamlOf(generated: Generated, spec: Spec): { yaml: string; data: unknown } {
  if ('problem' in generated) throw new Mismatch(`generateRules should give rules for a valid spec`, `the YAML of the rules for ${showSpec(spec)}`, generated.problem);
  return generated;
}

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
function recordingRules(data: unknown): Yaml[] {
  if (!isMap(data) || !Array.isArray(data.groups)) return [];
  return data.groups.filter(isMap).flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isMap) : [])).filter((r) => typeof r.record === 'string');
}

async function rulesValid(promtool: string | undefined, hidden: Hidden[], generated: Generated[]): Promise<Verdict> {
  for (const [i, h] of hidden.entries()) {
    const { yaml, data } = yamlOf(generated[i]!, h.spec);
    if (promtool) {
      const outcome = await checkRules(promtool, yaml, 'rules.yml');
      expectThat(outcome.ok, `promtool check rules refuses the rules generated for ${showSpec(h.spec)}`, 'SUCCESS', problemLines(outcome.output));
    }
    const records = recordingRules(data);
    for (const w of WINDOWS) {
      const rule = records.find((r) => r.record === recordName(w));
      expectThat(rule !== undefined, `the rules for ${showSpec(h.spec)} should record the error ratio over ${w}`, `record: ${recordName(w)}`, records.length ? `recorded: ${records.map((r) => String(r.record)).join(', ')}` : 'no recording rule at all');
      const labels = isMap(rule.labels) ? rule.labels : {};
      expectThat(labels.service === h.spec.service && labels.slo === h.spec.slo, `${recordName(w)} needs the labels service and slo of the spec, so that two SLOs never mix`, `labels: { service: ${h.spec.service}, slo: ${h.spec.slo} }`, `labels: ${JSON.stringify(labels)}`);
    }
    const alerts = alertRules(data);
    for (const severity of ['page', 'ticket']) {
      const found = alerts.filter((a) => a.labels.severity === severity);
      expectThat(found.length > 0, `the rules for ${showSpec(h.spec)} should have an alert labelled severity: ${severity}`, `labels: { severity: ${severity}, service: ..., slo: ... }`, summarizeRules(alerts) || 'no alert at all');
      for (const a of found) expectThat(a.labels.service === h.spec.service && a.labels.slo === h.spec.slo, `${a.alert} needs the labels service and slo of the spec`, `service: ${h.spec.service}, slo: ${h.spec.slo}`, `labels: ${JSON.stringify(a.labels)}`);
    }
  }
  if (!promtool) return skipped(`the generated rules have the right names and labels, but promtool is needed to check them: ${INSTALL_HINT}`);
  return pass(`${hidden.length} hidden specs: the rules pass promtool check rules, with ${WINDOWS.length} error ratios and page and ticket alerts`);
}

// ---------------------------------------------------------------------------------------------
// Error ratios on hidden series

interface RatioRun {
  series: SeriesInput[];
  stepMinutes: number;
  windows: readonly string[];
  times: number[];
}

function ratioRuns(h: Hidden, random: Random): RatioRun[] {
  const instances = [`10.5.${random.int(0, 127)}.${random.int(2, 254)}:8080`, `10.5.${random.int(128, 255)}.${random.int(2, 254)}:8080`];
  const make = (stepMinutes: number, steps: number, windows: readonly string[], times: number[]): RatioRun => {
    const phase = random.int(5, 9) * stepMinutes;
    const shares = Array.from({ length: Math.ceil((steps * stepMinutes) / phase) + 1 }, () => random.int(0, 40) / 1000);
    const series = trafficSeries(h.source, instances, { stepMinutes, steps, perMinute: instances.map(() => random.int(200, 600)), badShare: (m) => shares[Math.floor(m / phase)]!, resetAt: { instance: random.int(0, 1), step: random.int(Math.floor(steps * 0.45), Math.floor(steps * 0.6)) } });
    return { series, stepMinutes, windows, times };
  };
  return [make(1, 131, ['5m', '30m', '1h', '2h'], [random.int(75, 95), random.int(100, 115), 130]), make(30, 169, ['6h', '1d', '3d'], [72 * 60, 76 * 60 + 30 * random.int(0, 8), 84 * 60])];
}

const agree = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

async function errorRatios(promtool: string | undefined, hidden: Hidden[], generated: Generated[], random: Random): Promise<Verdict> {
  const yamls = hidden.map((h, i) => yamlOf(generated[i]!, h.spec).yaml);
  if (!promtool) return skipped(`the error ratios are checked with promtool test rules: ${INSTALL_HINT}`);
  const jobs = hidden.flatMap((h, i) =>
    ratioRuns(h, random.fork(`ratios-${i}`)).map((run) => ({
      h,
      run,
      outcome: evaluate(promtool, { rules: { 'rules.yml': yamls[i]! }, series: run.series, stepMinutes: run.stepMinutes, queries: run.times.flatMap((at): Query[] => run.windows.flatMap((w) => [{ expr: recordName(w), at }, { expr: h.oracle(w), at }])) }),
    })),
  );
  const outcomes: EvalResult[] = await Promise.all(jobs.map((j) => j.outcome));
  jobs.forEach(({ h, run }, j) => {
    const outcome = outcomes[j]!;
    if (outcome.problem || outcome.timedOut) throw new Mismatch(`promtool could not evaluate the rules generated for ${showSpec(h.spec)}`, 'rules promtool can load and evaluate', outcome.problem ?? 'no answer in time');
    for (const at of run.times) {
      for (const w of run.windows) {
        const want = (outcome.results.get(key(h.oracle(w), at)) ?? [])[0];
        if (!want) throw new Error(`grader fault: no reference error ratio over ${w}`);
        const got = (outcome.results.get(key(recordName(w), at)) ?? []).filter((s) => s.labels.service === h.spec.service && s.labels.slo === h.spec.slo);
        const why = `${recordName(w)} for ${showSpec(h.spec)} at ${clock(at)} should be the share of ${h.bad} over the last ${w} (hidden series: two instances, one restarting, a sample every ${run.stepMinutes} min)`;
        expectThat(got.length === 1, `${why}: one number with the labels service and slo`, `${want.value}`, formatSamples(got));
        expectThat(agree(got[0]!.value, want.value), why, `${want.value}`, `${got[0]!.value}`);
      }
    }
  });
  return pass(`${hidden.length} hidden specs: every error ratio is exact over ${WINDOWS.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Alerts on hidden scenarios

async function alertsBehave(promtool: string | undefined, hidden: Hidden[], generated: Generated[], random: Random): Promise<Verdict> {
  const yamls = hidden.map((h, i) => yamlOf(generated[i]!, h.spec));
  if (!promtool) return skipped(`the generated alerts are run over simulated time with promtool test rules: ${INSTALL_HINT}`);
  await Promise.all(
    hidden.map((h, i) => {
      const r = random.fork(`alerts-${i}`);
      const shape: SloShape = { objective: h.spec.objective, periodDays: h.spec.windowDays, source: h.source, instances: [`10.6.${r.int(0, 127)}.${r.int(2, 254)}:8080`, `10.6.${r.int(128, 255)}.${r.int(2, 254)}:8080`], bad: h.bad };
      const s = burnScenarios(shape, r);
      const chosen = i === 0 ? [s.fast, s.slow, s.quiet] : [s.fast, s.slow];
      return judgeScenarios(promtool, { 'rules.yml': yamls[i]!.yaml }, chosen, `the alerts generated for ${showSpec(h.spec)}`, summarizeRules(alertRules(yamls[i]!.data)));
    }),
  );
  return pass(`${hidden.length} hidden specs: a fast burn pages, a slow burn opens a ticket without paging, a healthy service stays quiet`);
}

export default {
  exercise: 'F.3',
  tools: checkSet(['F.3.rules-valid', 'F.3.error-ratios', 'F.3.alerts-behave'] as const, async ({ targetDir, promtool, random }: ToolContext) => {
    const hidden = hiddenSpecs(random.fork('specs'));
    let shared: Promise<Generated[]> | undefined;
    const generated = () => (shared ??= generate(targetDir, hidden.map((h) => h.spec)));
    return {
      'F.3.rules-valid': async () => rulesValid(promtool, hidden, await generated()),
      'F.3.error-ratios': async () => errorRatios(promtool, hidden, await generated(), random.fork('ratios')),
      'F.3.alerts-behave': async () => alertsBehave(promtool, hidden, await generated(), random.fork('alerts')),
    };
  }),
} satisfies ExerciseChecks;
