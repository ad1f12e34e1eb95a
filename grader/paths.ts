// Where things are: the project root, the grader's scratch space, and the tree being graded.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The learner's tree, graded by default (a copy of it in the grader's own tests). */
export const EXERCISES_DIR = path.resolve(process.env.WORKBOOK_EXERCISES_DIR ?? path.join(PROJECT_ROOT, 'exercises'));

/** The reference solutions the grader itself needs (B.7 plants bugs in the reference service). */
export const REFERENCE_DIR = path.resolve(process.env.WORKBOOK_REFERENCE_DIR ?? path.join(PROJECT_ROOT, 'solutions'));

/** Scratch space; inside the project so that copies there resolve the project's node_modules. */
export const WORK_ROOT = process.env.WORKBOOK_WORK_ROOT ?? path.join(PROJECT_ROOT, '.grader-work');

const workDirs = new Set<string>();
let hooked = false;

/** A fresh scratch folder inside the project (so node_modules resolve); removed by the caller, or
 * at the latest when the process exits (also after Ctrl-C). */
export function makeWorkDir(prefix: string): string {
  mkdirSync(WORK_ROOT, { recursive: true });
  const dir = mkdtempSync(path.join(WORK_ROOT, `${prefix}-`));
  workDirs.add(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const dir of [...workDirs]) {
        try {
          removeDir(dir);
        } catch {
          // in use or gone: the next folder still goes, and a later run sweeps what is left
        }
      }
    });
  }
  return dir;
}

/** Keeps a scratch folder after the process ends (it is no longer removed at exit). */
export function keepWorkDir(dir: string): void {
  workDirs.delete(dir);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  workDirs.delete(dir);
}

/** Whether `file` lies inside the folder `dir` (the folder itself counts). */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A path for people: relative to the project when inside it, with forward slashes. */
export function displayPath(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}

/** Every file under a folder, in a stable order (node_modules and names starting with a dot left
 * out): the code a service or a suite run of that folder may load. */
export function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    try {
      const s = statSync(full);
      return s.isDirectory() ? filesUnder(full) : s.isFile() ? [full] : [];
    } catch {
      return []; // gone meanwhile: it simply does not count
    }
  });
}
