// The Stryker configuration for one exercise: mutate its reference files in a sandbox copy, judge every mutant by the grader.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel, PartialStrykerOptions } from '@stryker-mutator/api/core';

/** Printed by the judge when the grader itself failed: such a mutant is an error, never a kill. */
export const GRADER_FAULT = 'grader fault while judging a mutant:';

/** Where the reporter appends one JSON line per tested mutant (read back by the runner). */
export const EVENTS_ENV = 'WORKBOOK_MUTATION_EVENTS';

/** The folder of Stryker's sandboxes (one sub-folder per run, removed afterwards). */
export const TEMP_ROOT = '.stryker-tmp';

/** `command`: every mutant graded by the grader itself (any exercise). `vitest`: the hidden suite run by
 * Stryker's vitest runner, for exercises graded by their suite alone: the same verdicts, far faster,
 * since only the tests that reach a mutant run again and vitest stays loaded between mutants. */
export type Runner = 'command' | 'vitest';

export interface MutationRun {
  exercise: string;
  runner: Runner;
  /** The exercise's TypeScript files, relative to solutions/. */
  files: string[];
  seed: number;
  /** This run's sandbox folder, relative to the project. */
  tempDir: string;
}

const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules');

export function strykerOptions(run: MutationRun): PartialStrykerOptions {
  return {
    ...(run.runner === 'command' ? commandRunner(run) : vitestRunner(run)),
    mutate: run.files.map((f) => `solutions/${f}`),
    // Never in place: others edit the working tree while this runs.
    inPlace: false,
    tempDirName: run.tempDir,
    cleanTempDir: 'always',
    ignorePatterns: ['/.grader-work', '/.workbook-progress.json*', '/.workbook-backups', `/${TEMP_ROOT}`],
    // The grader type-checks the files it grades; instrumented code is not meant to type-check.
    disableTypeChecks: 'solutions/**/*.ts',
    // Stryker would rewrite tsconfig.json with the TypeScript compiler API, which TypeScript 7 does not
    // have; ours points nowhere outside the project, so nothing needs rewriting.
    tsconfigFile: '',
    // Stryker looks for node_modules folders by walking the whole project, the grader's scratch folders
    // included, which other grades create and remove meanwhile (a folder gone mid-walk stops the run):
    // link the project's one node_modules into the sandbox instead.
    symlinkNodeModules: false,
    // (Stryker splits this command at spaces, without a shell: none inside an argument, a space in the path escaped.)
    buildCommand: `node -e require('node:fs').symlinkSync(process.argv[1],'node_modules','dir') ${NODE_MODULES.replaceAll(' ', '\\ ')}`,
    // One mutant at a time: the machine's other core belongs to whoever else is working on it.
    concurrency: 1,
    timeoutMS: 15_000,
    timeoutFactor: 1.5,
    dryRunTimeoutMinutes: 5,
    appendPlugins: [path.join(path.dirname(fileURLToPath(import.meta.url)), 'reporter.ts')],
    reporters: ['workbook'],
    // Errors only: Stryker's worker processes cannot load the TypeScript reporter (they need none) and warn.
    logLevel: 'error' as LogLevel,
    fileLogLevel: 'off' as LogLevel,
    allowConsoleColors: false,
    warnings: { unknownOptions: true, preprocessorErrors: true, unserializableOptions: true, slow: false },
  };
}

/** Each mutant judged by the grader itself, as a learner's submission would be: one process per mutant,
 * so mutants in module-level code (static mutants) are as valid as any other. */
function commandRunner(run: MutationRun): PartialStrykerOptions {
  return {
    testRunner: 'command',
    commandRunner: { command: `node --import tsx grader/mutation/judge.ts ${run.exercise} --seed ${run.seed}` },
    // The command runner cannot tell which checks reach which code: every mutant runs the whole grade.
    coverageAnalysis: 'off',
  };
}

/** The exercise's hidden suite with the grader's own vitest configuration; the runner sets
 * WORKBOOK_TARGET=solutions and WORKBOOK_SEED (see suiteEnv) as the grader does. */
function vitestRunner(run: MutationRun): PartialStrykerOptions {
  return {
    testRunner: 'vitest',
    vitest: { configFile: 'grader/suites/vitest.config.ts', related: false },
    testFiles: [`grader/suites/${run.exercise}.test.ts`],
    coverageAnalysis: 'perTest',
  };
}

/** The environment the hidden suites get from the grader, relative to the sandbox. */
export function suiteEnv(seed: number): Record<string, string> {
  return { WORKBOOK_TARGET: 'solutions', WORKBOOK_SEED: String(seed) };
}
