// promtool on the learner's Prometheus files: `check config`, `check rules` and `test rules`, each
// run on copies in a scratch folder that is removed afterwards, with a deadline.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { makeWorkDir, removeDir } from '../paths.js';
import { runCommand } from './commands.js';

const PROMTOOL_TIMEOUT_MS = 15_000;

export interface PromtoolOutcome {
  ok: boolean;
  /** stdout and stderr together, scratch paths removed, blank lines dropped. */
  output: string;
  timedOut: boolean;
}

/** Runs promtool with the given files written into a fresh scratch folder (names relative to it). */
async function inScratch(promtool: string, files: Record<string, string>, args: (dir: string) => string[]): Promise<PromtoolOutcome> {
  const dir = makeWorkDir('promtool');
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const result = await runCommand(promtool, args(dir), { cwd: dir, timeoutMs: PROMTOOL_TIMEOUT_MS });
    const output = `${result.stdout}\n${result.stderr}`
      .split(`${dir}${path.sep}`)
      .join('')
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== '')
      .join('\n');
    return { ok: result.exitCode === 0 && !result.timedOut, output, timedOut: result.timedOut };
  } finally {
    removeDir(dir);
  }
}

/** The lines of promtool's answer that say what is wrong (without "Checking x" chatter). */
export function problemLines(output: string): string {
  const lines = output.split('\n').filter((l) => !/^\s*(Checking |Unit Testing: |SUCCESS)/.test(l));
  return lines.join('\n').replace(/^\s*FAILED:\s*$/gm, '').replace(/\n{2,}/g, '\n').trim() || output.trim();
}

/** `promtool check config` on a config text. Sibling files it may name (rule files) are copied alongside. */
export function checkConfig(promtool: string, configText: string, siblings: Record<string, string> = {}): Promise<PromtoolOutcome> {
  return inScratch(promtool, { ...siblings, 'prometheus.yml': configText }, () => ['check', 'config', 'prometheus.yml']);
}

/** `promtool check rules` on a rules text. */
export function checkRules(promtool: string, rulesText: string, name = 'alerts.yml'): Promise<PromtoolOutcome> {
  return inScratch(promtool, { [name]: rulesText }, () => ['check', 'rules', name]);
}

export interface SeriesInput {
  series: string;
  values: string;
}

/** A counter's samples, one per interval: 0 at the start, then `increment(i)` more at sample i. At
 * `resetAt` the process restarted: the counter starts again from 0 and reads `increment(resetAt)`. */
export function counterValues(samples: number, increment: (i: number) => number, resetAt?: number): string {
  const values = [0];
  for (let i = 1; i < samples; i++) values.push(i === resetAt ? increment(i) : values[i - 1]! + increment(i));
  return values.join(' ');
}

export interface ExprTest {
  expr: string;
  /** A duration such as "20m". */
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number }>;
}

export interface RulesTestFile {
  /** Rule files (name → text) loaded by the test. */
  rules?: Record<string, string>;
  input_series: SeriesInput[];
  promql_expr_test: ExprTest[];
  interval?: string;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** One failed promql_expr_test as promtool reports it. */
export interface ExprFailure {
  expr: string;
  time: string;
  /** What the test expected, as parsed samples ([] for "nil"). */
  expected?: Sample[];
  /** What the expression gave. */
  got?: Sample[];
  /** A parse or evaluation error instead of samples. */
  error?: string;
}

export interface RulesTestOutcome extends PromtoolOutcome {
  failures: ExprFailure[];
}

/** Writes a promtool unit-test file for one group of input series and runs `promtool test rules`. */
export async function testRules(promtool: string, test: RulesTestFile): Promise<RulesTestOutcome> {
  const ruleNames = Object.keys(test.rules ?? {});
  const doc = {
    rule_files: ruleNames,
    evaluation_interval: '1m',
    tests: [
      {
        interval: test.interval ?? '1m',
        input_series: test.input_series,
        promql_expr_test: test.promql_expr_test,
      },
    ],
  };
  const outcome = await inScratch(promtool, { ...(test.rules ?? {}), 'test.yml': stringify(doc, { lineWidth: 0 }) }, () => ['test', 'rules', 'test.yml']);
  return { ...outcome, failures: parseFailures(outcome.output) };
}

/** Decodes one Go-quoted string (promtool prints expressions with %q). */
function unquoteGo(text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    return text.slice(1, -1);
  }
}

/** Reads promtool's "FAILED" report of promql_expr_test entries. */
export function parseFailures(output: string): ExprFailure[] {
  const failures: ExprFailure[] = [];
  let current: ExprFailure | undefined;
  for (const line of output.split('\n')) {
    const head = /^\s*expr: ("(?:[^"\\]|\\.)*"), time: ([^,]+),\s*(?:err: (.*))?$/.exec(line);
    if (head) {
      current = { expr: unquoteGo(head[1]!), time: head[2]!.trim(), ...(head[3] !== undefined && { error: head[3].trim() }) };
      failures.push(current);
      continue;
    }
    const exp = /^\s*exp: (.*)$/.exec(line);
    if (exp && current) current.expected = parseSamples(exp[1]!);
    const got = /^\s*got: (.*)$/.exec(line);
    if (got && current) current.got = parseSamples(got[1]!);
  }
  return failures;
}

function parseValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return Number.NaN;
  return Number(text);
}

/** Parses promtool's sample list: `{a="x", b="y"} 1E+00, {} NaN` or `nil`. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  if (text.trim() === 'nil') return samples;
  const item = /\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\}\s+([^,\s]+)/g;
  for (const m of text.matchAll(item)) {
    const labels: Record<string, string> = {};
    for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = unquoteGo(`"${l[2]!}"`);
    samples.push({ labels, value: parseValue(m[2]!) });
  }
  return samples;
}

export function formatLabels(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
}

export function formatSamples(samples: Sample[] | undefined): string {
  if (!samples || samples.length === 0) return 'no result at all (an empty vector)';
  return samples.map((s) => `${formatLabels(s.labels)} ${Number.isInteger(s.value) ? s.value : Number(s.value.toPrecision(6))}`).join('\n');
}

/** Same labels and values equal within a relative tolerance (float noise is not a learner's fault). */
export function samplesAgree(expected: Sample[], got: Sample[], tolerance = 1e-9): boolean {
  if (expected.length !== got.length) return false;
  const key = (s: Sample) => formatLabels(s.labels);
  const byKey = new Map(got.map((s) => [key(s), s.value]));
  return expected.every((e) => {
    const g = byKey.get(key(e));
    if (g === undefined) return false;
    if (Number.isNaN(e.value)) return Number.isNaN(g);
    if (!Number.isFinite(e.value)) return e.value === g;
    return Math.abs(g - e.value) <= tolerance * Math.max(1, Math.abs(e.value));
  });
}
