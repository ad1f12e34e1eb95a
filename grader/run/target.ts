// The tree being graded: exercises/ (default), solutions/ (--solutions) or any folder (--target DIR).
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { addPathAlias } from '../report/clean.js';
import { WorkbookError } from '../errors.js';
import { displayPath, EXERCISES_DIR, makeWorkDir, PROJECT_ROOT, removeDir } from '../paths.js';
import { course } from '../course/course.js';

export interface Target {
  /** The folder the grader reads (a copy inside the project when the original is elsewhere). */
  dir: string;
  /** How to name it to a person. */
  label: string;
  /** The folder the person named (where their files are edited; `dir` may be a copy of it). */
  source?: string;
  /** What was left out of the copy, and why (links, FIFOs, devices: never followed). */
  notes?: string[];
  release(): void;
}

/** The course's section folders: only these are read from a graded folder. */
const SECTION_DIRS = course.sections.map((s) => s.id);

/** Copies regular files and folders only; anything else is named in `refused` and left out. */
function copyPlain(from: string, to: string, refused: string[], rel = ''): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name === 'node_modules') continue;
    const src = path.join(from, name);
    const shown = rel ? `${rel}/${name}` : name;
    const s = lstatSync(src);
    if (s.isDirectory()) copyPlain(src, path.join(to, name), refused, shown);
    else if (s.isFile()) copyFileSync(src, path.join(to, name));
    else refused.push(`${shown} (${s.isSymbolicLink() ? 'a symbolic link' : s.isFIFO() ? 'a FIFO' : s.isSocket() ? 'a socket' : 'a device'}: not followed)`);
  }
}

export function resolveTarget(options: { solutions?: boolean; target?: string }): Target {
  if (options.solutions && options.target !== undefined) {
    throw new WorkbookError('USAGE', 'Use either --solutions or --target DIR, not both.');
  }
  if (options.target !== undefined && options.target.trim() === '') {
    throw new WorkbookError('USAGE', '--target needs a folder laid out like exercises/, e.g. --target ../my-copy/exercises');
  }
  const dir = options.solutions ? path.join(PROJECT_ROOT, 'solutions') : path.resolve(options.target ?? EXERCISES_DIR);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new WorkbookError('TARGET_MISSING', `There is no folder ${dir} to grade.`);
  }
  const sections = SECTION_DIRS.filter((s) => {
    try {
      return lstatSync(path.join(dir, s)).isDirectory();
    } catch {
      return false;
    }
  });
  if (sections.length === 0) {
    throw new WorkbookError('TARGET_MISSING', `${dir} has no exercise files: a folder laid out like exercises/ has ${SECTION_DIRS.map((s) => `${s}/`).join(', ')}.`);
  }
  const inside = !path.relative(PROJECT_ROOT, dir).startsWith('..');
  if (inside) return { dir, label: displayPath(dir), source: dir, release: () => {} };
  // Outside the project its imports would not find our node_modules: grade a copy inside it, of the
  // section folders only, with plain files only.
  const work = makeWorkDir('target');
  const refused: string[] = [];
  for (const s of sections) copyPlain(path.join(dir, s), path.join(work, s), refused, s);
  addPathAlias(work, dir);
  return { dir: work, label: dir, source: dir, ...(refused.length && { notes: refused }), release: () => removeDir(work) };
}

export function missingFiles(target: Target, files: string[]): string[] {
  return files.filter((f) => !existsSync(path.join(target.dir, f)));
}
