// `npm run watch [-- <exercise>]`: grade the current exercise each time one of its files is saved,
// redraw the result, and move on to the next exercise when it passes. Ctrl-C to stop.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exerciseFiles, exerciseTitles, loadCourse } from '../../course/load.js';
import { exerciseById } from '../../course/select.js';
import type { Exercise } from '../../course/schema.js';
import { WorkbookError } from '../../errors.js';
import { formatReport, styleFor } from '../../report/console.js';
import { isSuccess } from '../../report/results.js';
import { grade } from '../../run/grade.js';
import { nextExercise, readProgress, recordReport } from '../../run/progress.js';
import { resolveTarget } from '../../run/target.js';

export async function watchCommand(argv: string[]): Promise<never> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { target: { type: 'string' } } });
  const course = loadCourse();
  const all = course.sections.flatMap((s) => s.exercises);
  let exercise: Exercise | undefined = positionals[0] ? exerciseById(course, positionals[0]) : nextExercise(course, readProgress().progress);
  if (!exercise) throw new WorkbookError(positionals[0] ? 'UNKNOWN_SELECTOR' : 'USAGE', positionals[0] ? `There is no exercise "${positionals[0]}"` : 'Every exercise passes already: nothing to watch.');
  const target = resolveTarget(values.target !== undefined ? { target: values.target } : {});
  const tty = process.stdout.isTTY === true;
  let watchers: FSWatcher[] = [];
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const run = async (): Promise<void> => {
    if (!exercise) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    const current: Exercise = exercise;
    if (tty) process.stdout.write('\x1b[2J\x1b[H');
    console.log(`Grading ${current.id} ${current.title}…`);
    const report = await grade({ course, selectors: [current.id], target });
    if (values.target === undefined) recordReport(report, undefined, course);
    if (tty) process.stdout.write('\x1b[2J\x1b[H');
    console.log(formatReport(report, styleFor(process.stdout), exerciseTitles(course), exerciseFiles(course)));
    // Passing means every criterion passes and the files type-check.
    const passed = isSuccess(report);
    if (passed) {
      const next = all[all.indexOf(current) + 1];
      console.log(next ? `\n${current.id} passes. On to ${next.id} ${next.title}: ${next.files.map((f) => `exercises/${f}`).join(', ')}` : `\n${current.id} passes. That was the last exercise.`);
      exercise = next;
      follow();
    }
    console.log(`\nWatching ${exercise ? exercise.files.map((f) => `exercises/${f}`).join(', ') : 'nothing'} — save to grade again, Ctrl-C to stop.`);
    running = false;
    if (again) {
      again = false;
      await run();
    }
  };

  const follow = (): void => {
    watchers.forEach((w) => w.close());
    watchers = (exercise?.files ?? []).map((f) =>
      watch(path.join(target.dir, f), () => {
        clearTimeout(timer);
        timer = setTimeout(() => void run(), 80);
      }),
    );
  };

  follow();
  await run();
  return new Promise<never>(() => {}); // until Ctrl-C (the process hooks stop every child)
}
