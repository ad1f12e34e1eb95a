// Where things are: the project root, the grader's scratch space, and the tree being graded.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WORK_ROOT = path.join(PROJECT_ROOT, '.grader-work');

/** A fresh scratch folder inside the project (so node_modules resolve); the caller removes it. */
export function makeWorkDir(prefix: string): string {
  mkdirSync(WORK_ROOT, { recursive: true });
  return mkdtempSync(path.join(WORK_ROOT, `${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A path for people: relative to the project when inside it, with forward slashes. */
export function displayPath(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}
