// `npm start` in a terminal: a menu to live in. Every action is also a subcommand (see SUBCOMMANDS).
import { confirm, select } from '@inquirer/prompts';
import { loadCourse } from '../../course/load.js';
import type { Exercise } from '../../course/schema.js';
import { nextExercise, readProgress } from '../../run/progress.js';
import { gradeCommand } from '../grade/index.js';
import { hintCommand } from '../hint/index.js';
import { lessonCommand } from '../lesson/index.js';
import { progressCommand } from '../progress/index.js';
import { resetCommand } from '../reset/index.js';
import { solutionCommand } from '../solution/index.js';
import { watchCommand } from '../watch/index.js';

export const SUBCOMMANDS = `Commands (also in the menu of \`npm start\` in a terminal):
  npm start -- lesson B          read a lesson (a section or an exercise: lesson B.3)
  npm run grade -- B.3           grade an exercise (or a section, or everything)
  npm run watch -- B.3           grade again on every save, move on when it passes
  npm start -- hint B.3          the next hint
  npm start -- reset B.3         back to the stub (your version is kept in .workbook-backups/)
  npm start -- solution B.3      the reference solution, once it passes (or with --give-up)
  npm start -- progress          what passes so far`;

function mark(id: string): string {
  const r = readProgress().progress.results[id];
  return !r ? '·' : r.status === 'pass' ? '✓' : r.type_errors?.length ? '✗ (type errors)' : '✗';
}

async function exerciseMenu(exercise: Exercise): Promise<void> {
  for (;;) {
    const action = await select({
      message: `${exercise.id} ${exercise.title} — ${exercise.files.map((f) => `exercises/${f}`).join(', ')}`,
      choices: [
        { name: 'Read the lesson', value: 'lesson' },
        { name: 'Grade it', value: 'grade' },
        { name: `Grade all of section ${exercise.id.split('.')[0]}`, value: 'grade-section' },
        { name: 'Watch: grade on every save', value: 'watch' },
        { name: 'Show the next hint', value: 'hint' },
        { name: 'Reset to the stub (keeps a backup)', value: 'reset' },
        { name: 'Show the solution', value: 'solution' },
        { name: 'Back', value: 'back' },
      ],
    });
    if (action === 'back') return;
    if (action === 'lesson') await lessonCommand([exercise.id]);
    if (action === 'grade') await gradeCommand([exercise.id]);
    if (action === 'grade-section') await gradeCommand([exercise.id.split('.')[0] ?? '']);
    if (action === 'watch') await watchCommand([exercise.id]);
    if (action === 'hint') await hintCommand([exercise.id]);
    if (action === 'reset' && (await confirm({ message: `Put ${exercise.id} back to its stub? Your files are backed up first.`, default: false }))) await resetCommand([exercise.id]);
    if (action === 'solution') {
      const passed = readProgress().progress.results[exercise.id]?.status === 'pass';
      if (passed || (await confirm({ message: `${exercise.id} has not passed yet. Give up and see the solution?`, default: false }))) await solutionCommand([exercise.id, '--give-up']);
    }
  }
}

export async function menuCommand(): Promise<number> {
  const course = loadCourse();
  const all = course.sections.flatMap((s) => s.exercises);
  try {
    for (;;) {
      const { progress } = readProgress();
      const next = nextExercise(course, progress);
      const points = Object.values(progress.results).reduce((a, r) => a + r.points, 0);
      const max = all.reduce((a, e) => a + e.criteria.reduce((b, c) => b + c.points, 0), 0);
      const choice = await select({
        message: `${course.title} — ${points}/${max} points`,
        choices: [
          ...(next ? [{ name: `Continue: ${next.id} ${next.title}`, value: `exercise:${next.id}` }] : []),
          ...course.sections.map((s) => ({ name: `${s.id}  ${s.title}  ${s.exercises.map((e) => mark(e.id)).join('')}`, value: `section:${s.id}` })),
          { name: 'Progress', value: 'progress' },
          { name: 'Quit', value: 'quit' },
        ],
      });
      if (choice === 'quit') return 0;
      if (choice === 'progress') await progressCommand();
      else if (choice.startsWith('section:')) {
        const section = course.sections.find((s) => `section:${s.id}` === choice)!;
        const id = await select({
          message: section.title,
          choices: [...section.exercises.map((e) => ({ name: `${mark(e.id)} ${e.id} ${e.title}`, value: e.id })), { name: 'Back', value: 'back' }],
        });
        const picked = all.find((e) => e.id === id);
        if (picked) await exerciseMenu(picked);
      } else {
        const picked = all.find((e) => `exercise:${e.id}` === choice);
        if (picked) await exerciseMenu(picked);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') return 0; // Ctrl-C / Ctrl-D in a prompt
    throw error;
  }
}
