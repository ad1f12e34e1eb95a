// `npm start -- reset <exercise>`: put an exercise back to its stub, keeping a timestamped backup;
// `npm start -- restore <exercise> [N]`: list those backups, or bring one back. All or nothing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCourse } from '../../course/load.js';
import { requireExercise } from '../../course/select.js';
import type { Exercise } from '../../course/schema.js';
import { WorkbookError } from '../../errors.js';
import { EXERCISES_DIR, PROJECT_ROOT } from '../../paths.js';
import { forgetResult } from '../../run/progress.js';
import { originalStub } from '../../run/stubs.js';

export const BACKUP_ROOT = process.env.WORKBOOK_BACKUP_DIR ?? path.join(PROJECT_ROOT, '.workbook-backups');

function parse(argv: string[], example: string): { exercise: Exercise; root: string; rest: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { target: { type: 'string' } } });
  } catch (error) {
    throw new WorkbookError('USAGE', (error as Error).message);
  }
  const [id, ...rest] = parsed.positionals;
  const exercise = requireExercise(loadCourse(), id, example);
  return { exercise, root: path.resolve(parsed.values.target ?? EXERCISES_DIR), rest };
}

const shown = (dir: string) => path.relative(PROJECT_ROOT, dir) || dir;

/** Copies the exercise's current files into a new timestamped backup folder (before anything changes). */
function backUp(exercise: Exercise, root: string): string | undefined {
  const present = exercise.files.filter((f) => existsSync(path.join(root, f)));
  if (present.length === 0) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let dir = path.join(BACKUP_ROOT, `${exercise.id}-${stamp}`);
  for (let n = 2; existsSync(dir); n++) dir = path.join(BACKUP_ROOT, `${exercise.id}-${stamp}-${n}`);
  for (const f of present) {
    try {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      copyFileSync(path.join(root, f), path.join(dir, f));
    } catch (error) {
      throw new WorkbookError('FILE_ACCESS', `Nothing was changed: ${f} could not be backed up (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
  }
  return dir;
}

/** Writes every file or none: a failure puts back what was already written and names the file. */
function writeAll(root: string, contents: Array<{ file: string; text: string }>): void {
  const before = contents.map(({ file }) => {
    const full = path.join(root, file);
    return { full, text: existsSync(full) ? readFileSync(full, 'utf8') : undefined };
  });
  const written: number[] = [];
  try {
    contents.forEach(({ file, text }, i) => {
      const full = path.join(root, file);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      written.push(i);
    });
  } catch (error) {
    for (const i of written) {
      const b = before[i]!;
      try {
        if (b.text !== undefined) writeFileSync(b.full, b.text);
      } catch {
        // the backup folder still holds it
      }
    }
    const failed = contents[written.length]?.file ?? '?';
    throw new WorkbookError('FILE_ACCESS', `Nothing was changed: ${failed} could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

export async function resetCommand(argv: string[]): Promise<number> {
  const { exercise, root, rest } = parse(argv, 'npm start -- reset B.3');
  if (rest.length) throw new WorkbookError('USAGE', `reset takes one exercise, e.g. npm start -- reset B.3 (got ${argv.join(' ')})`);
  const stubs = exercise.files.map((file) => ({ file, text: originalStub(file) })); // all found before anything changes
  const backup = backUp(exercise, root);
  writeAll(root, stubs);
  forgetResult(exercise.id);
  console.log(`${exercise.id} is back to its stub.${backup ? ` Your previous version is kept in ${shown(backup)}/ (npm start -- restore ${exercise.id} lists the backups).` : ''}`);
  return 0;
}

/** The backups of an exercise, newest first. */
export function backupsOf(exerciseId: string): string[] {
  if (!existsSync(BACKUP_ROOT)) return [];
  return readdirSync(BACKUP_ROOT)
    .filter((name) => name.startsWith(`${exerciseId}-`) && statSync(path.join(BACKUP_ROOT, name)).isDirectory())
    .sort()
    .reverse()
    .map((name) => path.join(BACKUP_ROOT, name));
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const { exercise, root, rest } = parse(argv, 'npm start -- restore B.3 [N]');
  const backups = backupsOf(exercise.id);
  if (rest.length === 0) {
    if (backups.length === 0) {
      console.log(`${exercise.id} has no backups yet (reset and restore make them).`);
      return 0;
    }
    console.log(`Backups of ${exercise.id}, newest first (npm start -- restore ${exercise.id} N brings one back):`);
    backups.forEach((dir, i) => {
      const files = exercise.files.filter((f) => existsSync(path.join(dir, f)));
      console.log(`  ${i + 1}  ${path.basename(dir).slice(exercise.id.length + 1)}  ${files.join(', ')}`);
    });
    return 0;
  }
  const n = Number(rest[0]);
  if (rest.length > 1 || !Number.isInteger(n) || n < 1 || n > backups.length) {
    throw new WorkbookError('USAGE', `restore takes a backup number from 1 to ${backups.length} (npm start -- restore ${exercise.id} lists them), not "${rest.join(' ')}"`);
  }
  const chosen = backups[n - 1]!;
  const contents = exercise.files.filter((f) => existsSync(path.join(chosen, f))).map((file) => ({ file, text: readFileSync(path.join(chosen, file), 'utf8') }));
  const backup = backUp(exercise, root); // the current files become a backup themselves
  writeAll(root, contents);
  forgetResult(exercise.id);
  console.log(`${exercise.id} restored from backup ${n} (${path.basename(chosen)}).${backup ? ` Your files from just before are kept in ${shown(backup)}/.` : ''}`);
  return 0;
}
