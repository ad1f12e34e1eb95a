// B.7: the learner's own tests must pass on their service and on the reference service, and fail
// on every planted bug (each a variant of the reference service). Every run tests a copy laid out
// the same way, in the same process and environment, so a test cannot tell which one it is in.
import { randomInt } from 'node:crypto';
import { cpSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { plantedBugs } from './planted-bugs.js';
import type { Exercise } from '../course/schema.js';
import { cleanError } from '../report/clean.js';
import { fail, gradingError, pass, type Verdict } from '../report/results.js';
import { makeWorkDir, PROJECT_ROOT, REFERENCE_DIR, removeDir } from '../paths.js';
import { runVitest, type VitestRun } from './vitest-json.js';

const CONFIG = path.join(PROJECT_ROOT, 'grader/suites/learner-tests.config.ts');

/** A fresh order for the runs on every grade (it decides nothing, so it needs no seed). */
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
const TIMEOUT_MS = 30_000;

export interface Outcome {
  ok: boolean;
  passed: number;
  failedTests: string[];
  problem?: string;
}

function outcome(run: VitestRun): Outcome {
  if (run.kind === 'timeout') return { ok: false, passed: 0, failedTests: [], problem: `the tests did not finish within ${run.timeoutMs / 1000} s` };
  if (run.kind === 'crash') return { ok: false, passed: 0, failedTests: [], problem: cleanError(run.detail) };
  const tests = run.files.flatMap((f) => f.tests);
  const loadError = run.files.find((f) => f.status === 'failed' && f.message);
  const failed = tests.filter((t) => t.status === 'failed');
  const passed = tests.filter((t) => t.status === 'passed').length;
  return {
    ok: !loadError && failed.length === 0 && passed > 0,
    passed,
    failedTests: failed.map((t) => `${[...t.ancestorTitles, t.title].join(' > ')}: ${cleanError(t.failureMessages[0] ?? '', 2)}`),
    ...(loadError && { problem: cleanError(loadError.message) }),
  };
}

/** Runs the learner's own tests in every folder in one vitest process (one project per folder). */
export async function runLearnerTestDirs(dirs: string[]): Promise<Outcome[]> {
  const run = await runVitest({ config: CONFIG, files: [], env: { WORKBOOK_LEARNER_DIRS: JSON.stringify(dirs) }, timeoutMs: TIMEOUT_MS });
  if (run.kind !== 'done') return dirs.map(() => outcome(run));
  return dirs.map((dir) => outcome({ ...run, files: run.files.filter((f) => path.dirname(f.file) === dir) }));
}

type Bug = { file: string; find: string; replace: string };

/**
 * One copy of the section for one run of the learner's tests: the learner's whole folder, with the
 * reference service laid over it (and a bug planted) for the grader's runs. Every copy, the learner's
 * own included, has the same layout under the same kind of neutral folder name, so nothing in a
 * test's path tells which service it is testing.
 */
function sectionCopy(section: string, targetDir: string, reference?: { bug?: Bug }): string {
  const work = makeWorkDir('tests');
  const into = path.join(work, section);
  cpSync(path.join(targetDir, section), into, { recursive: true, filter: (src) => !lstatSync(src).isSymbolicLink() });
  if (!reference) return work;
  cpSync(path.join(REFERENCE_DIR, section), into, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  const { bug } = reference;
  if (bug) {
    const file = path.join(work, bug.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(bug.find)) throw new Error(`planted bug does not apply to ${bug.file}: the reference changed`);
    writeFileSync(file, text.replace(bug.find, bug.replace));
  }
  return work;
}

export async function runLearnerTests(exercise: Exercise, targetDir: string): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const testFiles = exercise.files.filter((f) => existsSync(path.join(targetDir, f)));
  const bugIds = exercise.criteria.filter((c) => c.check === 'learner-tests' && c.id !== 'B.7.tests-pass').map((c) => c.id);
  if (testFiles.length === 0) {
    for (const c of exercise.criteria) verdicts.set(c.id, fail(`there is no test file ${exercise.files.join(', ')} to run`));
    return verdicts;
  }
  const section = (testFiles[0] ?? 'B/x').split('/')[0] ?? 'B';
  const bugs = bugIds.map((id) => plantedBugs.find((b) => b.criterion === id));
  const dirs: string[] = [];
  try {
    // The runs in a random order: their copies are made, listed and named in that order.
    const roles = shuffle([{ role: 'own' as const }, { role: 'reference' as const }, ...bugs.map((bug, i) => ({ role: i, bug }))]);
    const made = roles.map((r) => {
      const work = r.role === 'own' ? sectionCopy(section, targetDir) : sectionCopy(section, targetDir, { bug: r.role === 'reference' ? undefined : r.bug });
      dirs.push(work);
      return { ...r, dir: path.join(work, section) };
    });
    const outcomes = await runLearnerTestDirs(made.map((m) => m.dir));
    const of = (role: 'own' | 'reference' | number) => outcomes[made.findIndex((m) => m.role === role)];
    const mine = of('own');
    const reference = of('reference');
    if (!mine || !reference) throw new Error('learner test runs missing');
    const variants = bugs.map((_, i) => of(i));

    const describeFailure = (o: Outcome, where: string): string =>
      o.problem ? `${where}: ${o.problem}` : o.passed === 0 ? `${where}: no test ran (are they still it.todo?)` : `${where}, these failed:\n${o.failedTests.slice(0, 4).join('\n')}`;
    const sound = mine.ok && reference.ok;
    verdicts.set(
      'B.7.tests-pass',
      sound
        ? pass(`${mine.passed} test(s) pass on your service and on the reference`)
        : fail(!mine.ok ? describeFailure(mine, 'on your service') : describeFailure(reference, 'on the reference service (your tests should check what the course asks, nothing stricter)')),
    );
    bugIds.forEach((id, i) => {
      const bug = bugs[i];
      const run = variants[i];
      if (!bug || !run) return verdicts.set(id, gradingError(`grader fault: no planted bug for ${id}`));
      if (!sound) return verdicts.set(id, fail(`your tests must first pass on your service and on the reference (see B.7.tests-pass) before they can catch bugs`));
      if (run.problem) return verdicts.set(id, gradingError(`running your tests against the planted bug failed: ${run.problem}`));
      verdicts.set(
        id,
        run.failedTests.length > 0
          ? pass(`caught by: ${run.failedTests[0]?.split(':')[0]}`)
          : fail(`no test failed on a service with this bug: ${bug.what}`, 'at least one failing test', `all ${run.passed} test(s) passed`),
      );
    });
  } finally {
    dirs.forEach(removeDir);
  }
  return verdicts;
}
