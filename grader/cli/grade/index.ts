// `npm run grade [-- <section|exercise>...] [--solutions | --target DIR] [--json]`
import { parseArgs } from 'node:util';
import { exerciseTitles, loadCourse } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import { formatReport, styleFor } from '../../report/console.js';
import { isSuccess } from '../../report/results.js';
import { grade } from '../../run/grade.js';
import { resolveTarget } from '../../run/target.js';

export const GRADE_USAGE = `Usage: npm run grade -- [SECTION|EXERCISE ...] [--solutions | --target DIR] [--json]

  SECTION|EXERCISE   what to grade, e.g. B or B.3 (any mix; all when none is given)
  --solutions        grade the reference solutions instead of exercises/
  --target DIR       grade another folder laid out like exercises/ (e.g. a learner's copy)
  --json             print one JSON report (results schema 1) instead of the text report

Exit code: 0 when every selected criterion passes, 1 when any fails or cannot be graded, 2 for bad usage.`;

export async function gradeCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        solutions: { type: 'boolean', default: false },
        target: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new WorkbookError('USAGE', `${(error as Error).message}\n\n${GRADE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(GRADE_USAGE);
    return 0;
  }
  const course = loadCourse();
  const target = resolveTarget({ solutions: values.solutions, ...(values.target !== undefined && { target: values.target }) });
  try {
    const report = await grade({ course, selectors: positionals, target });
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else console.log(formatReport(report, styleFor(process.stdout), exerciseTitles(course)));
    return isSuccess(report) ? 0 : 1;
  } finally {
    target.release();
  }
}
