// `npm start -- lesson <section|exercise>`: a lesson rendered for the terminal (paged when long).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse, selectExercises } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import { ansiStyle, plainStyle, renderMarkdown } from '../../report/markdown-terminal.js';
import { PROJECT_ROOT } from '../../run/paths.js';

export async function lessonCommand(argv: string[]): Promise<number> {
  const [selector] = argv;
  if (!selector) throw new WorkbookError('USAGE', 'Which lesson? e.g. npm start -- lesson B (or an exercise: lesson B.3)');
  const [picked] = selectExercises(loadCourse(), [selector]);
  if (!picked) throw new WorkbookError('UNKNOWN_SELECTOR', `There is no lesson for "${selector}"`);
  const tty = process.stdout.isTTY === true;
  const files = picked.exercises.map((e) => `exercises/${e.files.join(', exercises/')}`);
  const text =
    renderMarkdown(readFileSync(path.join(PROJECT_ROOT, picked.section.lesson), 'utf8'), { width: process.stdout.columns ?? 100, style: tty && !process.env.NO_COLOR ? ansiStyle : plainStyle }) +
    `\nFiles to edit: ${[...new Set(files)].join(', ')}\nGrade: npm run grade -- ${selector.toUpperCase()}\n`;
  const rows = process.stdout.rows ?? 40;
  if (tty && text.split('\n').length > rows && spawnSync('less', ['-R', '-F', '-X'], { input: text, stdio: ['pipe', 'inherit', 'inherit'] }).status === 0) return 0;
  process.stdout.write(text);
  return 0;
}
