// `npm start` in a terminal: a menu to live in. Every action is also a subcommand (see SUBCOMMANDS in commands.ts).
import { confirm, select } from '@inquirer/prompts';
import { loadCourse } from '../../course/load.js';
import type { Exercise } from '../../course/schema.js';
import { nextExercise, readProgress } from '../../run/progress.js';
import { watchSession } from '../watch/index.js';
// The other commands load when first chosen: the menu shows before their libraries (Markdown and
// the like) are read.
const gradeCommand = async (argv: string[], engine: Engine) => (await import('../grade/index.js')).gradeCommand(argv, engine);
const hintCommand = async (argv: string[]) => (await import('../hint/index.js')).hintCommand(argv);
const lessonCommand = async (argv: string[]) => (await import('../lesson/index.js')).lessonCommand(argv);
const progressCommand = async () => (await import('../progress/index.js')).progressCommand();
const resetCommand = async (argv: string[]) => (await import('../reset/index.js')).resetCommand(argv);
const solutionCommand = async (argv: string[]) => (await import('../solution/index.js')).solutionCommand(argv);
import { Engine } from '../../run/engine.js';
import { existsSync } from 'node:fs';
import { PROGRESS_FILE, writeProgress } from '../../run/progress.js';

function mark(id: string): string {
  const r = readProgress().progress.results[id];
  return !r ? '·' : r.status === 'pass' ? '✓' : r.type_errors?.length ? '✗ (type errors)' : '✗';
}

/** Every choice visible at once (inquirer shows 7 by default), each on one line of the terminal. */
function fit<T extends { name: string }>(choices: T[]): { choices: T[]; pageSize: number } {
  const width = Math.max(20, (process.stdout.columns ?? 80) - 4);
  const cut = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  return { choices: choices.map((c) => ({ ...c, name: cut(c.name) })), pageSize: choices.length };
}

const WELCOME = `Welcome to the Monitoring Workbook: you build the monitoring of a real Node.js
service, one small exercise at a time (metrics, logs, health, alerts, labs, SLOs).
  - Lessons: lessons/, one per part (or "Read the lesson" in this menu).
  - You edit exercises/ in your own editor; solutions/ holds the answers.
  - Continue opens the next exercise in watch mode: graded at once and on every
    save. Keys there: h hint, n next, l list, r reset, s solution, q this menu.
  - Leave any time: Quit at the bottom of the menu, or Ctrl-C.`;

async function exerciseMenu(exercise: Exercise, engine: Engine): Promise<void> {
  for (;;) {
    const action = await select({
      message: `${exercise.id} ${exercise.title} — ${exercise.files.map((f) => `exercises/${f}`).join(', ')}`,
      ...fit([
        { name: 'Read the lesson', value: 'lesson' },
        { name: 'Grade it', value: 'grade' },
        { name: `Grade all of section ${exercise.id.split('.')[0]}`, value: 'grade-section' },
        { name: 'Watch: grade on every save', value: 'watch' },
        { name: 'Show the next hint', value: 'hint' },
        { name: 'Reset to the stub (keeps a backup)', value: 'reset' },
        { name: 'Show the solution', value: 'solution' },
        { name: 'Back', value: 'back' },
      ]),
    });
    if (action === 'back') return;
    if (action === 'lesson') await lessonCommand([exercise.id]);
    if (action === 'grade') await gradeCommand([exercise.id], engine);
    if (action === 'grade-section') await gradeCommand([exercise.id.split('.')[0] ?? ''], engine);
    if (action === 'watch') await watch(exercise, engine);
    if (action === 'hint') await hintCommand([exercise.id]);
    if (action === 'reset' && (await confirm({ message: `Put ${exercise.id} back to its stub? Your files are backed up first.`, default: false }))) await resetCommand([exercise.id]);
    if (action === 'solution') {
      const passed = readProgress().progress.results[exercise.id]?.status === 'pass';
      if (passed || (await confirm({ message: `${exercise.id} has not passed yet. Give up and see the solution?`, default: false }))) await solutionCommand([exercise.id, '--give-up']);
    }
  }
}

/** Watch mode from the menu: q or l come back here. */
async function watch(exercise: Exercise, engine: Engine): Promise<void> {
  await watchSession({ course: loadCourse(), exercise, record: true, engine });
}

export async function menuCommand(): Promise<number> {
  const course = loadCourse();
  const all = course.sections.flatMap((s) => s.exercises);
  // One warm engine for every grade the menu runs, made when the menu opens; it ends with the menu.
  const engine = new Engine(true);
  if (!existsSync(PROGRESS_FILE)) {
    console.log(WELCOME);
    writeProgress(readProgress().progress); // the welcome is shown once
  }
  try {
    for (;;) {
      const { progress } = readProgress();
      const next = nextExercise(course, progress);
      const points = Object.values(progress.results).reduce((a, r) => a + r.points, 0);
      const max = all.reduce((a, e) => a + e.criteria.reduce((b, c) => b + c.points, 0), 0);
      const choice = await select({
        message: `${course.title} — ${points}/${max} points`,
        ...fit([
          ...(next ? [{ name: `Continue: ${next.id} ${next.title} (watch mode)`, value: `continue:${next.id}` }] : []),
          ...course.sections.map((s) => ({ name: `${s.exercises.map((e) => mark(e.id).charAt(0)).join('')}  ${s.id}  ${s.title}`, value: `section:${s.id}` })),
          { name: 'Progress', value: 'progress' },
          { name: 'Quit', value: 'quit' },
        ]),
      });
      if (choice === 'quit') return 0;
      if (choice === 'progress') await progressCommand();
      else if (choice.startsWith('continue:')) {
        const picked = all.find((e) => `continue:${e.id}` === choice);
        if (picked) await watch(picked, engine);
      }
      else if (choice.startsWith('section:')) {
        const section = course.sections.find((s) => `section:${s.id}` === choice)!;
        const id = await select({
          message: section.title,
          ...fit([...section.exercises.map((e) => ({ name: `${mark(e.id)} ${e.id} ${e.title}`, value: e.id })), { name: 'Back', value: 'back' }]),
        });
        const picked = all.find((e) => e.id === id);
        if (picked) await exerciseMenu(picked, engine);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') return 0; // Ctrl-C / Ctrl-D in a prompt
    throw error;
  } finally {
    engine.close();
  }
}
