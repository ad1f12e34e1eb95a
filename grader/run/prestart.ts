// Speed for a one-shot `grade`: services for the live checks start booting before the rest of the
// grader has loaded (loading it takes about as long as a service takes to start). Anything unused is
// killed at exit. Never for the menu or watch: they grade later, when the files may have changed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { course } from '../course/course.js';
import { selectExercises } from '../course/select.js';
import { ServiceProcess } from '../live/service.js';
import type { TypecheckResult } from '../report/results.js';
import { newSeed, parseSeed } from '../live/random.js';
import { typecheck } from './typecheck.js';
import { startSuite } from './suites.js';
import type { VitestRun } from './vitest-json.js';
import { EXERCISES_DIR, PROJECT_ROOT } from './paths.js';

const MAX_EARLY = 2;
const early = new Map<string, ServiceProcess>();
/** The seed the early suite runs were started with; the grade uses the same one. */
let earlySeed: number | undefined;
const earlyTypechecks = new Map<string, Promise<TypecheckResult>>();
const earlySuites = new Map<string, Promise<VitestRun>>();
const typecheckKey = (dir: string, files: string[]) => `${dir}\n${files.join('\n')}`;

/** Best effort: on anything unexpected it starts nothing, and the grader proceeds as usual. */
export function prestartServices(argv: string[]): void {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: false,
      options: { solutions: { type: 'boolean' }, target: { type: 'string' }, json: { type: 'boolean' }, format: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, 'server-cmd': { type: 'string' }, 'server-url': { type: 'string' } },
    });
    const seed = values.seed === undefined ? newSeed() : parseSeed(String(values.seed));
    if (seed === undefined) return;
    if ((values.solutions && values.target) || values['server-cmd'] !== undefined || values['server-url'] !== undefined) return;
    const dir = values.solutions ? path.join(PROJECT_ROOT, 'solutions') : path.resolve(String(values.target ?? EXERCISES_DIR));
    if (path.relative(PROJECT_ROOT, dir).startsWith('..')) return; // graded from a copy: nothing to start yet
    const selected = selectExercises(course, positionals.map(String));
    const present = (files: string[]) => files.every((f) => existsSync(path.join(dir, f)));
    const suites = selected.flatMap((s) => s.exercises).filter((e) => present(e.files) && e.criteria.some((c) => c.check === 'suite'));
    earlySeed = seed;
    for (const exercise of suites.slice(0, MAX_EARLY)) earlySuites.set(`${exercise.id}\n${dir}\n${seed}`, startSuite(exercise.id, dir, seed));
    const live = selected.flatMap((s) => s.exercises).filter((e) => e.service && e.criteria.some((c) => c.check === 'live'));
    for (const exercise of live.slice(0, MAX_EARLY)) {
      const appModule = path.join(dir, exercise.service ?? '');
      if (present(exercise.files) && existsSync(appModule)) {
        early.set(exercise.id, new ServiceProcess(appModule));
      }
    }
    for (const { exercises } of selected) {
      const files = exercises.filter((e) => present(e.files)).flatMap((e) => e.files).filter((f) => f.endsWith('.ts'));
      if (files.length) earlyTypechecks.set(typecheckKey(dir, files), typecheck(dir, files));
    }
  } catch {
    // the real argument parser reports bad input
  }
}

/** The seed the early suites use, when any were started (the grade then uses it too). */
export function prestartSeed(): number | undefined {
  return earlySeed;
}

/** The early service for this exercise and app module, if one was started. */
export function takePrestarted(exerciseId: string, appModule: string): ServiceProcess | undefined {
  const service = early.get(exerciseId);
  early.delete(exerciseId);
  if (service && service.appModule !== appModule) {
    service.stop();
    return undefined;
  }
  return service;
}

/** The type-check started early for exactly these files, if there is one. */
export function takeEarlyTypecheck(dir: string, files: string[]): Promise<TypecheckResult> | undefined {
  const key = typecheckKey(dir, files);
  const run = earlyTypechecks.get(key);
  earlyTypechecks.delete(key);
  return run;
}

/** The hidden-suite run started early for this exercise and target, if there is one. */
export function takeEarlySuite(exerciseId: string, dir: string, seed: number): Promise<VitestRun> | undefined {
  const key = `${exerciseId}\n${dir}\n${seed}`;
  const run = earlySuites.get(key);
  earlySuites.delete(key);
  return run;
}
