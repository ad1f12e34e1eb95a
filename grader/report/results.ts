// The results schema (version 1): what a grade produces, for the console printer and for --json.
import type { CriterionKind } from '../course/schema.js';

export const RESULTS_SCHEMA_VERSION = 1;

export type Status = 'pass' | 'fail' | 'error' | 'skipped';

/** What a check decides about one criterion, before the manifest adds titles and points. */
export interface Verdict {
  status: Status;
  message: string;
  expected?: string;
  seen?: string;
  /** A note shown even on a pass, e.g. "checked without Prometheus". */
  note?: string;
}

export interface CriterionResult extends Verdict {
  id: string;
  exercise: string;
  title: string;
  kind: CriterionKind;
  points: number;
  max_points: number;
  hint?: string;
}

export interface TypecheckResult {
  status: 'pass' | 'fail' | 'error';
  files: number;
  message: string;
  errors: string[];
  /** The files (relative to the graded tree, like the manifest's) that have type errors. */
  failing_files?: string[];
}

export interface SectionResult {
  id: string;
  title: string;
  criteria: CriterionResult[];
  typecheck?: TypecheckResult;
}

export interface Summary {
  pass: number;
  fail: number;
  error: number;
  skipped: number;
  points: number;
  max_points: number;
}

export interface Report {
  schema: typeof RESULTS_SCHEMA_VERSION;
  target: string;
  prometheus: { promtool: boolean; prometheus: boolean };
  /** The seed of this run's generated traffic and test data: `--seed N` replays it exactly. */
  seed?: number;
  sections: SectionResult[];
  summary: Summary;
  duration_ms: number;
}

export const pass = (message = 'ok', note?: string): Verdict => (note ? { status: 'pass', message, note } : { status: 'pass', message });
export const fail = (message: string, expected?: string, seen?: string): Verdict => ({
  status: 'fail',
  message,
  ...(expected !== undefined && { expected }),
  ...(seen !== undefined && { seen }),
});
export const gradingError = (message: string): Verdict => ({ status: 'error', message });
export const skipped = (message: string): Verdict => ({ status: 'skipped', message });

/** How a grading error ends when the machine itself was too busy for the check (never the code's fault). */
export const BUSY_MACHINE = 'is the machine very busy? Try again';
/** A check could not do its part in time because the machine is busy: an error, told as such. */
export const busyMachine = (what: string): Verdict => gradingError(`${what}: ${BUSY_MACHINE}`);

/** The one place points are given, for a single grade and a class alike: each criterion's points come
 * from the manifest (or an instructor's extra suites), never from whoever produced the verdicts, and a
 * criterion earns them only when it passes. Returns why the report cannot be scored, if it cannot. */
export function scoreReport(report: Report, pointsOf: ReadonlyMap<string, number>, required: Iterable<string> = []): string | undefined {
  const seen = new Set<string>();
  for (const section of report.sections) {
    for (const criterion of section.criteria ?? []) {
      const points = pointsOf.get(criterion.id);
      if (seen.has(criterion.id)) return `the report names ${criterion.id} twice`;
      if (points === undefined) return `the report has a criterion the course does not: ${criterion.id}`;
      seen.add(criterion.id);
      criterion.max_points = points;
      criterion.points = criterion.status === 'pass' ? points : 0;
    }
  }
  const absent = [...required].filter((id) => !seen.has(id));
  if (absent.length) return `the report is missing ${absent.length} criteria (${absent.slice(0, 3).join(', ')})`;
  report.summary = summarize(report.sections);
  return undefined;
}

export function summarize(sections: SectionResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, error: 0, skipped: 0, points: 0, max_points: 0 };
  for (const c of sections.flatMap((s) => s.criteria)) {
    summary[c.status] += 1;
    summary.points += c.points;
    summary.max_points += c.max_points;
  }
  return summary;
}

/** The files of an exercise that do not type-check in this report (none when they all do). */
export function typeErrorsOf(report: Report, exerciseId: string, files: readonly string[]): string[] {
  const section = report.sections.find((s) => s.criteria.some((c) => c.exercise === exerciseId));
  const failing = new Set(section?.typecheck?.failing_files ?? []);
  return files.filter((f) => failing.has(f));
}

/** A grade succeeds only when every selected criterion passes and the learner's files type-check. */
export function isSuccess(report: Report): boolean {
  const all = report.sections.flatMap((s) => s.criteria);
  const typesOk = report.sections.every((s) => !s.typecheck || s.typecheck.status === 'pass');
  return all.length > 0 && all.every((c) => c.status === 'pass') && typesOk;
}
