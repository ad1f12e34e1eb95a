// The learner's progress: hints revealed and the latest result per exercise, in one small JSON file
// in the project folder (ignored by git), written atomically. A missing or corrupt file starts afresh.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Course, Exercise } from '../course/schema.js';
import { typeErrorsOf, type CriterionResult, type Report } from '../report/results.js';
import { loadCourse } from '../course/load.js';
import { PROJECT_ROOT } from '../paths.js';

export const PROGRESS_FILE = process.env.WORKBOOK_PROGRESS_FILE ?? path.join(PROJECT_ROOT, '.workbook-progress.json');

export interface Progress {
  version: 1;
  /** How many hints of each exercise have been revealed. */
  hints: Record<string, number>;
  /** The latest grade of each exercise. */
  results: Record<string, { status: 'pass' | 'fail'; points: number; max_points: number; at: string; type_errors?: string[] }>;
}

const empty = (): Progress => ({ version: 1, hints: {}, results: {} });

export function readProgress(file = PROGRESS_FILE): { progress: Progress; note?: string } {
  if (!existsSync(file)) return { progress: empty() };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!isProgress(data)) throw new Error('unexpected shape');
    return { progress: { version: 1, hints: data.hints, results: data.results } };
  } catch {
    // Set the unreadable file aside (never lose it), so the next write can start afresh.
    const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file, aside);
      return { progress: empty(), note: `${path.basename(file)} could not be read, so progress starts afresh (the old one is kept as ${path.basename(aside)})` };
    } catch {
      return { progress: empty(), note: `${path.basename(file)} could not be read, so progress starts afresh` };
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isProgress(data: unknown): data is Progress {
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.hints) || !isRecord(data.results)) return false;
  const hintsOk = Object.values(data.hints).every((n) => Number.isInteger(n) && (n as number) >= 0);
  const resultsOk = Object.values(data.results).every(
    (r) => isRecord(r) && (r.status === 'pass' || r.status === 'fail') && typeof r.points === 'number' && typeof r.max_points === 'number' && typeof r.at === 'string',
  );
  return hintsOk && resultsOk;
}

/** Write to a temporary file, then rename over the old one: a crash mid-write never leaves half a file. */
export function writeProgress(progress: Progress, file = PROGRESS_FILE): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(temp, file);
}

/** Remembers each graded exercise's result (for progress, "continue" and the solution gate). */
export function recordReport(report: Report, file = PROGRESS_FILE, course?: Course): void {
  const { progress } = readProgress(file);
  const byExercise = new Map<string, CriterionResult[]>();
  for (const c of report.sections.flatMap((s) => s.criteria)) byExercise.set(c.exercise, [...(byExercise.get(c.exercise) ?? []), c]);
  const filesOf = new Map((course ?? loadCourse()).sections.flatMap((s) => s.exercises).map((e) => [e.id, e.files]));
  for (const [id, criteria] of byExercise) {
    // Files that do not type-check keep an exercise from counting as done, whatever its criteria say.
    const typeErrors = typeErrorsOf(report, id, filesOf.get(id) ?? []);
    progress.results[id] = {
      status: criteria.every((c) => c.status === 'pass') && typeErrors.length === 0 ? 'pass' : 'fail',
      points: criteria.reduce((a, c) => a + c.points, 0),
      max_points: criteria.reduce((a, c) => a + c.max_points, 0),
      at: new Date().toISOString(),
      ...(typeErrors.length > 0 && { type_errors: typeErrors }),
    };
  }
  writeProgress(progress, file);
}

/** The first exercise, in course order, that has not passed yet. */
export function nextExercise(course: Course, progress: Progress): Exercise | undefined {
  return course.sections.flatMap((s) => s.exercises).find((e) => progress.results[e.id]?.status !== 'pass');
}

/** Forgets an exercise's last result (its files were just replaced); hints seen are kept. */
export function forgetResult(exerciseId: string, file = PROGRESS_FILE): void {
  const { progress } = readProgress(file);
  if (!(exerciseId in progress.results)) return;
  delete progress.results[exerciseId];
  writeProgress(progress, file);
}
