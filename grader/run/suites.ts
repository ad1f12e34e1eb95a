// Hidden suites: one vitest file per exercise, one top-level describe per criterion id.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../course/schema.js';
import { cleanError } from '../report/clean.js';
import { fail, gradingError, pass, type Verdict } from '../report/results.js';
import { PROJECT_ROOT } from '../paths.js';
import { runVitest, type TestCase, type VitestRun } from '../live/vitest-json.js';

export const SUITE_CONFIG = path.join(PROJECT_ROOT, 'grader/suites/vitest.config.ts');
export const SUITE_TIMEOUT_MS = 20_000;
/** What grader/suites/guard-setup.ts says when learner code patched the assertion library. */
const TAMPERED = /the test framework was tampered with/i;

export function suiteFile(exerciseId: string): string {
  return path.join(PROJECT_ROOT, 'grader/suites', `${exerciseId}.test.ts`);
}

/** The hidden suite files of these exercises (those that exist). */
export function suiteFiles(exerciseIds: string[]): string[] {
  return exerciseIds.map(suiteFile).filter((f) => existsSync(f));
}

/** How long a run of this many suite files may take. */
export function suiteTimeout(files: number): number {
  return SUITE_TIMEOUT_MS + 2_000 * Math.max(0, files - 1);
}

/** Starts the hidden suites of these exercises against a target, in one vitest run. */
export function startSuites(exerciseIds: string[], target: string, seed: number): Promise<VitestRun> {
  const files = suiteFiles(exerciseIds);
  return runVitest({ config: SUITE_CONFIG, files, env: { WORKBOOK_TARGET: target, WORKBOOK_SEED: String(seed) }, timeoutMs: suiteTimeout(files.length) });
}

/** The hidden suites of several exercises, run together; when the shared run cannot say which
 * exercise went wrong (a time-out, a crash, an error nobody caught), each is run again alone. */
export async function runSuites(exercises: Exercise[], target: string, seed: number, start: (ids: string[]) => Promise<VitestRun> = (ids) => startSuites(ids, target, seed)): Promise<Map<string, Verdict>> {
  const run = await start(exercises.map((e) => e.id));
  const shared = run.kind === 'done' && run.unhandled.length === 0;
  if (exercises.length === 1 || shared) {
    const verdicts = new Map<string, Verdict>();
    for (const exercise of exercises) for (const [id, v] of suiteVerdicts(exercise, run)) verdicts.set(id, v);
    return verdicts;
  }
  // Out of time: a suite that was still running after a whole suite's time limit is the one that does
  // not end (it would only time out again alone); the others run again together.
  const stuck = run.kind === 'timeout' ? exercises.filter((e) => run.running.some((r) => r.file === suiteFile(e.id) && r.ms >= SUITE_TIMEOUT_MS)) : [];
  if (stuck.length > 0) {
    const verdicts = new Map(stuck.flatMap((e) => [...suiteVerdicts(e, { kind: 'timeout', timeoutMs: SUITE_TIMEOUT_MS, running: [] })]));
    const rest = exercises.filter((e) => !stuck.includes(e));
    if (rest.length > 0) for (const [id, v] of await runSuites(rest, target, seed, start)) verdicts.set(id, v);
    return verdicts;
  }
  const alone: Array<Map<string, Verdict>> = [];
  for (const exercise of exercises) alone.push(suiteVerdicts(exercise, await start([exercise.id])));
  return new Map(alone.flatMap((m) => [...m]));
}

export async function runSuite(exercise: Exercise, target: string, seed: number): Promise<Map<string, Verdict>> {
  return runSuites([exercise], target, seed);
}

/** One exercise's verdicts from a run that included its suite. */
export function suiteVerdicts(exercise: Exercise, run: VitestRun): Map<string, Verdict> {
  const ids = exercise.criteria.filter((c) => c.check === 'suite').map((c) => c.id);
  const verdicts = new Map<string, Verdict>();
  const all = (v: Verdict) => ids.forEach((id) => verdicts.set(id, v));
  const file = suiteFile(exercise.id);
  if (!existsSync(file)) {
    all(gradingError(`grader fault: the hidden suite ${path.basename(file)} is missing`));
    return verdicts;
  }
  if (run.kind !== 'done') {
    all(unfinishedRun(run, `the tests of ${exercise.id}`, exercise));
    return verdicts;
  }
  if (run.unhandled.some((u) => /\[vitest-pool\]: Worker .* emitted error|Worker exited unexpectedly|Channel closed/.test(u))) {
    // The worker that ran the learner's code died under it: in the sandbox, the memory or process limit.
    all(gradingError(`the test worker running ${exercise.files.join(', ')} was killed before it finished (by the memory or process limit, or a crash of the code under test)`));
    return verdicts;
  }
  if (run.unhandled.length > 0) {
    // An error nobody caught (say, a rejected promise at import) makes every result of the run suspect.
    all(gradingError(`${exercise.files.join(', ')} raised an error that nothing caught while the tests ran: ${cleanError(run.unhandled[0] ?? '', 3)}${run.unhandled.length > 1 ? ` (and ${run.unhandled.length - 1} more)` : ''}. Catch it, or await the promise, so the module loads cleanly.`));
    return verdicts;
  }
  const result = run.files.find((f) => path.basename(f.file) === path.basename(file));
  for (const id of ids) {
    const tests = result?.tests.filter((t) => t.ancestorTitles[0] === id) ?? [];
    if (tests.length === 0) {
      const why = result?.message ? cleanError(result.message) : cleanError(run.stderr) || 'no test ran';
      verdicts.set(id, gradingError(`${exercise.files.join(', ')} could not be loaded: ${why}`));
      continue;
    }
    verdicts.set(id, verdictOfTests(tests));
  }
  return verdicts;
}

/** The verdict for every criterion of a suite run that timed out or could not run at all. */
export function unfinishedRun(run: Exclude<VitestRun, { kind: 'done' }>, what: string, exercise: Exercise): Verdict {
  return run.kind === 'timeout'
    ? gradingError(`${what} did not finish within ${run.timeoutMs / 1000} s: is there an endless loop in ${exercise.files.join(', ')}?`)
    : gradingError(`${what} could not run: ${cleanError(run.detail)}`);
}

/** The verdict of one criterion from the tests of its describe (at least one). Tampering with the
 * test framework, seen in any of them, decides: the other results cannot be trusted. */
export function verdictOfTests(tests: TestCase[]): Verdict {
  const tampered = tests.flatMap((t) => t.failureMessages).find((m) => TAMPERED.test(m));
  if (tampered !== undefined) return classifyFailure(tampered);
  const failed = tests.find((t) => t.status !== 'passed');
  if (!failed) return pass();
  if (failed.failureMessages.length === 0) return gradingError(`the check was ${failed.status}`);
  return classifyFailure(failed.failureMessages[0] ?? '');
}

/** A failed assertion or a learner's own exception is a fail; a timeout, an exit or a tampered test
 * framework is an error. */
export function classifyFailure(raw: string): Verdict {
  const message = cleanError(raw);
  if (TAMPERED.test(message)) return gradingError(message.replace(/^(AssertionError|Error): /, ''));
  if (/Test timed out|process\.exit unexpectedly called|Worker exited unexpectedly/i.test(message)) {
    return gradingError(message);
  }
  return withExpectedSeen(message.replace(/^(AssertionError|Error): /, ''));
}

/** A suite's message may end in `expected: ...` and `seen: ...` lines (grader/suites/differential.ts):
 * they become the report's fields. vitest's own "expected X to be Y" diff lines are left out. */
export function withExpectedSeen(message: string): Verdict {
  const at = message.search(/\nexpected: /);
  if (at < 0) return fail(message);
  const rest = message.slice(at + '\nexpected: '.length);
  const seenAt = rest.search(/\nseen: /);
  if (seenAt < 0) return fail(message);
  const seen = rest.slice(seenAt + '\nseen: '.length).split(/\n(?:AssertionError|\+ |- |Expected|Received)/)[0]!.trim();
  return fail(message.slice(0, at).trim(), rest.slice(0, seenAt).trim(), seen);
}
