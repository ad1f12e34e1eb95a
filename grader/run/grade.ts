// Grades a selection of exercises in a target tree: hidden suites, live checks, the learner's own
// tests and a type-check, run side by side; then one report in the results schema.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Course, Criterion, Exercise } from '../course/schema.js';
import { selectExercises } from '../course/load.js';
import { prometheusPath, promtoolPath } from '../live/prometheus-tools.js';
import { gradingError, scoreReport, skipped, RESULTS_SCHEMA_VERSION, summarize, type CriterionResult, type Report, type SectionResult, type Verdict } from '../report/results.js';
import type { ExternalTarget } from '../live/external-service.js';
import { WorkbookError } from '../errors.js';
import { newSeed } from '../live/random.js';
import { EXTRA_HINT, extraResultsWithout, extraSuitesDir, loadExtraSuites, runExtraSuites, type ExtraResult, type ExtraSuites } from './extra-suites.js';
import { runLearnerTests } from '../live/learner-tests.js';
import { runLive, runTools, type Tools } from './live.js';
import { measuringAlone } from './machine-lock.js';
import { mapLimit } from './pool.js';
import { runSuites } from './suites.js';
import { Engine, PROMETHEUS_LANES } from './engine.js';
import { missingFiles, type Target } from './target.js';
import type { TypecheckResult } from '../report/results.js';

export interface GradeOptions {
  course: Course;
  selectors: string[];
  target: Target;
  /** Grade Section E's live checks against any service: started by a command, or at a URL. */
  external?: ExternalTarget;
  /** The folder of an instructor's extra suites (default: WORKBOOK_EXTRA_SUITES; none when unset). */
  extraSuites?: string;
  /** Seeds the generated traffic and test data (a fresh one per grade when not given). */
  seed?: number;
  /** The engine that runs suites, services and the type-check (one for this grade when not given). */
  engine?: Engine;
  /** Type-check the learner's files (default true; the grader's own tests of criteria turn it off). */
  typecheck?: boolean;
}

/** How many checks a grade runs side by side: WORKBOOK_JOBS (a whole number of 1 or more), else
 * one per core and at least two (checks that mostly wait have lanes of their own, as many at the
 * most). Class grading runs several grades at once and sets it to 1. */
export function jobLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKBOOK_JOBS?.trim();
  if (raw === undefined || raw === '') return Math.max(2, availableParallelism());
  const jobs = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(jobs) || jobs < 1) {
    throw new WorkbookError('USAGE', `WORKBOOK_JOBS must be a whole number of 1 or more (how many checks a grade runs side by side), not "${env.WORKBOOK_JOBS}"`);
  }
  return jobs;
}

type Job = () => Promise<Map<string, Verdict>>;

function jobsFor(exercise: Exercise, dir: string, tools: Tools, seed: number, engine: Engine, external?: ExternalTarget): Job[] {
  const kinds = new Set(exercise.criteria.map((c) => c.check));
  const jobs: Job[] = [];
  if (external) {
    // Only what can be checked over HTTP runs; the rest needs the learner's TypeScript files.
    const reason = skipped('needs your TypeScript files; not checked when grading a service by command or URL');
    jobs.push(async () => new Map(exercise.criteria.filter((c) => c.check !== 'live').map((c) => [c.id, reason])));
    if (kinds.has('live')) jobs.push(() => runLive(exercise, dir, tools, seed, external));
    return jobs;
  }
  // Hidden suites run together, in one job of their own (see grade()).
  if (kinds.has('live')) jobs.push(() => runLive(exercise, dir, tools, seed, undefined, () => engine.service(dir, exercise)));
  if (kinds.has('tool')) jobs.push(() => runTools(exercise, dir, tools, seed));
  if (kinds.has('learner-tests')) jobs.push(() => runLearnerTests(exercise, dir));
  return jobs;
}

function missingMessage(target: Target, exercise: Exercise, absent: string[]): string {
  return `missing file(s): ${absent.map((f) => path.join(target.label, f)).join(', ')} (npm start -- reset ${exercise.id} restores the stub)`;
}

/** A criterion's line in the report: its verdict and, on a failure, its hint (points: scoreReport). */
function criterionResult(base: Pick<CriterionResult, 'id' | 'exercise' | 'title' | 'kind'>, points: number, verdict: Verdict, hint: string | undefined): CriterionResult {
  return {
    ...base,
    ...verdict,
    points: 0,
    max_points: points,
    ...((verdict.status === 'fail' || verdict.status === 'error') && hint && { hint }),
  };
}

/** Graded by command or URL, the hint speaks of that service, not of the course's files. */
const externalHint = (exercise: Exercise, external: ExternalTarget): string =>
  `Compare what ${external.cmd ? 'the service your command starts' : `the service at ${external.url}`} answered with the expected line above; ${exercise.lesson.replace(/#.*/, '')} explains what each metric must hold.`;

const toResult = (exercise: Exercise, criterion: Criterion, verdict: Verdict, external?: ExternalTarget): CriterionResult =>
  criterionResult({ id: criterion.id, exercise: exercise.id, title: criterion.title, kind: criterion.kind }, criterion.points, verdict, external ? externalHint(exercise, external) : criterion.hint);

const extraToResult = ({ id, exercise, title, points, verdict }: ExtraResult): CriterionResult =>
  criterionResult({ id, exercise, title, kind: 'unit' }, points, verdict, EXTRA_HINT);

export async function grade({ course, selectors, target, external, extraSuites = extraSuitesDir(), seed = newSeed(), engine: given, typecheck = true }: GradeOptions): Promise<Report> {
  const engine = given ?? new Engine();
  try {
    return await gradeWith(engine, { course, selectors, target, ...(external && { external }), extraSuites, seed, typecheck });
  } finally {
    if (!given) engine.close();
  }
}

async function gradeWith(engine: Engine, { course, selectors, target, external, extraSuites, seed, typecheck }: GradeOptions & { seed: number }): Promise<Report> {
  const started = performance.now();
  const selected = selectExercises(course, selectors);
  // Bad settings are told before anything is graded.
  const limit = jobLimit();
  const extras: ExtraSuites | undefined = extraSuites === undefined ? undefined : await loadExtraSuites(course, extraSuites);
  const tools: Tools = { promtool: promtoolPath(), prometheus: prometheusPath(), launchPrometheus: engine.launchPrometheus };
  const verdicts = new Map<string, Verdict>();
  const missing = new Map<string, string[]>();
  const extraResults = new Map<string, ExtraResult[]>();
  const jobs: Job[] = [];
  const waits: Job[] = [];
  const alone: Job[] = [];
  for (const exercise of selected.flatMap((s) => s.exercises)) {
    const absent = external ? [] : missingFiles(target, exercise.files);
    const extraFiles = extras?.files.filter((f) => f.exercise === exercise.id) ?? [];
    if (absent.length) missing.set(exercise.id, absent);
    else (exercise.exclusive ? alone : exercise.waits ? waits : jobs).push(...jobsFor(exercise, target.dir, tools, seed, engine, external));
    if (extraFiles.length === 0 || !extras) continue;
    if (absent.length) {
      extraResults.set(exercise.id, extraResultsWithout(extraFiles, gradingError(missingMessage(target, exercise, absent))));
    } else if (external) {
      extraResults.set(exercise.id, extraResultsWithout(extraFiles, skipped('needs your TypeScript files; not checked when grading a service by command or URL')));
    } else {
      // Unit suites like the hidden ones: they run with the others, also for an exercise graded alone.
      jobs.push(async () => {
        extraResults.set(exercise.id, await runExtraSuites(exercise, extraFiles, extras.dir, target.dir));
        return new Map();
      });
    }
  }
  // Every hidden suite of the grade in one vitest run, first in line.
  const suiteExercises = external ? [] : selected.flatMap((s) => s.exercises).filter((e) => !missing.has(e.id) && e.criteria.some((c) => c.check === 'suite'));
  if (suiteExercises.length) jobs.unshift(() => runSuites(suiteExercises, target.dir, seed, (ids) => engine.suites(target.dir, ids, seed)));
  // One type-check over every selected file, told per section.
  const typecheckFiles = external || !typecheck ? [] : selected.flatMap((s) => s.exercises.filter((e) => !missing.has(e.id)).flatMap((e) => e.files).filter((f) => f.endsWith('.ts')));
  const typecheckRun = typecheckFiles.length ? engine.typecheck(target.dir, typecheckFiles) : Promise.resolve(undefined);
  // Checks that mostly wait for a real Prometheus to scrape and evaluate (waits: true in the course)
  // take lanes of their own, as many as the engine keeps servers ready, beside the others. Checks
  // that measure time or memory under load run one at a time, after all of them, with nothing else
  // of this grade competing for the cores, and never beside those of another grade of this machine.
  const [working, waiting] = await Promise.all([mapLimit(jobs, limit, (job) => job()), mapLimit(waits, Math.min(limit, PROMETHEUS_LANES), (job) => job())]);
  const measured = alone.length ? await measuringAlone(() => mapLimit(alone, 1, (job) => job())) : [];
  const results = [...working, ...waiting, ...measured];
  for (const [id, verdict] of results.flatMap((result) => [...result])) verdicts.set(id, verdict);
  const typechecked = await typecheckRun;

  const sections: SectionResult[] = selected.map(({ section, exercises }) => {
    const criteria = exercises.flatMap((exercise) => [
      ...exercise.criteria.map((criterion) => {
        const absent = missing.get(exercise.id);
        const verdict = absent
          ? gradingError(missingMessage(target, exercise, absent))
          : verdicts.get(criterion.id) ?? gradingError(`grader fault: ${criterion.id} was not checked`);
        return toResult(exercise, criterion, verdict, external);
      }),
      // An instructor's extra criteria come after the course's own, in the same exercise.
      ...(extraResults.get(exercise.id) ?? []).map(extraToResult),
    ]);
    const typecheckResult = typechecked && bySection(typechecked, exercises.filter((e) => !missing.has(e.id)).flatMap((e) => e.files).filter((f) => f.endsWith('.ts')));
    return { id: section.id, title: section.title, criteria, ...(typecheckResult && { typecheck: typecheckResult }) };
  });
  const report: Report = {
    schema: RESULTS_SCHEMA_VERSION,
    target: external ? (external.cmd ? `command: ${external.cmd}` : `url: ${external.url}`) : target.label,
    prometheus: { promtool: tools.promtool !== undefined, prometheus: tools.prometheus !== undefined },
    seed,
    sections,
    summary: summarize(sections),
    duration_ms: 0,
  };
  const points = new Map(sections.flatMap((s) => s.criteria.map((c) => [c.id, c.max_points] as const)));
  const unscorable = scoreReport(report, points);
  if (unscorable) throw new Error(`grader fault: ${unscorable}`);
  report.duration_ms = Math.round(performance.now() - started);
  return report;
}

/** A section's part of the grade's one type-check: its own files, and the errors in its folder. */
function bySection(all: TypecheckResult, files: string[]): TypecheckResult | undefined {
  if (files.length === 0) return undefined;
  const n = files.length;
  if (all.status !== 'fail') return { ...all, files: n, message: all.status === 'pass' ? `${n} file(s) type-check` : all.message };
  const folder = `${files[0]!.split('/')[0]}/`;
  const errors = all.errors.filter((e) => e.includes(`/${folder}`) || e.startsWith(folder));
  const failing = (all.failing_files ?? []).filter((f) => f.startsWith(folder));
  if (errors.length === 0 && failing.length === 0) return { status: 'pass', files: n, message: `${n} file(s) type-check`, errors: [] };
  return { status: 'fail', files: n, message: `${errors.length} type error(s)`, errors, failing_files: failing };
}
