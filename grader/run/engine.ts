// The grading engine: what a grade runs (hidden suites, services, the type-check), started as soon as
// the command line is understood and handed to the grade. One engine per command; the menu and watch
// keep theirs for every grade they run. Nothing is reused unless the files it read are unchanged, and
// close() ends everything it started.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { filesUnder } from '../paths.js';
import path from 'node:path';
import type { Course, Exercise } from '../course/schema.js';
import { selectExercises } from '../course/select.js';
import { ServiceProcess } from '../live/service.js';
import type { TypecheckResult } from '../report/results.js';
import { typecheck } from './typecheck.js';
import { startSuites, SUITE_CONFIG, suiteFiles, suiteTimeout } from './suites.js';
import type { VitestRun } from '../live/vitest-json.js';
import { WarmVitest } from '../live/warm-vitest.js';
import { PrometheusPool, type LaunchPrometheus } from '../live/prometheus-pool.js';
import { prometheusPath } from '../live/prometheus-tools.js';

/** What a grade of these selectors needs, worked out once from the manifest and the files present. */
export interface GradePlan {
  exercises: Exercise[];
  /** Exercises whose hidden suite runs (their files are present). */
  suites: Exercise[];
  /** Exercises whose live checks start a service from the target. */
  services: Exercise[];
  /** The .ts files to type-check, all sections together. */
  typecheckFiles: string[];
  /** How many of its exercises run a real Prometheus. */
  prometheus: number;
}

export function planGrade(course: Course, selectors: string[], dir: string, present: (files: string[]) => boolean): GradePlan {
  const exercises = selectExercises(course, selectors).flatMap((s) => s.exercises);
  const ready = exercises.filter((e) => present(e.files));
  return {
    exercises,
    suites: ready.filter((e) => e.criteria.some((c) => c.check === 'suite')),
    services: ready.filter((e) => e.service && e.criteria.some((c) => c.check === 'live') && present([e.service])),
    typecheckFiles: ready.flatMap((e) => e.files).filter((f) => f.endsWith('.ts')),
    prometheus: ready.filter((e) => e.prometheus).length,
  };
}

/** A fingerprint of every file of a folder (the code a service or suite would load). */
export function folderFingerprint(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir)) {
    try {
      if (statSync(file).size < 4 * 1024 * 1024) hash.update(`${path.relative(dir, file)}\0`).update(readFileSync(file)).update('\0');
    } catch {
      // gone meanwhile: it simply does not count
    }
  }
  return hash.digest('hex');
}

/** The fingerprint of what a service of this target loads: its section's folder (B/, C/, D/lab/, E/). */
export function serviceInputs(dir: string, exercise: Exercise): string {
  return folderFingerprint(path.join(dir, path.dirname(exercise.service ?? '')));
}

/** How many exercises that run a real Prometheus a grade checks side by side (grade.ts). */
export const PROMETHEUS_LANES = 2;

interface Early<T> {
  key: string;
  value: T;
}

export class Engine {
  private readonly services = new Map<string, Early<ServiceProcess>>();
  private readonly suiteRuns = new Map<string, Early<Promise<VitestRun>>>();
  private readonly typechecks = new Map<string, Early<Promise<TypecheckResult>>>();
  private closed = false;
  /** Kept warm (the menu and watch): a launcher with node and tsx loaded, waiting for an app. */
  private spare: ServiceProcess | undefined;
  /** Kept warm (the menu and watch): vitest loaded once per target folder, the suites run in it. */
  private readonly vitests = new Map<string, WarmVitest>();
  /** Prometheus servers lent to the checks, started ahead where a grade will need them. */
  private readonly prometheusPool = new PrometheusPool(prometheusPath());
  /** What the checks call for a Prometheus running their config. */
  readonly launchPrometheus: LaunchPrometheus = this.prometheusPool.launch;

  /** A warm engine keeps a spare service launcher ready, so each grade skips starting node and tsx. */
  constructor(private readonly warm = false) {
    if (warm) this.spare = new ServiceProcess();
  }

  /** Starts now what a grade of this plan will ask for (suites, services, the type-check). A warm
   * engine runs no suite early: its vitest is loaded already and runs them on the files of the grade. */
  prepare(plan: GradePlan, dir: string, seed: number): void {
    if (this.closed) return;
    if (plan.suites.length && !this.warm) this.suites(dir, plan.suites.map((e) => e.id), seed, true);
    for (const exercise of plan.services) {
      const appModule = path.join(dir, exercise.service ?? '');
      if (!this.services.has(appModule)) this.services.set(appModule, { key: serviceInputs(dir, exercise), value: new ServiceProcess(appModule) });
    }
    if (plan.typecheckFiles.length) void this.typecheck(dir, plan.typecheckFiles, true);
    this.warmPrometheus(plan.prometheus);
  }

  /** Starts Prometheus servers now for this many exercises that will use one: a check's first scrape
   * comes at a reload tick, every 5 s from the server's start, so the wait overlaps everything before
   * the check. PROMETHEUS_LANES at the most: the checks that use one run that many at a time, and each
   * server is lent again once its check is done. */
  warmPrometheus(exercises: number): void {
    if (exercises > 0 && !this.closed) this.prometheusPool.warm(Math.min(PROMETHEUS_LANES, exercises));
  }

  /** A service for this exercise: the one started early when its files have not changed since, else a new one. */
  service(dir: string, exercise: Exercise): ServiceProcess {
    const appModule = path.join(dir, exercise.service ?? '');
    const early = this.services.get(appModule);
    this.services.delete(appModule);
    if (early && early.key === serviceInputs(dir, exercise)) return early.value;
    early?.value.stop();
    const spare = this.spare;
    if (spare && !this.closed) {
      this.spare = new ServiceProcess(); // the next grade's
      return spare.load(appModule);
    }
    return new ServiceProcess(appModule);
  }

  /** One vitest run for the hidden suites of these exercises (the run started early when it matches). */
  suites(dir: string, exerciseIds: string[], seed: number, early = false): Promise<VitestRun> {
    if (this.warm && !this.closed && !early) {
      let vitest = this.vitests.get(dir);
      if (!vitest) this.vitests.set(dir, (vitest = new WarmVitest(SUITE_CONFIG, dir)));
      const files = suiteFiles(exerciseIds);
      return vitest.run(files, seed, suiteTimeout(files.length));
    }
    const id = `${dir}\n${seed}\n${exerciseIds.join(',')}`;
    const key = folderFingerprint(dir);
    const started = this.suiteRuns.get(id);
    if (!early) this.suiteRuns.delete(id);
    if (started && started.key === key) return started.value;
    const run = startSuites(exerciseIds, dir, seed);
    if (early) this.suiteRuns.set(id, { key, value: run });
    return run;
  }

  /** One type-check over these files (the one started early when the files have not changed since). */
  typecheck(dir: string, files: string[], early = false): Promise<TypecheckResult> {
    const id = `${dir}\n${files.join('\n')}`;
    const key = folderFingerprint(dir);
    const started = this.typechecks.get(id);
    if (!early) this.typechecks.delete(id);
    if (started && started.key === key) return started.value;
    const run = typecheck(dir, files);
    if (early) this.typechecks.set(id, { key, value: run });
    return run;
  }

  /** Ends every service it started and forgets what it had started early. */
  close(): void {
    this.closed = true;
    this.spare?.stop();
    this.spare = undefined;
    for (const vitest of this.vitests.values()) vitest.close();
    this.vitests.clear();
    this.prometheusPool.close();
    for (const { value } of this.services.values()) value.stop();
    this.services.clear();
    this.suiteRuns.clear();
    this.typechecks.clear();
  }
}
