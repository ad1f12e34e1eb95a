// Section F's promtool machinery: evaluate expressions over generated series at chosen times (with a
// chosen sample and rule-evaluation interval), build SLI traffic, and read which alerts fire when.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { makeWorkDir, removeDir } from '../paths.js';
import { runCommand } from './commands.js';
import { counterValues, parseFailures, problemLines, type Sample, type SeriesInput } from './promtool-rules.js';

const TIMEOUT_MS = 20_000;

export interface Query {
  expr: string;
  /** Minutes after the start of the series. */
  at: number;
}

export interface EvalRun {
  /** Rule files (name → text) loaded by the test. */
  rules: Record<string, string>;
  series: SeriesInput[];
  /** Minutes between samples, and between rule evaluations. */
  stepMinutes: number;
  queries: Query[];
}

export interface EvalResult {
  /** What each query gave, by `key(expr, at)`; an empty list for an empty result. */
  results: Map<string, Sample[]>;
  /** promtool could not load the rules or evaluate an expression: its own words. */
  problem?: string;
  timedOut: boolean;
}

export const key = (expr: string, at: number) => `${expr}@${at}`;

/** Go durations as promtool prints them ("1h15m0s", "3d") in minutes. */
export function goMinutes(duration: string): number {
  const units: Record<string, number> = { d: 1440, h: 60, m: 1, s: 1 / 60 };
  let minutes = 0;
  for (const m of duration.matchAll(/(\d+(?:\.\d+)?)(d|h|ms|m|s)/g)) minutes += m[2] === 'ms' ? 0 : Number(m[1]) * units[m[2]!]!;
  return Math.round(minutes * 1000) / 1000;
}

/** Runs `promtool test rules` with every query expecting nothing, so promtool reports what each gave. */
export async function evaluate(promtool: string, run: EvalRun): Promise<EvalResult> {
  const dir = makeWorkDir('slo-rules');
  try {
    const names = Object.keys(run.rules);
    for (const [name, text] of Object.entries(run.rules)) writeFileSync(path.join(dir, name), text);
    const doc = {
      rule_files: names,
      evaluation_interval: `${run.stepMinutes}m`,
      tests: [{ interval: `${run.stepMinutes}m`, input_series: run.series, promql_expr_test: run.queries.map((q) => ({ expr: q.expr, eval_time: `${q.at}m`, exp_samples: [] })) }],
    };
    writeFileSync(path.join(dir, 'test.yml'), stringify(doc, { lineWidth: 0 }));
    const result = await runCommand(promtool, ['test', 'rules', 'test.yml'], { cwd: dir, timeoutMs: TIMEOUT_MS });
    const output = `${result.stdout}\n${result.stderr}`.split(`${dir}${path.sep}`).join('');
    const results = new Map<string, Sample[]>(run.queries.map((q) => [key(q.expr, q.at), []]));
    const failures = parseFailures(output);
    const ok = result.exitCode === 0 && !result.timedOut;
    if (!ok && failures.length === 0) return { results, problem: problemLines(output), timedOut: result.timedOut };
    for (const failure of failures) {
      if (failure.error) return { results, problem: `${failure.expr}: ${failure.error}`, timedOut: false };
      results.set(key(failure.expr, goMinutes(failure.time)), failure.got ?? []);
    }
    return { results, timedOut: result.timedOut };
  } finally {
    removeDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Traffic: good and bad events per step, per instance, turned into counter series.

/** Makes one instance's series from its good and bad events per step (cumulative counters). */
export type SliSource = (instance: string, good: number[], bad: number[], resetAt?: number) => SeriesInput[];

export const cumulative = (increments: number[], resetAt?: number): string => counterValues(increments.length, (i) => increments[i] ?? 0, resetAt);

/** Requests counted in http_requests_total: good ones as 200, bad ones as 500 (and a few 4xx, which are good). */
export function requestsSource(job: string, extraLabels = ''): SliSource {
  return (instance, good, bad, resetAt) => {
    const base = `job="${job}", instance="${instance}"${extraLabels}`;
    const clientErrors = good.map((g) => Math.floor(g / 20));
    return [
      { series: `http_requests_total{${base}, method="POST", endpoint="/predict", status_code="201"}`, values: cumulative(good.map((g, i) => g - clientErrors[i]!), resetAt) },
      { series: `http_requests_total{${base}, method="POST", endpoint="/predict", status_code="422"}`, values: cumulative(clientErrors, resetAt) },
      { series: `http_requests_total{${base}, method="POST", endpoint="/predict", status_code="500"}`, values: cumulative(bad, resetAt) },
    ];
  };
}

/** A ratio SLI whose good and bad events are one counter told apart by a label (good first). */
export function labelledCounterSource(metric: string, selectorLabels: string, label: string, goodValue: string, badValue: string): SliSource {
  return (instance, good, bad, resetAt) => [
    { series: `${metric}{${selectorLabels}, instance="${instance}", ${label}="${goodValue}"}`, values: cumulative(good, resetAt) },
    { series: `${metric}{${selectorLabels}, instance="${instance}", ${label}="${badValue}"}`, values: cumulative(bad, resetAt) },
  ];
}

export const HISTOGRAM_LE = [0.05, 0.1, 0.25, 0.5, 1, 2.5];
export const leText = (le: number) => (le === Infinity ? '+Inf' : String(le));

/** A latency histogram: good events at or under `threshold`, bad ones above it (one bucket up). */
export function histogramSource(metric: string, selectorLabels: string, threshold: number): SliSource {
  return (instance, good, bad, resetAt) => {
    const les = [...HISTOGRAM_LE, Infinity];
    const base = [selectorLabels, `instance="${instance}"`, 'method="GET"', 'endpoint="/items/:id"'].filter((l) => l !== '').join(', ');
    const out: SeriesInput[] = les.map((le) => {
      const counts = good.map((g, i) => (le < threshold ? Math.floor(g / 2) : le === threshold ? g : g + bad[i]!));
      return { series: `${metric}_bucket{${base}, le="${leText(le)}"}`, values: cumulative(counts, resetAt) };
    });
    out.push({ series: `${metric}_count{${base}}`, values: cumulative(good.map((g, i) => g + bad[i]!), resetAt) });
    return out;
  };
}

export interface Traffic {
  /** Minutes between samples. */
  stepMinutes: number;
  /** Number of samples. */
  steps: number;
  /** Events per minute per instance. */
  perMinute: number[];
  /** The share of bad events at a minute. */
  badShare: (minute: number) => number;
  /** One instance restarts (its counters start again from 0) at this step. */
  resetAt?: { instance: number; step: number };
  /** The traffic at a minute, as a multiple of perMinute (1 when not given). */
  volume?: (minute: number) => number;
}

/** The series of a traffic over several instances (names drawn by the caller). */
export function trafficSeries(source: SliSource, instances: string[], traffic: Traffic): SeriesInput[] {
  return instances.flatMap((instance, n) => {
    const good: number[] = [];
    const bad: number[] = [];
    // Bad requests are carried over from step to step (the fraction not yet sent), so that a share
    // too small for one step (0.02 % of 1,000 requests) still shows over a window, as in real traffic.
    let owed = 0;
    for (let step = 0; step < traffic.steps; step++) {
      const total = Math.round((traffic.perMinute[n] ?? 0) * traffic.stepMinutes * (traffic.volume?.(step * traffic.stepMinutes) ?? 1));
      owed += total * traffic.badShare(step * traffic.stepMinutes);
      const b = Math.min(total, Math.max(0, Math.round(owed)));
      owed -= b;
      good.push(total - b);
      bad.push(b);
    }
    return source(instance, good, bad, traffic.resetAt?.instance === n ? traffic.resetAt.step : undefined);
  });
}

// ---------------------------------------------------------------------------------------------
// Burn-rate scenarios: which severities fire when.

export type Severity = 'page' | 'ticket';

export interface Expectation {
  at: number;
  page?: boolean;
  ticket?: boolean;
  why: string;
}

export interface BurnScenario {
  name: string;
  series: SeriesInput[];
  stepMinutes: number;
  expect: Expectation[];
}

export const FIRING = 'count by (severity, alertstate) (ALERTS)';

export class ScenarioProblem extends Error {}

export interface AlertStates {
  firing: Set<string>;
  /** Severities whose alert is pending: its condition holds, its `for:` has not yet passed. */
  pending: Set<string>;
}

/** The severities firing (and pending) at each expected time of a scenario, as promtool evaluates the rules. */
export async function firingAt(promtool: string, rules: Record<string, string>, scenario: BurnScenario): Promise<Map<number, AlertStates>> {
  const outcome = await evaluate(promtool, { rules, series: scenario.series, stepMinutes: scenario.stepMinutes, queries: scenario.expect.map((e) => ({ expr: FIRING, at: e.at })) });
  if (outcome.timedOut) throw new ScenarioProblem('promtool test rules did not finish in time');
  if (outcome.problem) throw new ScenarioProblem(outcome.problem);
  return new Map(
    scenario.expect.map((e) => {
      const samples = outcome.results.get(key(FIRING, e.at)) ?? [];
      const of = (state: string) => new Set(samples.filter((s) => s.labels.alertstate === state).map((s) => s.labels.severity ?? '(no severity)'));
      return [e.at, { firing: of('firing'), pending: of('pending') }];
    }),
  );
}

/** The first expectation a scenario's outcome breaks, with what was seen, or undefined. */
export function firstBroken(scenario: BurnScenario, states: Map<number, AlertStates>): { e: Expectation; severity: Severity; seen: string } | undefined {
  for (const e of scenario.expect) {
    const { firing, pending } = states.get(e.at) ?? { firing: new Set<string>(), pending: new Set<string>() };
    for (const severity of ['page', 'ticket'] as const) {
      const want = e[severity];
      if (want === undefined || firing.has(severity) === want) continue;
      const seen = firing.size ? `firing: ${[...firing].sort().join(', ')}` : 'nothing firing';
      const waiting = want && pending.has(severity) ? ` (the ${severity} is pending: its condition holds, but its for: has not passed yet)` : '';
      return { e, severity, seen: `${seen}${waiting}` };
    }
  }
  return undefined;
}

/** "2h 10m" for a minute count. */
export function clock(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = Math.round(minutes % 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m || (!d && !h) ? `${m}m` : ''].filter(Boolean).join(' ');
}
