// Stryker's command runner calls this once per mutant: grade one exercise of solutions/ and exit 1 when any criterion does not pass.
import { loadCourse } from '../course/load.js';
import type { Exercise } from '../course/schema.js';
import { prometheusPath, promtoolPath } from '../live/prometheus-tools.js';
import { killAllGroups } from '../processes.js';
import { startFresh } from '../live/prometheus-pool.js';
import { BUSY_MACHINE, type Verdict } from '../report/results.js';
import { runLearnerTests } from '../live/learner-tests.js';
import { runLive, runTools, type Tools } from '../run/live.js';
import { runSuite } from '../run/suites.js';
import { resolveTarget } from '../run/target.js';
import { GRADER_FAULT } from './config.js';

/** The grader's own checks of the exercise, one after another, until one does not pass (one is enough
 * to kill a mutant). The type-check is left out: it gives no criterion its verdict, and Stryker's
 * instrumented files are not meant to type-check. */
async function verdicts(exercise: Exercise, dir: string, seed: number): Promise<Map<string, Verdict>> {
  const tools: Tools = { promtool: promtoolPath(), prometheus: prometheusPath(), launchPrometheus: startFresh };
  const kinds = new Set(exercise.criteria.map((c) => c.check));
  const all = new Map<string, Verdict>();
  const add = (found: Map<string, Verdict>) => found.forEach((v, id) => all.set(id, v));
  const failed = () => [...all.values()].some((v) => v.status !== 'pass' && v.status !== 'skipped');
  if (kinds.has('suite')) add(await runSuite(exercise, dir, seed));
  if (kinds.has('tool') && !failed()) add(await runTools(exercise, dir, tools, seed, true));
  if (kinds.has('live') && !failed()) add(await runLive(exercise, dir, tools, seed, undefined, undefined, true));
  if (kinds.has('learner-tests') && !failed()) add(await runLearnerTests(exercise, dir));
  return all;
}

async function judge(id: string, seed: number, targetDir: string | undefined): Promise<number> {
  const exercise = loadCourse().sections.flatMap((s) => s.exercises).find((e) => e.id === id);
  if (!exercise) throw new Error(`the course has no exercise ${id}`);
  const target = resolveTarget(targetDir ? { target: targetDir } : { solutions: true });
  try {
    let found = await verdicts(exercise, target.dir, seed);
    // A check the machine was too busy for says nothing of the mutant: judged again once, and if the
    // machine is still too busy, a grader fault (an error in the figures, never a kill).
    const busy = () => [...found.values()].find((v) => v.status === 'error' && v.message.includes(BUSY_MACHINE));
    if (busy()) found = await verdicts(exercise, target.dir, seed);
    const stillBusy = busy();
    if (stillBusy) {
      console.log(`${GRADER_FAULT} ${stillBusy.message.split('\n')[0]}`);
      return 3;
    }
    // Checks stop at the first criterion that does not pass: the ones after it are skipped or absent.
    const failing = exercise.criteria.flatMap((c) => {
      const verdict = found.get(c.id);
      return verdict && verdict.status !== 'pass' && verdict.status !== 'skipped' ? [`${c.id}: ${verdict.status}: ${verdict.message.split('\n')[0]}`] : [];
    });
    failing.forEach((line) => console.log(line));
    const unchecked = exercise.criteria.find((c) => !found.has(c.id));
    if (failing.length === 0 && unchecked) {
      console.log(`${GRADER_FAULT} ${unchecked.id} was not checked`);
      return 3;
    }
    const notPassing = failing.length;
    return notPassing > 0 ? 1 : 0;
  } finally {
    target.release();
  }
}

const [exercise, flag, seedText, targetFlag, targetDir] = process.argv.slice(2);
const seed = Number(seedText);
if (!exercise || flag !== '--seed' || !Number.isSafeInteger(seed) || (targetFlag !== undefined && (targetFlag !== '--target' || !targetDir))) {
  console.error('Usage: node --import tsx grader/mutation/judge.ts <exercise> --seed N [--target DIR]');
  process.exit(2);
}
// Stopped at its deadline by the YAML pass: stop what it started first.
process.once('SIGTERM', () => {
  killAllGroups();
  process.exit(143);
});
judge(exercise, seed, targetDir).then(
  (code) => {
    killAllGroups();
    process.exit(code);
  },
  (error: unknown) => {
    killAllGroups();
    console.log(`${GRADER_FAULT} ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  },
);
