// What every live check needs: a started service, its metrics parsed, and verdicts with
// "expected / seen" that a learner can act on.
import type { LaunchPrometheus } from '../live/prometheus-pool.js';
import { PrometheusStartError, type PrometheusServer } from '../live/prometheus-server.js';
import type { Exercise } from '../course/schema.js';
import { ExpositionError, findSamples, parseExposition, type MetricFamily, type Sample } from '../live/exposition.js';
import { RequestTimeout } from '../live/http.js';
import type { Service } from '../live/service.js';
import type { Random } from '../live/random.js';
import { cleanError } from '../report/clean.js';
import { fail, gradingError, type Verdict } from '../report/results.js';

export type Families = Map<string, MetricFamily>;

export interface ToolContext {
  exercise: Exercise;
  /** The tree being graded (exercises/, solutions/ or a copy of a learner's folder). */
  targetDir: string;
  /** Paths of the real Prometheus tools, when installed. */
  promtool: string | undefined;
  prometheus: string | undefined;
  /** How to get a Prometheus running a config: always this, never a start of one's own (the engine
   * lends servers started ahead; see live/prometheus-pool.ts). */
  launchPrometheus: LaunchPrometheus;
  /** This run's seed (printed in the report; `--seed N` replays it). */
  seed: number;
  /** Seeded randomness for this exercise's traffic and data: vary counts, ids, paths and order with it. */
  random: Random;
}

export interface LiveContext extends ToolContext {
  service: Service;
}

export type Checks = Record<string, () => Verdict | Promise<Verdict>>;

/** One exercise's live checks: drive traffic once, then judge each criterion. */
export type LiveRun = (ctx: LiveContext) => Promise<Checks>;

/** One exercise's tool checks: judge the learner's files with real tools, no service needed. */
export type ToolRun = (ctx: ToolContext) => Promise<Checks>;

/** One exercise's checks, declared with their criterion ids up front (npm run check-course reads
 * them): the run must return a check for exactly those ids, which the types enforce. */
export interface CheckSet<Ctx, Id extends string = string> {
  criteria: readonly Id[];
  run: (ctx: Ctx) => Promise<Record<Id, () => Verdict | Promise<Verdict>>>;
}

export interface ExerciseChecks {
  exercise: string;
  live?: CheckSet<LiveContext>;
  tools?: CheckSet<ToolContext>;
}

/** A check set whose run is typed by its ids. */
export function checkSet<Ctx, const Id extends string>(criteria: readonly Id[], run: (ctx: Ctx) => Promise<Record<Id, () => Verdict | Promise<Verdict>>>): CheckSet<Ctx> {
  return { criteria, run: run as CheckSet<Ctx>['run'] };
}

/** A check found the learner's code wrong: becomes a `fail` with expected and seen. */
export class Mismatch extends Error {
  constructor(message: string, readonly expected?: string, readonly seen?: string) {
    super(message);
  }
}

export function expectThat(ok: boolean, message: string, expected?: string, seen?: string): asserts ok {
  if (!ok) throw new Mismatch(message, expected, seen);
}

export async function judge(check: () => Verdict | Promise<Verdict>): Promise<Verdict> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof Mismatch) return fail(error.message, error.expected, error.seen);
    if (error instanceof RequestTimeout) return fail(`${error.message}: does every code path send a reply?`);
    if (error instanceof ExpositionError) return fail(`the metrics text is not valid exposition format: ${error.message}`);
    return gradingError(`the check could not run: ${cleanError(error instanceof Error ? error.stack ?? error.message : String(error))}`);
  }
}

export async function registryFamilies(service: Service): Promise<Families> {
  return parseExposition(await service.scrapeRegistry());
}

export function formatSample(s: Sample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `${s.name}{${labels}} ${s.value}`;
}

/** The samples of a name, as text for a "seen" line (at most a few). */
export function seenSeries(families: Families, name: string, labels: Record<string, string> = {}, max = 8): string {
  const samples = findSamples(families, name, labels);
  if (samples.length === 0) return `no ${name} series at all`;
  const lines = samples.slice(0, max).map(formatSample);
  if (samples.length > max) lines.push(`... and ${samples.length - max} more`);
  return lines.join('\n');
}

export function series(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/** Exactly one sample with these labels and this value. */
export function expectValue(families: Families, name: string, labels: Record<string, string>, want: number, why: string): void {
  const samples = findSamples(families, name, labels);
  const total = samples.reduce((sum, s) => sum + s.value, 0);
  expectThat(
    samples.length === 1 && samples[0]?.value === want,
    why,
    `${series(name, labels)} ${want}`,
    samples.length === 0 ? `no such series; what there is:\n${seenSeries(families, name)}` : samples.length > 1 ? seenSeries(families, name, labels) : `${series(name, labels)} ${total}`,
  );
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { sleep } from '../live/sleep.js';

export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

export type Settled<T> = { value: T } | { error: unknown };

/** A promise started before its criterion is judged: it never rejects unseen. */
export const settled = <T>(p: Promise<T>): Promise<Settled<T>> => p.then((value) => ({ value }), (error: unknown) => ({ error }));

/** What a promise started ahead came to, when its criterion is judged: its value, or its error thrown. */
export async function outcome<T>(p: Promise<Settled<T>>): Promise<T> {
  const s = await p;
  if ('error' in s) throw s.error;
  return s.value;
}

/** A Prometheus started ahead with the learner's scrape job: the server, or why it would not start. */
export async function scrapingServer(started: Promise<Settled<PrometheusServer>>): Promise<PrometheusServer> {
  try {
    return await outcome(started);
  } catch (error) {
    if (error instanceof PrometheusStartError) throw new Mismatch('Prometheus would not start with your scrape job (run promtool check config on it)', 'Prometheus running', error.message);
    throw error;
  }
}

/** Stops what was started ahead for a criterion that will not use it (rather than at exit). */
export function stopStarted(started: Promise<Settled<{ stop(): void }>> | undefined): void {
  void started?.then((r) => ('value' in r ? r.value.stop() : undefined));
}
