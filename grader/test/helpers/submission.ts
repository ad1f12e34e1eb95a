// Builds a submission for the grader's own tests: a copy of solutions/ (or exercises/) with edits
// applied, graded like a learner's folder, then removed.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse, selectExercises } from '../../course/load.js';
import { Engine } from '../../run/engine.js';
import { grade } from '../../run/grade.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import type { Report, CriterionResult } from '../../report/results.js';
import { leftoversAfter } from './processes.js';

export interface Edit {
  file: string;
  find: string;
  replace: string;
}

export interface Variant {
  from?: 'solutions' | 'exercises';
  edits?: Edit[];
  /** Files to add or overwrite, relative to the submission root. */
  files?: Record<string, string>;
  /** Text added at the end of existing files. */
  append?: Record<string, string>;
}

export function makeSubmission(variant: Variant): string {
  const dir = makeWorkDir('fixture');
  cpSync(path.join(PROJECT_ROOT, variant.from ?? 'solutions'), dir, { recursive: true });
  for (const edit of variant.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(edit.find)) throw new Error(`fixture edit does not apply: "${edit.find}" is not in ${edit.file}`);
    writeFileSync(file, text.replace(edit.find, edit.replace));
  }
  for (const [rel, text] of Object.entries(variant.append ?? {})) {
    const file = path.join(dir, rel);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n${text}\n`);
  }
  for (const [rel, content] of Object.entries(variant.files ?? {})) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export interface Graded {
  report: Report;
  /** Processes still running afterwards that belong to this submission (should be none). */
  leftovers: string[];
  ms: number;
}

/** Grades a variant; the type-check is left out unless asked for (the criteria do not depend on it). */
export async function gradeVariant(variant: Variant, selectors: string[], options: { typecheck?: boolean } = {}): Promise<Graded> {
  const dir = makeSubmission(variant);
  const started = performance.now();
  const course = loadCourse();
  // As the grade command does: a Prometheus started ahead for the exercises whose checks run one.
  const engine = new Engine();
  engine.warmPrometheus(selectExercises(course, selectors).flatMap((s) => s.exercises).filter((e) => e.prometheus).length);
  try {
    const report = await grade({ course, selectors, target: { dir, label: 'fixture', release: () => {} }, typecheck: options.typecheck ?? false, engine });
    engine.close();
    const ms = performance.now() - started;
    return { report, leftovers: await leftoversAfter(dir), ms };
  } finally {
    engine.close();
    removeDir(dir);
  }
}

export function criteria(report: Report): CriterionResult[] {
  return report.sections.flatMap((s) => s.criteria);
}

export function statusById(report: Report): Record<string, string> {
  return Object.fromEntries(criteria(report).map((c) => [c.id, c.status]));
}

export function exists(rel: string): boolean {
  return existsSync(path.join(PROJECT_ROOT, rel));
}
