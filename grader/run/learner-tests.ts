// B.7: the learner's own tests must pass on their service and on the reference service, and fail
// on every planted bug (each a variant of the reference service).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { plantedBugs } from '../checks/planted-bugs.js';
import type { Exercise } from '../course/schema.js';
import { cleanError } from '../report/clean.js';
import { fail, gradingError, pass, type Verdict } from '../report/results.js';
import { makeWorkDir, PROJECT_ROOT, REFERENCE_DIR, removeDir } from './paths.js';
import { runVitest, type VitestRun } from './vitest-json.js';

const CONFIG = path.join(PROJECT_ROOT, 'grader/suites/learner-tests.config.ts');
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

/** A copy of the reference section with the learner's test files laid over it (and a bug planted). */
function referenceCopy(testFiles: string[], targetDir: string, bug?: { file: string; find: string; replace: string }): string {
  const work = makeWorkDir('b7');
  cpSync(path.join(REFERENCE_DIR, 'B'), path.join(work, 'B'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  for (const f of testFiles) cpSync(path.join(targetDir, f), path.join(work, f));
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
  const dirs: string[] = [];
  try {
    const own = path.join(targetDir, path.dirname(testFiles[0] ?? 'B/x'));
    dirs.push(referenceCopy(testFiles, targetDir));
    const bugs = bugIds.map((id) => plantedBugs.find((b) => b.criterion === id));
    for (const bug of bugs) if (bug) dirs.push(referenceCopy(testFiles, targetDir, bug));
    const [mine, reference, ...variants] = await runLearnerTestDirs([own, ...dirs.map((d) => path.join(d, 'B'))]);
    if (!mine || !reference) throw new Error('learner test runs missing');

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
