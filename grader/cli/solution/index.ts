// `npm start -- solution <exercise> [--give-up]`: the reference solution, once the exercise passes
// (or when you explicitly give up).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse } from '../../course/load.js';
import { requireExercise } from '../../course/select.js';
import { WorkbookError } from '../../errors.js';
import { PROJECT_ROOT } from '../../paths.js';
import { readProgress } from '../../run/progress.js';

export async function solutionCommand(argv: string[]): Promise<number> {
  const id = argv.find((a) => !a.startsWith('--'));
  const giveUp = argv.includes('--give-up');
  const exercise = requireExercise(loadCourse(), id, 'npm start -- solution B.3');
  const passed = readProgress().progress.results[exercise.id]?.status === 'pass';
  if (!passed && !giveUp) {
    console.log(`${exercise.id} has not passed yet (npm run grade -- ${exercise.id}). Try a hint first: npm start -- hint ${exercise.id}\nTo see the solution anyway: npm start -- solution ${exercise.id} --give-up`);
    return 1;
  }
  for (const f of exercise.files) {
    console.log(`── solutions/${f} ──\n${readFileSync(path.join(PROJECT_ROOT, 'solutions', f), 'utf8')}`);
  }
  return 0;
}
