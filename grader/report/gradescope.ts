// A grade as Gradescope's autograder results.json: one Gradescope test per criterion (and one, worth
// no points, per section's type-check), the total score, and a one-line summary.
// Field names and values follow Gradescope's "Autograder Specifications" (results.json).
import { z } from 'zod';
import type { CriterionResult, Report, SectionResult, TypecheckResult } from './results.js';

/** Longest text put in one test's output; longer text is cut, with a note saying so. */
export const MAX_OUTPUT_CHARS = 8000;

const visibility = z.enum(['hidden', 'after_due_date', 'after_published', 'visible']);

export const gradescopeTestSchema = z.strictObject({
  name: z.string().min(1),
  score: z.number().nonnegative(),
  max_score: z.number().nonnegative(),
  status: z.enum(['passed', 'failed']),
  output: z.string(),
  visibility,
});

export const gradescopeResultsSchema = z
  .strictObject({
    score: z.number().nonnegative(),
    max_score: z.number().nonnegative(),
    execution_time: z.number().int().nonnegative(),
    output: z.string().min(1),
    visibility,
    stdout_visibility: visibility,
    tests: z.array(gradescopeTestSchema),
  })
  .refine((r) => r.tests.every((t) => t.score <= t.max_score), { message: 'a test scores more than its max_score' })
  .refine((r) => r.score === r.tests.reduce((sum, t) => sum + t.score, 0), { message: 'score is not the sum of the tests’ scores' })
  .refine((r) => r.max_score === r.tests.reduce((sum, t) => sum + t.max_score, 0), { message: 'max_score is not the sum of the tests’ max_score' });

export type GradescopeTest = z.infer<typeof gradescopeTestSchema>;
export type GradescopeResults = z.infer<typeof gradescopeResultsSchema>;

export function clip(text: string, max = MAX_OUTPUT_CHARS): string {
  if (text.length <= max) return text;
  const note = `\n… (${text.length - max} more characters cut)`;
  return text.slice(0, max - note.length) + note;
}

/** What a person needs to know about one criterion: the reason, and on a failure what was expected,
 * what was seen, and a hint. The same words as the text report. */
export function criterionDetails(c: CriterionResult): string {
  if (c.status === 'pass') return [c.message, c.note].filter(Boolean).join('\n');
  const label = c.status === 'error' ? 'could not be graded: ' : c.status === 'skipped' ? 'skipped: ' : '';
  const lines = [`${label}${c.message}`];
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.seen !== undefined) lines.push(`seen:     ${c.seen}`);
  if (c.hint) lines.push(`hint:     ${c.hint}`);
  return lines.join('\n');
}

/** "B.3 Instrumenting every request: <criterion title> (B.3.route-template)" */
export function criterionName(c: CriterionResult, titles: Map<string, string>): string {
  const exercise = `${c.exercise} ${titles.get(c.exercise) ?? ''}`.trim();
  return `${exercise}: ${c.title} (${c.id})`;
}

export function typecheckDetails(t: TypecheckResult): string {
  return [t.message, ...t.errors].join('\n');
}

export function typecheckName(section: SectionResult): string {
  return `${section.id} ${section.title}: your files type-check (tsc --noEmit, no points)`;
}

/** "45/60 points: 40 passed, 3 failed, 1 could not be graded, 2 skipped; type errors in B" */
export function summaryLine(report: Report): string {
  const { pass, fail, error, skipped, points, max_points } = report.summary;
  const parts = [`${pass} passed`, `${fail} failed`];
  if (error) parts.push(`${error} could not be graded`);
  if (skipped) parts.push(`${skipped} skipped`);
  const typeErrors = report.sections.filter((s) => s.typecheck && s.typecheck.status !== 'pass').map((s) => s.id);
  const types = typeErrors.length ? `; your files do not type-check in ${typeErrors.join(', ')}` : '';
  return `${points}/${max_points} points: ${parts.join(', ')}${types}.`;
}

export function toGradescope(report: Report, titles: Map<string, string> = new Map()): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const section of report.sections) {
    for (const c of section.criteria) {
      tests.push({
        name: criterionName(c, titles),
        score: c.status === 'pass' ? c.points : 0,
        max_score: c.max_points,
        status: c.status === 'pass' ? 'passed' : 'failed',
        output: clip(criterionDetails(c)),
        visibility: 'visible',
      });
    }
    if (section.typecheck) {
      tests.push({
        name: typecheckName(section),
        score: 0,
        max_score: 0,
        status: section.typecheck.status === 'pass' ? 'passed' : 'failed',
        output: clip(typecheckDetails(section.typecheck)),
        visibility: 'visible',
      });
    }
  }
  const results: GradescopeResults = {
    score: tests.reduce((sum, t) => sum + t.score, 0),
    max_score: tests.reduce((sum, t) => sum + t.max_score, 0),
    execution_time: Math.round(report.duration_ms / 1000),
    output: summaryLine(report),
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests,
  };
  return gradescopeResultsSchema.parse(results);
}

/** The results of a submission that could not be graded at all: one failed test that says why. */
export function gradescopeNotGraded(reason: string, maxScore: number): GradescopeResults {
  return gradescopeResultsSchema.parse({
    score: 0,
    max_score: maxScore,
    execution_time: 0,
    output: `Your submission could not be graded: ${clip(reason, 2000)}`,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: [{ name: 'The submission could be graded', score: 0, max_score: maxScore, status: 'failed', output: clip(reason), visibility: 'visible' }],
  });
}
