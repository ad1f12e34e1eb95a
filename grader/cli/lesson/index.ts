// `npm start -- lesson <section|exercise>`: a lesson rendered for the terminal (paged when long).
// For an exercise it opens at that exercise's part, with the files to edit at its top.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse, selectExercises } from '../../course/load.js';
import { headingAnchor } from '../../course/anchors.js';
import type { Exercise } from '../../course/schema.js';
import { WorkbookError } from '../../errors.js';
import { ansiStyle, plainStyle, renderMarkdown } from '../../report/markdown-terminal.js';
import { PROJECT_ROOT } from '../../paths.js';

/** The part of a lesson under the exercise's heading (to the next heading of the same level or
 * above), with its files to edit right under the heading; undefined when the anchor is not found. */
export function exercisePart(markdown: string, exercise: Exercise): string | undefined {
  const anchor = exercise.lesson.split('#')[1] ?? '';
  const lines = markdown.split('\n');
  let fence = false;
  const headings: Array<{ at: number; level: number; anchor: string }> = [];
  lines.forEach((line, at) => {
    if (/^\s*```/.test(line)) fence = !fence;
    const m = !fence && /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) headings.push({ at, level: m[1]!.length, anchor: headingAnchor(m[2]!) });
  });
  const start = headings.find((h) => h.anchor === anchor);
  if (!start) return undefined;
  const end = headings.find((h) => h.at > start.at && h.level <= start.level)?.at ?? lines.length;
  const files = `**Files to edit:** ${exercise.files.map((f) => `\`exercises/${f}\``).join(', ')} · **Grade:** \`npm run grade -- ${exercise.id}\``;
  return [lines[start.at], '', files, ...lines.slice(start.at + 1, end)].join('\n');
}

export async function lessonCommand(argv: string[]): Promise<number> {
  const [selector, ...extra] = argv;
  if (!selector) throw new WorkbookError('USAGE', 'Which lesson? e.g. npm start -- lesson B (or an exercise: lesson B.3)');
  if (extra.length) throw new WorkbookError('USAGE', `lesson takes one section or exercise, e.g. npm start -- lesson B.3 (got ${argv.join(' ')})`);
  const [picked] = selectExercises(loadCourse(), [selector]);
  if (!picked) throw new WorkbookError('UNKNOWN_SELECTOR', `There is no lesson for "${selector}"`);
  const tty = process.stdout.isTTY === true;
  const markdown = readFileSync(path.join(PROJECT_ROOT, picked.section.lesson), 'utf8');
  const single = picked.exercises.length === 1 && selector.includes('.') ? picked.exercises[0] : undefined;
  const part = single && exercisePart(markdown, single);
  const files = picked.exercises.map((e) => `exercises/${e.files.join(', exercises/')}`);
  const style = tty && !process.env.NO_COLOR ? ansiStyle : plainStyle;
  const width = process.stdout.columns ?? 100;
  const text = part
    ? `${renderMarkdown(part, { width, style })}\nThe whole of part ${picked.section.id}: npm start -- lesson ${picked.section.id}\n`
    : `${renderMarkdown(markdown, { width, style })}\nFiles to edit: ${[...new Set(files)].join(', ')}\nGrade: npm run grade -- ${selector.toUpperCase()}\n`;
  const rows = process.stdout.rows ?? 40;
  if (tty && text.split('\n').length > rows && spawnSync('less', ['-R', '-F', '-X'], { input: text, stdio: ['pipe', 'inherit', 'inherit'] }).status === 0) return 0;
  process.stdout.write(text);
  return 0;
}
