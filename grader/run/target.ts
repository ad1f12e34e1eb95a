// The tree being graded: exercises/ (default), solutions/ (--solutions) or any folder (--target DIR).
import { cpSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { addPathAlias } from '../report/clean.js';
import { WorkbookError } from '../errors.js';
import { displayPath, EXERCISES_DIR, makeWorkDir, PROJECT_ROOT, removeDir } from './paths.js';

export interface Target {
  /** The folder the grader reads (a copy inside the project when the original is elsewhere). */
  dir: string;
  /** How to name it to a person. */
  label: string;
  /** The folder the person named (where their files are edited; `dir` may be a copy of it). */
  source?: string;
  release(): void;
}

export function resolveTarget(options: { solutions?: boolean; target?: string }): Target {
  if (options.solutions && options.target) {
    throw new WorkbookError('USAGE', 'Use either --solutions or --target DIR, not both.');
  }
  const dir = options.solutions
    ? path.join(PROJECT_ROOT, 'solutions')
    : path.resolve(options.target ?? EXERCISES_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new WorkbookError('TARGET_MISSING', `There is no folder ${dir} to grade.`);
  }
  const inside = !path.relative(PROJECT_ROOT, dir).startsWith('..');
  if (inside) return { dir, label: displayPath(dir), source: dir, release: () => {} };
  // Outside the project its imports would not find our node_modules: grade a copy inside it.
  const work = makeWorkDir('target');
  cpSync(dir, work, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
  addPathAlias(work, dir);
  return { dir: work, label: dir, source: dir, release: () => removeDir(work) };
}

export function missingFiles(target: Target, files: string[]): string[] {
  return files.filter((f) => !existsSync(path.join(target.dir, f)));
}
