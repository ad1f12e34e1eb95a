// `npm run grade [-- <section|exercise>...] [--solutions | --target DIR] [--format FORMAT] [--out DIR]`
import { sweepLeftovers } from '../../sandbox/runner.js';
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exerciseFiles, exerciseTitles, loadCourse } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import { formatReport, styleFor } from '../../report/console.js';
import { isSuccess, type Report } from '../../report/results.js';
import { writeFileAtomic } from '../../run/atomic-write.js';
import { recordReport } from '../../run/progress.js';
import { Engine, planGrade } from '../../run/engine.js';
import { resolveTarget } from '../../run/target.js';
import type { ExternalTarget } from '../../live/external-service.js';
import { newSeed, parseSeed } from '../../live/random.js';

export const GRADE_FORMATS = ['text', 'json', 'gradescope', 'classroom'] as const;
export type GradeFormat = (typeof GRADE_FORMATS)[number];

export { GRADE_USAGE } from '../commands.js';
import { GRADE_USAGE } from '../commands.js';

export async function gradeCommand(argv: string[], given?: Engine): Promise<number> {
  // Whatever a grade killed before its end left running goes first.
  sweepLeftovers();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        solutions: { type: 'boolean', default: false },
        target: { type: 'string' },
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        out: { type: 'string' },
        'extra-suites': { type: 'string' },
        'server-cmd': { type: 'string' },
        'server-url': { type: 'string' },
        seed: { type: 'string' },
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
  const { format, out } = outputOptions(values.format, values.json, values.out);
  const seed = values.seed === undefined ? newSeed() : parseSeed(values.seed);
  if (seed === undefined) throw new WorkbookError('USAGE', `--seed needs a whole number from 0 to 2147483647 (the seed a report printed), not "${values.seed}"`);
  const course = loadCourse();
  const external = externalTarget(values['server-cmd'], values['server-url'], positionals, values.solutions || values.target !== undefined);
  const target = resolveTarget({ solutions: values.solutions, ...(values.target !== undefined && { target: values.target }) });
  for (const note of target.notes ?? []) console.error(`left out: ${note}`);
  const engine = given ?? new Engine();
  try {
    // What the grade needs starts now, while the rest of the grader loads.
    if (!external) engine.prepare(planGrade(course, positionals, target.dir, (files) => files.every((f) => existsSync(path.join(target.dir, f)))), target.dir, seed);
    const { grade } = await import('../../run/grade.js');
    if (out !== undefined) ensureDir(out); // a folder that cannot be made fails before the grade, not after
    const extraSuites = values['extra-suites'] !== undefined ? path.resolve(values['extra-suites']) : undefined;
    const report = await grade({ course, selectors: external ? ['E'] : positionals, target, seed, engine, ...(external && { external }), ...(extraSuites && { extraSuites }) });
    if (!external && values.target === undefined && !values.solutions) recordReport(report, undefined, course);
    const titles = exerciseTitles(course);
    if (format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else console.log(formatReport(report, styleFor(process.stdout), titles, exerciseFiles(course)));
    // The exporters load only when asked for (their schemas are not every grade's cost).
    if (format === 'gradescope') await writeGradescope(report, titles, out!);
    if (format === 'classroom') await writeClassroom(report, titles, out);
    return isSuccess(report) ? 0 : 1;
  } finally {
    if (!given) engine.close();
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

/** --format and its companions, checked before anything is graded. */
function outputOptions(format: string | undefined, json: boolean, out: string | undefined): { format: GradeFormat; out?: string } {
  if (format !== undefined && !(GRADE_FORMATS as readonly string[]).includes(format)) {
    throw new WorkbookError('USAGE', `Unknown --format "${format}": use one of ${GRADE_FORMATS.join(', ')}.`);
  }
  if (json && format !== undefined && format !== 'json') {
    throw new WorkbookError('USAGE', `--json is the same as --format json: use either --json or --format ${format}, not both.`);
  }
  const chosen: GradeFormat = (format as GradeFormat | undefined) ?? (json ? 'json' : 'text');
  if (out !== undefined && out.trim() === '') throw new WorkbookError('USAGE', '--out needs a folder, e.g. --out results');
  if (chosen === 'gradescope' && out === undefined) {
    throw new WorkbookError('USAGE', '--format gradescope writes DIR/results.json: add --out DIR (on Gradescope, --out /autograder/results).');
  }
  if (out !== undefined && chosen !== 'gradescope' && chosen !== 'classroom') {
    throw new WorkbookError('USAGE', `--out DIR is where --format gradescope or --format classroom write their file; --format ${chosen} writes only to the terminal.`);
  }
  return out !== undefined ? { format: chosen, out } : { format: chosen };
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new WorkbookError('USAGE', `Cannot create the folder ${path.resolve(dir)} for --out: ${(error as Error).message}`);
  }
}

async function writeGradescope(report: Report, titles: Map<string, string>, out: string): Promise<void> {
  const { toGradescope } = await import('../../report/gradescope.js');
  const file = path.resolve(out, 'results.json');
  writeFileAtomic(file, `${JSON.stringify(toGradescope(report, titles), null, 2)}\n`);
  console.log(`Gradescope results: ${file}`);
}

/** As the GitHub Classroom command-grader does: `result=<base64>` in the step's GITHUB_OUTPUT file. */
async function writeClassroom(report: Report, titles: Map<string, string>, out: string | undefined): Promise<void> {
  const { classroomResultBase64 } = await import('../../report/classroom.js');
  const encoded = classroomResultBase64(report, titles);
  const githubOutput = process.env.GITHUB_OUTPUT;
  if (githubOutput) {
    appendFileSync(githubOutput, `result=${encoded}\n`);
    console.log('GitHub Classroom result: set as this step\'s output "result".');
  } else if (out !== undefined) {
    const file = path.resolve(out, 'classroom-result.txt');
    writeFileAtomic(file, `${encoded}\n`);
    console.log(`GitHub Classroom result (base64): ${file}`);
  } else {
    console.log(encoded);
  }
}
