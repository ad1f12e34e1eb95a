// `npm start -- hint <exercise>`: reveal the next hint of an exercise (remembered in progress).
import { loadCourse } from '../../course/load.js';
import { requireExercise } from '../../course/select.js';
import { WorkbookError } from '../../errors.js';
import { readProgress, writeProgress } from '../../run/progress.js';

export async function hintCommand(argv: string[]): Promise<number> {
  const [id, ...extra] = argv;
  if (extra.length) throw new WorkbookError('USAGE', `hint takes one exercise, e.g. npm start -- hint B.3 (got ${argv.join(' ')})`);
  const exercise = requireExercise(loadCourse(), id, 'npm start -- hint B.3');
  const { progress, note } = readProgress();
  if (note) console.error(note);
  const shown = Math.min((progress.hints[exercise.id] ?? 0) + 1, exercise.hints.length);
  progress.hints[exercise.id] = shown;
  writeProgress(progress);
  exercise.hints.slice(0, shown).forEach((hint, i) => console.log(`Hint ${i + 1} of ${exercise.hints.length} for ${exercise.id} ${exercise.title}:\n  ${hint}\n`));
  if (shown === exercise.hints.length) console.log('That was the last hint.');
  else console.log(`Run the same command again for the next hint.`);
  return 0;
}
