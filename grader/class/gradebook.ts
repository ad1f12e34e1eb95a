// The class's results: gradebook.csv (one row per learner, one column per criterion), gradebook.json
// (every learner's full report) and feedback/<learner>.md.
import type { Course } from '../course/schema.js';
import { selectExercises } from '../course/load.js';
import type { CriterionResult } from '../report/results.js';
import type { Isolation } from './sandbox.js';
import type { SubmissionResult } from './grade-one.js';

export const GRADEBOOK_SCHEMA_VERSION = 1;

export interface Column {
  id: string;
  exercise: string;
  title: string;
  max_points: number;
}

/** The manifest's criteria for the selection, then any instructor's extra criteria a report has. */
export function gradebookColumns(course: Course, selectors: string[], results: SubmissionResult[]): Column[] {
  const columns: Column[] = selectExercises(course, selectors).flatMap(({ exercises }) =>
    exercises.flatMap((e) => e.criteria.map((c) => ({ id: c.id, exercise: e.id, title: c.title, max_points: c.points }))),
  );
  const known = new Set(columns.map((c) => c.id));
  for (const criterion of results.flatMap((r) => r.report?.sections.flatMap((s) => s.criteria) ?? [])) {
    if (known.has(criterion.id)) continue;
    known.add(criterion.id);
    const after = columns.map((c) => c.exercise).lastIndexOf(criterion.exercise);
    columns.splice(after + 1, 0, { id: criterion.id, exercise: criterion.exercise, title: criterion.title, max_points: criterion.max_points });
  }
  return columns;
}

const byId = (result: SubmissionResult) => new Map((result.report?.sections.flatMap((s) => s.criteria) ?? []).map((c) => [c.id, c]));

function csvCell(value: string | number): string {
  const text = String(value);
  // Quote what needs it; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function gradebookCsv(results: SubmissionResult[], columns: Column[]): string {
  const max = columns.reduce((sum, c) => sum + c.max_points, 0);
  const header = ['learner', 'folder', 'status', 'points', 'max_points', ...columns.map((c) => c.id), 'error'];
  const rows = results.map((result) => {
    const criteria = byId(result);
    const points = columns.reduce((sum, c) => sum + (criteria.get(c.id)?.points ?? 0), 0);
    return [
      result.learner,
      result.folder,
      result.status,
      points,
      max,
      ...columns.map((c) => (result.status === 'graded' ? criteria.get(c.id)?.points ?? 0 : '')),
      result.error?.split('\n')[0] ?? '',
    ];
  });
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

export interface Gradebook {
  schema: typeof GRADEBOOK_SCHEMA_VERSION;
  generated_at: string;
  selection: string[];
  isolation: { level: Isolation['level']; reason: string };
  max_points: number;
  criteria: Column[];
  learners: Array<Omit<SubmissionResult, 'report'> & { points: number; max_points: number; report?: SubmissionResult['report'] }>;
}

export function gradebookJson(results: SubmissionResult[], columns: Column[], selectors: string[], isolation: Isolation): Gradebook {
  const max = columns.reduce((sum, c) => sum + c.max_points, 0);
  return {
    schema: GRADEBOOK_SCHEMA_VERSION,
    generated_at: new Date().toISOString(),
    selection: selectors.length ? selectors : ['all'],
    isolation: { level: isolation.level, reason: isolation.reason },
    max_points: max,
    criteria: columns,
    learners: results.map((r) => ({ ...r, points: r.report?.summary.points ?? 0, max_points: max })),
  };
}

const line = (c: CriterionResult) => `- **${c.title}** (${c.id}, ${c.points}/${c.max_points})`;

/** A learner's feedback: what passed, what failed with why and a hint; readable without the tool. */
export function feedbackMarkdown(result: SubmissionResult, columns: Column[], exerciseTitles: Map<string, string>): string {
  const max = columns.reduce((sum, c) => sum + c.max_points, 0);
  const out = [`# Feedback for ${result.folder}`, ''];
  if (result.status === 'error' || !result.report) {
    out.push('Your submission could not be graded.', '', `Reason: ${result.error ?? 'unknown'}`, '', `Points: 0 / ${max}`);
    return `${out.join('\n')}\n`;
  }
  const criteria = result.report.sections.flatMap((s) => s.criteria);
  const points = criteria.reduce((sum, c) => sum + c.points, 0);
  const passed = criteria.filter((c) => c.status === 'pass');
  const notPassed = criteria.filter((c) => c.status !== 'pass');
  out.push(`Points: **${points} / ${max}** · ${passed.length} of ${criteria.length} checks passed.`, '');
  if (notPassed.length) {
    out.push('## To work on', '');
    let exercise = '';
    for (const c of notPassed) {
      if (c.exercise !== exercise) {
        exercise = c.exercise;
        out.push(`### ${exercise} ${exerciseTitles.get(exercise) ?? ''}`.trimEnd(), '');
      }
      const why = c.status === 'skipped' ? `Not checked: ${c.message}` : c.status === 'error' ? `Could not be checked: ${c.message}` : c.message;
      out.push(line(c), '', indent(why));
      if (c.expected !== undefined) out.push(indent(`Expected: ${c.expected}`));
      if (c.seen !== undefined) out.push(indent(`Seen: ${c.seen}`));
      if (c.hint) out.push(indent(`Hint: ${c.hint}`));
      out.push('');
    }
  }
  const typeErrors = result.report.sections.filter((s) => s.typecheck && s.typecheck.status !== 'pass');
  if (typeErrors.length) {
    out.push('## Type errors', '');
    for (const s of typeErrors) out.push(`Section ${s.id}: ${s.typecheck!.message}`, '', ...s.typecheck!.errors.slice(0, 10).map((e) => `    ${e}`), '');
  }
  if (passed.length) out.push('## Passed', '', ...passed.map(line), '');
  if (result.ignored.length) out.push('## Not used', '', `These files of yours were left out and never read (the grader uses its own configuration; links and special files are not followed): ${result.ignored.join(', ')}`, '');
  if (result.notes.length) out.push('## Notes from the grader', '', ...result.notes.map((n) => `- Your submission ${n}.`), '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
