// `npm run watch [-- <exercise>]`, and Continue in the menu: grade the exercise at once and on every
// save, with keys on screen (h hint · n next · l list · r reset · s solution · q quit), like rustlings.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exerciseFiles, exerciseTitles, loadCourse } from '../../course/load.js';
import { requireExercise } from '../../course/select.js';
import type { Course, Exercise } from '../../course/schema.js';
import { WorkbookError } from '../../errors.js';
import { formatReport, styleFor } from '../../report/console.js';
import { isSuccess } from '../../report/results.js';
import { grade } from '../../run/grade.js';
import { Engine } from '../../run/engine.js';
import { nextExercise, readProgress, recordReport } from '../../run/progress.js';
import { resolveTarget } from '../../run/target.js';
import { hintCommand } from '../hint/index.js';
import { resetCommand } from '../reset/index.js';
import { solutionCommand } from '../solution/index.js';
import { watchFiles, type FileWatch } from './files.js';

export type WatchEnd = 'quit' | 'list';

export const KEYS_LINE = 'h hint · n next exercise · l list · r reset · s solution · q quit';

/** Reads single keys from a terminal; `next()` resolves with the next key pressed. */
class Keys {
  private waiting: Array<(key: string) => void> = [];
  private readonly onData = (data: Buffer) => {
    for (const key of data.toString('utf8')) {
      const waiter = this.waiting.shift();
      if (waiter) waiter(key);
      else this.queue.push(key);
    }
  };
  private queue: string[] = [];
  constructor(private readonly input: NodeJS.ReadStream) {
    input.setRawMode(true);
    input.resume();
    input.on('data', this.onData);
  }
  next(): Promise<string> {
    const key = this.queue.shift();
    return key !== undefined ? Promise.resolve(key) : new Promise((resolve) => this.waiting.push(resolve));
  }
  close(): void {
    this.input.off('data', this.onData);
    this.input.setRawMode(false);
    this.input.pause();
  }
}

export interface WatchOptions {
  course: Course;
  exercise: Exercise;
  /** The folder to grade, as the person named it (default exercises/). */
  targetOption?: string;
  /** Whether results go into progress (only for the learner's own exercises/). */
  record: boolean;
  /** The engine kept for every grade of this session (the menu's, or one of its own). */
  engine?: Engine;
}

/** Watches one exercise (and the next ones, on `n`) until the learner quits or asks for the list. */
export async function watchSession({ course, exercise: first, targetOption, record, engine: given }: WatchOptions): Promise<WatchEnd> {
  const engine = given ?? new Engine(true);
  try {
    return await watchWith(engine, { course, exercise: first, ...(targetOption !== undefined && { targetOption }), record });
  } finally {
    if (!given) engine.close();
  }
}

async function watchWith(engine: Engine, { course, exercise: first, targetOption, record }: WatchOptions): Promise<WatchEnd> {
  // Each grade reads the files as they are now (a folder outside the project is copied afresh).
  const freshTarget = () => resolveTarget(targetOption !== undefined ? { target: targetOption } : {});
  const source = freshTarget();
  source.release();
  const watchedDir = source.source ?? source.dir;
  const all = course.sections.flatMap((s) => s.exercises);
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  let exercise = first;
  let passed = false;
  let grading: Promise<void> | undefined;
  let again = false;
  let files: FileWatch | undefined;
  const notes: string[] = [];

  const footer = () => {
    const where = exercise.files.map((f) => `exercises/${f}`).join(', ');
    const next = all[all.indexOf(exercise) + 1];
    const lines = [`\nWatching ${where}: save to grade again.`];
    if (passed) lines.push(next ? `${exercise.id} passes! Press n for ${next.id} ${next.title}.` : `${exercise.id} passes. That was the last exercise.`);
    for (const n of notes) lines.push(`(note: ${n})`);
    lines.push(tty ? KEYS_LINE : 'Ctrl-C to stop.');
    console.log(lines.join('\n'));
  };

  const gradeNow = async (): Promise<void> => {
    const current = exercise;
    if (tty) process.stdout.write('\x1b[2J\x1b[H');
    console.log(`Grading ${current.id} ${current.title}…`);
    const target = freshTarget();
    let report;
    try {
      report = await grade({ course, selectors: [current.id], target, engine });
    } finally {
      target.release();
    }
    if (record) recordReport(report, undefined, course);
    if (exercise !== current) return; // moved on meanwhile
    if (tty) process.stdout.write('\x1b[2J\x1b[H');
    console.log(formatReport(report, styleFor(process.stdout), exerciseTitles(course), exerciseFiles(course)));
    // Passing means every criterion passes and the files type-check.
    passed = isSuccess(report);
    const next = all[all.indexOf(current) + 1];
    if (passed && !tty && next) {
      // No keys without a terminal: move on at once, and grade the next exercise straight away.
      console.log(`\n${current.id} passes. On to ${next.id} ${next.title}: ${next.files.map((f) => `exercises/${f}`).join(', ')}`);
      exercise = next;
      passed = false;
      again = true;
      await follow();
      return;
    }
    footer();
  };

  const run = (): Promise<void> => {
    if (grading) {
      again = true;
      return grading;
    }
    grading = (async () => {
      try {
        do {
          again = false;
          await gradeNow();
        } while (again);
      } finally {
        grading = undefined;
      }
    })();
    return grading;
  };

  const follow = async (): Promise<void> => {
    await files?.close();
    files = watchFiles(exercise.files.map((f) => path.join(watchedDir, f)), () => void run(), (note) => {
      notes.push(note);
      console.log(`(note: ${note})`);
    });
  };

  await follow();
  void run();
  if (!tty) return new Promise<never>(() => {}); // until Ctrl-C (the process hooks stop every child)

  const keys = new Keys(process.stdin);
  const yes = async (question: string): Promise<boolean> => {
    process.stdout.write(`${question} [y/N] `);
    const answer = await keys.next();
    console.log(answer);
    return answer === 'y' || answer === 'Y';
  };
  try {
    for (;;) {
      const key = await keys.next();
      if (key === 'q' || key === '\x03' || key === '\x04') return 'quit';
      if (key === 'l') return 'list';
      if (key === 'h') {
        console.log('');
        await hintCommand([exercise.id]);
      } else if (key === 'n') {
        const next = all[all.indexOf(exercise) + 1];
        if (!passed) console.log(`\n${exercise.id} does not pass yet: n moves on once it does (q, then pick any exercise from the menu).`);
        else if (!next) console.log('\nThat was the last exercise.');
        else {
          await grading;
          exercise = next;
          passed = false;
          await follow();
          void run();
        }
      } else if (key === 'r') {
        if (await yes(`\nPut ${exercise.id} back to its stub? Your files are backed up first.`)) {
          await grading;
          await resetCommand([exercise.id, ...(targetOption !== undefined ? ['--target', targetOption] : [])]);
          void run();
        }
      } else if (key === 's') {
        if (passed) await solutionCommand([exercise.id]);
        else if (await yes(`\n${exercise.id} has not passed yet. Give up and see the solution?`)) await solutionCommand([exercise.id, '--give-up']);
      }
    }
  } finally {
    keys.close();
    await grading;
    await files?.close();
  }
}

/** `openMenu`: where "l" leads from a watch started on its own (the menu, given by the entry point). */
export async function watchCommand(argv: string[], openMenu?: () => Promise<number>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { target: { type: 'string' } } });
  } catch (error) {
    throw new WorkbookError('USAGE', (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new WorkbookError('USAGE', `watch takes one exercise, e.g. npm run watch -- B.3 (got ${positionals.join(' ')})`);
  const course = loadCourse();
  const exercise = positionals[0] ? requireExercise(course, positionals[0], 'npm run watch -- B.3') : nextExercise(course, readProgress().progress);
  if (!exercise) throw new WorkbookError('USAGE', 'Every exercise passes already: nothing to watch.');
  const end = await watchSession({ course, exercise, ...(values.target !== undefined && { targetOption: values.target }), record: values.target === undefined });
  // "l" from a watch started on its own opens the menu, where the list is.
  if (end === 'list' && process.stdin.isTTY && openMenu) return openMenu();
  return 0;
}
