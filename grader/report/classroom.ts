// A grade in the form GitHub Classroom's autograding reporter reads
// (classroom-resources/autograding-grading-reporter@v1): each grader step sets an output `result`,
// the base64 of a JSON document { version: 1, status, max_score, tests: [...] }; the reporter is given
// it as the environment variable <STEP_ID>_RESULTS, decodes it, prints each test, and reports
// "Points <sum of the tests' score>/<max_score>" to Classroom. The command-grader action writes the
// output the same way, as `result=<base64>` in the file named by GITHUB_OUTPUT.
import { z } from 'zod';
import { clip, criterionDetails, criterionName, typecheckDetails, typecheckName } from './gradescope.js';
import { isSuccess, type Report } from './results.js';

/** Longest message per test: a step output is limited in size, and the reporter prints every message. */
export const MAX_MESSAGE_CHARS = 4000;

const status = z.enum(['pass', 'fail', 'error']);

export const classroomTestSchema = z.strictObject({
  name: z.string().min(1),
  status,
  score: z.number().nonnegative(),
  message: z.string(),
  /** Printed by the reporter under the test: here, the command that grades this exercise again. */
  test_code: z.string(),
  filename: z.string(),
  /** The reporter prints " - line N" unless this is 0. */
  line_no: z.literal(0),
});

export const classroomResultSchema = z.strictObject({
  version: z.literal(1),
  status,
  max_score: z.number().nonnegative(),
  tests: z.array(classroomTestSchema),
});

export type ClassroomTest = z.infer<typeof classroomTestSchema>;
export type ClassroomResult = z.infer<typeof classroomResultSchema>;

/** pass when every criterion passes and the files type-check; error when something could not be
 * graded and nothing failed; fail otherwise (a failure, a skipped criterion, type errors). */
function overallStatus(report: Report): ClassroomResult['status'] {
  if (isSuccess(report)) return 'pass';
  const criteria = report.sections.flatMap((s) => s.criteria);
  const failed = criteria.some((c) => c.status === 'fail' || c.status === 'skipped') || report.sections.some((s) => s.typecheck?.status === 'fail');
  const errored = criteria.some((c) => c.status === 'error') || report.sections.some((s) => s.typecheck?.status === 'error');
  return errored && !failed ? 'error' : 'fail';
}

export function toClassroom(report: Report, titles: Map<string, string> = new Map()): ClassroomResult {
  const tests: ClassroomTest[] = [];
  for (const section of report.sections) {
    for (const c of section.criteria) {
      tests.push({
        name: criterionName(c, titles),
        // The reporter knows pass, fail and error; a skipped criterion earns nothing, so it is a fail.
        status: c.status === 'skipped' ? 'fail' : c.status,
        score: c.status === 'pass' ? c.points : 0,
        message: clip(criterionDetails(c), MAX_MESSAGE_CHARS),
        test_code: `npm run grade -- ${c.exercise}`,
        filename: '',
        line_no: 0,
      });
    }
    if (section.typecheck) {
      tests.push({
        name: typecheckName(section),
        status: section.typecheck.status,
        score: 0,
        message: clip(typecheckDetails(section.typecheck), MAX_MESSAGE_CHARS),
        test_code: `npm run grade -- ${section.id}`,
        filename: '',
        line_no: 0,
      });
    }
  }
  return classroomResultSchema.parse({
    version: 1,
    status: overallStatus(report),
    max_score: report.sections.flatMap((s) => s.criteria).reduce((sum, c) => sum + c.max_points, 0),
    tests,
  });
}

/** The value of the grader step's `result` output: base64 of the JSON, on one line. */
export function classroomResultBase64(report: Report, titles: Map<string, string> = new Map()): string {
  return Buffer.from(JSON.stringify(toClassroom(report, titles)), 'utf8').toString('base64');
}

/** The inverse, as the reporter does it; for tests and for a job summary. */
export function decodeClassroomResult(encoded: string): ClassroomResult {
  return classroomResultSchema.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
}
