// `npm start -- reset <exercise>`: put an exercise back to its stub, keeping a timestamped backup.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCourse } from '../../course/load.js';
import { exerciseById } from '../../course/select.js';
import { WorkbookError } from '../../errors.js';
import { EXERCISES_DIR, PROJECT_ROOT } from '../../run/paths.js';
import { originalStub } from '../../run/stubs.js';

export const BACKUP_ROOT = process.env.WORKBOOK_BACKUP_DIR ?? path.join(PROJECT_ROOT, '.workbook-backups');

export async function resetCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { target: { type: 'string' } } });
  const [id] = positionals;
  const root = path.resolve(values.target ?? EXERCISES_DIR);
  const exercise = exerciseById(loadCourse(), id);
  if (!exercise) throw new WorkbookError('UNKNOWN_SELECTOR', `Which exercise? e.g. npm start -- reset B.3 (got "${id ?? ''}")`);
  const stubs = exercise.files.map((f) => ({ f, text: originalStub(f) })); // all found before anything changes
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backupDir = path.join(BACKUP_ROOT, `${exercise.id}-${stamp}`);
  for (const { f, text } of stubs) {
    const file = path.join(root, f);
    if (existsSync(file)) {
      mkdirSync(path.dirname(path.join(backupDir, f)), { recursive: true });
      copyFileSync(file, path.join(backupDir, f));
    }
    writeFileSync(file, text);
  }
  console.log(`${exercise.id} is back to its stub. Your previous version is kept in ${path.relative(PROJECT_ROOT, backupDir)}/`);
  return 0;
}
