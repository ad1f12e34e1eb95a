// Stryker's command runner calls this once per mutant: grade one exercise of solutions/ and exit 1 when any criterion does not pass.
import { loadCourse } from '../course/load.js';
import type { Exercise } from '../course/schema.js';
import { prometheusPath, promtoolPath } from '../live/prometheus-tools.js';
import { killAllGroups } from '../live/processes.js';
import type { Verdict } from '../report/results.js';
import { runLearnerTests } from '../live/learner-tests.js';
import { runLive, runTools, type Tools } from '../run/live.js';
import { runSuite } from '../run/suites.js';
import { resolveTarget } from '../run/target.js';
import { GRADER_FAULT } from './config.js';

/** The grader's own checks of the exercise, one after another. The type-check is left out: it gives
 * no criterion its verdict, and Stryker's instrumented files are not meant to type-check. */
async function verdicts(exercise: Exercise, dir: string, seed: number): Promise<Map<string, Verdict>> {
  const tools: Tools = { promtool: promtoolPath(), prometheus: prometheusPath() };
  const kinds = new Set(exercise.criteria.map((c) => c.check));
  const all = new Map<string, Verdict>();
  const add = (found: Map<string, Verdict>) => found.forEach((v, id) => all.set(id, v));
  if (kinds.has('suite')) add(await runSuite(exercise, dir, seed));
  if (kinds.has('live')) add(await runLive(exercise, dir, tools, seed));
  if (kinds.has('tool')) add(await runTools(exercise, dir, tools, seed));
  if (kinds.has('learner-tests')) add(await runLearnerTests(exercise, dir));
  return all;
}

async function judge(id: string, seed: number): Promise<number> {
  const exercise = loadCourse().sections.flatMap((s) => s.exercises).find((e) => e.id === id);
  if (!exercise) throw new Error(`the course has no exercise ${id}`);
  const target = resolveTarget({ solutions: true });
  try {
    const found = await verdicts(exercise, target.dir, seed);
    let notPassing = 0;
    for (const criterion of exercise.criteria) {
      const verdict = found.get(criterion.id);
      if (verdict?.status === 'pass') continue;
      notPassing += 1;
      console.log(verdict ? `${criterion.id}: ${verdict.status}: ${verdict.message.split('\n')[0]}` : `${GRADER_FAULT} ${criterion.id} was not checked`);
      if (!verdict) return 3;
    }
    return notPassing > 0 ? 1 : 0;
  } finally {
    target.release();
  }
}

const [exercise, flag, seedText] = process.argv.slice(2);
const seed = Number(seedText);
if (!exercise || flag !== '--seed' || !Number.isSafeInteger(seed)) {
  console.error('Usage: node --import tsx grader/mutation/judge.ts <exercise> --seed N');
  process.exit(2);
}
judge(exercise, seed).then(
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
