// F.1 — SLIs as recording rules: the learner's slis.yml is checked by promtool, then every recorded
// SLI is compared, window by window, with the grader's own expression evaluated by the same promtool
// on hidden series (two jobs, two instances, several endpoints, a counter reset, traffic that changes
// phase so that every window gives another number; numbers varied per run).
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { checkRules, formatSamples, problemLines, type Sample, type SeriesInput } from '../live/promtool-rules.js';
import type { Random } from '../live/random.js';
import { clock, cumulative, evaluate, HISTOGRAM_LE, key, leText, type EvalResult, type Query } from '../live/slo-rules.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { JOB, readYaml } from './C.4.js';
import { checkSet, expectThat, Mismatch, type ExerciseChecks, type ToolContext } from './kit.js';

const RULES_FILE = 'F/slis.yml';
export const WINDOWS = ['5m', '30m', '1h', '6h', '1d', '3d'] as const;
export const THRESHOLD = 0.25;
const OTHER_JOB = 'batch-worker';

type SliKind = 'availability' | 'latency';
export const recordName = (kind: SliKind, window: string) => `slo:sli_${kind}:ratio_rate${window}`;

/** The grader's own SLI expressions. */
function oracle(kind: SliKind, window: string): string {
  if (kind === 'availability') {
    return `sum by (job) (rate(http_requests_total{job="${JOB}", status_code!~"5.."}[${window}])) / sum by (job) (rate(http_requests_total{job="${JOB}"}[${window}]))`;
  }
  return `sum by (job) (rate(http_request_duration_seconds_bucket{job="${JOB}", le="${THRESHOLD}"}[${window}])) / sum by (job) (rate(http_request_duration_seconds_bucket{job="${JOB}", le="+Inf"}[${window}]))`;
}

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The names of every recording rule in a rules file. */
export function recordedNames(data: unknown): string[] {
  if (!isMap(data) || !Array.isArray(data.groups)) return [];
  return data.groups.filter(isMap).flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isMap) : [])).filter((r) => typeof r.record === 'string').map((r) => String(r.record));
}

async function rulesValid(targetDir: string, promtool: string | undefined): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  if (promtool) {
    const outcome = await checkRules(promtool, text, 'slis.yml');
    expectThat(!outcome.timedOut, 'promtool check rules did not finish in time', 'an answer within 15 s', 'no answer');
    expectThat(outcome.ok, `promtool check rules refuses ${RULES_FILE}`, 'SUCCESS', problemLines(outcome.output));
  }
  const names = recordedNames(data);
  const wanted = (['availability', 'latency'] as const).flatMap((k) => WINDOWS.map((w) => recordName(k, w)));
  const missing = wanted.filter((n) => !names.includes(n));
  expectThat(missing.length === 0, `${RULES_FILE} should record both SLIs over every window (${WINDOWS.join(', ')})`, `${wanted.length} recording rules: slo:sli_availability:ratio_rate<w> and slo:sli_latency:ratio_rate<w> for w in ${WINDOWS.join(', ')}`, `${missing.length} missing: ${missing.join(', ')}${names.length ? `\nrecorded: ${names.join(', ')}` : '\n(no recording rule at all)'}`);
  if (!promtool) return skipped(`the rules parse as YAML and name every SLI, but promtool is needed to check them: ${INSTALL_HINT}`);
  return pass(`promtool check rules: SUCCESS; ${wanted.length} recording rules`);
}

// ---------------------------------------------------------------------------------------------
// Hidden series

const ENDPOINTS = [
  ['GET', '/health', '200'],
  ['POST', '/predict', '201'],
  ['POST', '/predict', '422'],
  ['GET', 'unmatched', '404'],
  ['POST', '/predict', '500'],
  ['GET', '/boom', '503'],
] as const;

export interface SliData {
  series: SeriesInput[];
  stepMinutes: number;
  times: number[];
  windows: string[];
  story: string;
}

/** Requests and latency of two instances of the service (and of another job), over `steps` samples;
 * the traffic mix changes every few samples so each window sees another mix; one instance restarts. */
function sliData(random: Random, stepMinutes: number, steps: number, windows: string[], times: number[]): SliData {
  const instances = [`10.2.${random.int(0, 127)}.${random.int(2, 254)}:3000`, `10.2.${random.int(128, 255)}.${random.int(2, 254)}:3000`];
  const restarted = random.int(0, 1);
  const resetAt = random.int(Math.floor(steps * 0.45), Math.floor(steps * 0.6));
  const phaseLength = random.int(5, 9);
  const series: SeriesInput[] = [];
  for (const [n, instance] of instances.entries()) {
    const reset = n === restarted ? resetAt : undefined;
    // Per phase: a request count per endpoint per step, and a latency mix.
    const phases = Array.from({ length: Math.ceil(steps / phaseLength) + 1 }, () => ({
      counts: ENDPOINTS.map(([, , status]) => (status.startsWith('5') ? random.int(0, 12) : status.startsWith('4') ? random.int(0, 20) : random.int(40, 120)) * stepMinutes),
      slowShare: random.int(0, 30) / 100,
    }));
    const at = (i: number) => phases[Math.floor(i / phaseLength)]!;
    ENDPOINTS.forEach(([method, endpoint, status], e) => {
      series.push({ series: `http_requests_total{job="${JOB}", instance="${instance}", method="${method}", endpoint="${endpoint}", status_code="${status}"}`, values: cumulative(Array.from({ length: steps }, (_, i) => at(i).counts[e]!), reset) });
    });
    // Latency per endpoint (no status label on the histogram): fast, at the threshold, slower.
    for (const [method, endpoint] of [['GET', '/health'], ['POST', '/predict']] as const) {
      const share = endpoint === '/health' ? 0.3 : 1;
      const total = (i: number) => Math.round(at(i).counts.reduce((a, b) => a + b, 0) * (endpoint === '/health' ? 0.4 : 0.6));
      const slow = (i: number) => Math.round(total(i) * at(i).slowShare * share);
      const exact = (i: number) => Math.round((total(i) - slow(i)) / 3);
      const perLe = (le: number) => (i: number) => (le < THRESHOLD ? total(i) - slow(i) - exact(i) : le === THRESHOLD ? total(i) - slow(i) : le <= 0.5 ? total(i) - Math.round(slow(i) / 2) : total(i));
      for (const le of [...HISTOGRAM_LE, Infinity]) {
        series.push({ series: `http_request_duration_seconds_bucket{job="${JOB}", instance="${instance}", method="${method}", endpoint="${endpoint}", le="${leText(le)}"}`, values: cumulative(Array.from({ length: steps }, (_, i) => perLe(le)(i)), reset) });
      }
      series.push({ series: `http_request_duration_seconds_count{job="${JOB}", instance="${instance}", method="${method}", endpoint="${endpoint}"}`, values: cumulative(Array.from({ length: steps }, (_, i) => total(i)), reset) });
    }
  }
  // Another job, far less available and far slower: it must not leak into the service's SLIs.
  const other = `10.3.${random.int(0, 255)}.${random.int(2, 254)}:9100`;
  series.push({ series: `http_requests_total{job="${OTHER_JOB}", instance="${other}", method="POST", endpoint="/jobs", status_code="200"}`, values: cumulative(Array.from({ length: steps }, () => random.int(5, 15) * stepMinutes)) });
  series.push({ series: `http_requests_total{job="${OTHER_JOB}", instance="${other}", method="POST", endpoint="/jobs", status_code="500"}`, values: cumulative(Array.from({ length: steps }, () => random.int(5, 15) * stepMinutes)) });
  for (const le of [...HISTOGRAM_LE, Infinity]) {
    series.push({ series: `http_request_duration_seconds_bucket{job="${OTHER_JOB}", instance="${other}", method="POST", endpoint="/jobs", le="${leText(le)}"}`, values: cumulative(Array.from({ length: steps }, () => (le >= 1 ? 20 : 2) * stepMinutes)) });
  }
  const story = `two instances of ${JOB} and one of ${OTHER_JOB}, a sample every ${stepMinutes} min for ${clock(steps * stepMinutes)}, the mix changing every ${clock(phaseLength * stepMinutes)}; instance ${instances[restarted]} restarts at ${clock(resetAt * stepMinutes)}`;
  return { series, stepMinutes, times, windows, story };
}

/** Short windows on minute samples over two hours; long windows on half-hour samples over 3½ days. */
export function sliRuns(random: Random, shortWindows: string[] = ['5m', '30m', '1h'], longWindows: string[] = ['6h', '1d', '3d']): SliData[] {
  const fine = sliData(random.fork('fine'), 1, 131, shortWindows, [random.int(75, 95), random.int(100, 115), 130]);
  const coarse = sliData(random.fork('coarse'), 30, 169, longWindows, [72 * 60, 76 * 60 + 30 * random.int(0, 8), 84 * 60]);
  return [fine, coarse];
}

/** Two evaluated values agree: both NaN, or equal to within floating-point noise. */
export const agree = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

/** Both SLIs and their references at every time of every run: one promtool run per series set. */
function evaluateAll(promtool: string, text: string, runs: SliData[]): Promise<EvalResult[]> {
  return Promise.all(
    runs.map((run) => {
      const queries: Query[] = run.times.flatMap((at) => run.windows.flatMap((w) => (['availability', 'latency'] as const).flatMap((kind) => [{ expr: recordName(kind, w), at }, { expr: oracle(kind, w), at }])));
      return evaluate(promtool, { rules: { 'slis.yml': text }, series: run.series, stepMinutes: run.stepMinutes, queries });
    }),
  );
}

async function sliValues(targetDir: string, promtool: string | undefined, kind: SliKind, runs: SliData[], evaluated: (text: string) => Promise<EvalResult[]>): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  const names = recordedNames(data);
  const missing = WINDOWS.map((w) => recordName(kind, w)).filter((n) => !names.includes(n));
  expectThat(missing.length === 0, `${RULES_FILE} does not record the ${kind} SLI over every window yet`, `${recordName(kind, '<w>')} for w in ${WINDOWS.join(', ')}`, `missing: ${missing.join(', ')}`);
  if (!promtool) return skipped(`the SLI values are checked with promtool test rules: ${INSTALL_HINT}`);
  const outcomes = await evaluated(text);
  runs.forEach((run, r) => {
    const outcome = outcomes[r]!;
    expectThat(!outcome.timedOut, 'promtool test rules did not finish in time', 'an answer within 20 s', 'no answer');
    if (outcome.problem) throw new Mismatch(`promtool could not evaluate ${RULES_FILE}`, 'rules promtool can load and evaluate', outcome.problem);
    for (const at of run.times) {
      for (const w of run.windows) {
        const expected = outcome.results.get(key(oracle(kind, w), at)) ?? [];
        const got = outcome.results.get(key(recordName(kind, w), at)) ?? [];
        const want = expected.find((s) => s.labels.job === JOB);
        const mine = got.filter((s) => s.labels.job === JOB);
        if (!want) throw new Error(`grader fault: no reference value for ${kind} over ${w} at ${clock(at)}`);
        const shown = (samples: Sample[]) => formatSamples(samples.map((s) => ({ labels: Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== '__name__')), value: s.value })));
        const why = `${recordName(kind, w)} at ${clock(at)} should be the share of ${kind === 'availability' ? 'requests not answered with a 5xx' : `requests answered in ${THRESHOLD} s or less`} among all requests of job ${JOB} over the last ${w} (hidden series: ${run.story})`;
        expectThat(mine.length === 1, mine.length === 0 ? `${why}, with the job label kept` : `${why}: one number per job (sum by (job)), not one per series`, `{job="${JOB}"} ${Number(want.value.toPrecision(6))}`, got.length ? shown(got) : 'no result at all');
        expectThat(agree(mine[0]!.value, want.value), why, `{job="${JOB}"} ${want.value}`, `${shown(mine)} (${mine[0]!.value})`);
      }
    }
  });
  return pass(`the ${kind} SLI is right over ${WINDOWS.join(', ')} (${runs.reduce((n, r) => n + r.times.length * r.windows.length, 0)} values compared, a counter reset included)`);
}

export default {
  exercise: 'F.1',
  tools: checkSet(['F.1.rules-valid', 'F.1.availability-sli', 'F.1.latency-sli'] as const, async ({ targetDir, promtool, random }: ToolContext) => {
    const runs = sliRuns(random.fork('slis'));
    let shared: Promise<EvalResult[]> | undefined;
    const evaluated = (text: string) => (shared ??= evaluateAll(promtool!, text, runs));
    return {
      'F.1.rules-valid': () => rulesValid(targetDir, promtool),
      'F.1.availability-sli': () => sliValues(targetDir, promtool, 'availability', runs, evaluated),
      'F.1.latency-sli': () => sliValues(targetDir, promtool, 'latency', runs, evaluated),
    };
  }),
} satisfies ExerciseChecks;
