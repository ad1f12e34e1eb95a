// `npm run grade [-- <section|exercise>...] [--solutions | --target DIR] [--json]`
import { parseArgs } from 'node:util';
import { exerciseTitles, loadCourse } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import { formatReport, styleFor } from '../../report/console.js';
import { isSuccess } from '../../report/results.js';
import { recordReport } from '../../run/progress.js';
import { grade } from '../../run/grade.js';
import { resolveTarget } from '../../run/target.js';
import type { ExternalTarget } from '../../live/external-service.js';

export const GRADE_USAGE = `Usage: npm run grade -- [SECTION|EXERCISE ...] [--solutions | --target DIR] [--json]

  SECTION|EXERCISE   what to grade, e.g. B or B.3 (any mix; all when none is given)
  --solutions        grade the reference solutions instead of exercises/
  --target DIR       grade another folder laid out like exercises/ (e.g. a learner's copy)
  --json             print one JSON report (results schema 1) instead of the text report
  --server-cmd CMD   grade Section E's live checks against any HTTP service that CMD starts
                     (it gets PORT and HOST in its environment; its stdout is read as its logs)
  --server-url URL   the same against a service already running at URL (its logs cannot be read)

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
        'server-cmd': { type: 'string' },
        'server-url': { type: 'string' },
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
  const external = externalTarget(values['server-cmd'], values['server-url'], positionals, values.solutions || values.target !== undefined);
  const target = resolveTarget({ solutions: values.solutions, ...(values.target !== undefined && { target: values.target }) });
  try {
    const report = await grade({ course, selectors: external ? ['E'] : positionals, target, ...(external && { external }) });
    if (!external && values.target === undefined && !values.solutions) recordReport(report);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else console.log(formatReport(report, styleFor(process.stdout), exerciseTitles(course)));
    return isSuccess(report) ? 0 : 1;
  } finally {
    target.release();
  }
}

function externalTarget(cmd: string | undefined, url: string | undefined, selectors: string[], hasTarget: boolean): ExternalTarget | undefined {
  if (cmd === undefined && url === undefined) return undefined;
  if (cmd !== undefined && url !== undefined) throw new WorkbookError('USAGE', 'Use either --server-cmd or --server-url, not both.');
  if (hasTarget) throw new WorkbookError('USAGE', '--server-cmd and --server-url grade a running service: leave out --solutions and --target.');
  if (cmd !== undefined && cmd.trim() === '') throw new WorkbookError('USAGE', '--server-cmd needs a command, e.g. --server-cmd "python3 -m myservice"');
  if (url !== undefined && !/^https?:\/\/[^/\s]+/.test(url)) throw new WorkbookError('USAGE', `--server-url needs a URL like http://127.0.0.1:8000, got "${url}"`);
  const other = selectors.filter((s) => !/^e(\.1)?$/i.test(s));
  if (other.length) throw new WorkbookError('USAGE', `--server-cmd and --server-url grade Section E only, not ${other.join(', ')}`);
  return cmd !== undefined ? { cmd } : { url: url! };
}
