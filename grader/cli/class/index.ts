// `npm run grade -- class <DIR>`: grade every learner's submission in DIR, side by side and apart
// from each other; write the gradebook, feedback and (optionally) Gradescope results.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exerciseTitles, loadCourse, selectExercises } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import { detectIsolation, type IsolationLevel } from '../../class/sandbox.js';
import { findSubmissions } from '../../class/submissions.js';
import { CLASS_MARK, gradeSubmission, type ClassContext, type SubmissionResult } from '../../class/grade-one.js';
import { isAlive, sweepOrphans } from '../../sandbox/marker.js';
import { RUN_MARK_ENV } from '../../sandbox/runner.js';
import { privatePackages, type PrivatePackages } from '../../class/packages.js';
import type { Submission } from '../../class/submissions.js';
import { feedbackMarkdown, gradebookColumns, gradebookCsv, gradebookJson } from '../../class/gradebook.js';
import { progressBar } from '../../class/progress-bar.js';
import { mapLimit } from '../../run/pool.js';
import { sweepStaleGroups } from '../../sandbox/cgroups.js';
import { sweepStaleUids } from '../../sandbox/uids.js';
import { writeFileAtomic } from '../../run/atomic-write.js';
import { keepWorkDir, makeWorkDir, PROJECT_ROOT, removeDir, WORK_ROOT } from '../../paths.js';
import { extraCriterionPoints, loadExtraSuites } from '../../run/extra-suites.js';
import { gradescopeNotGraded, toGradescope } from '../../report/gradescope.js';

export const CLASS_USAGE = `Usage: npm run grade -- class DIR [--out DIR] [--section ID ...] [--jobs N] [options]

  DIR                  one sub-folder per learner: their exercises/ tree, or a whole copy of the workbook
  --out DIR            where gradebook.csv, gradebook.json and feedback/ go (default: DIR-grades beside DIR)
  --section ID         grade only this section or exercise (repeat it, e.g. --section A --section B.3)
  --jobs N             submissions graded side by side (default: the number of cores, fewer when
                       the free memory cannot hold that many at --memory each)
  --format gradescope  also write gradescope/<learner>/results.json (Gradescope's results format)
  --extra-suites DIR   instructor-only vitest files (<exercise>.<name>.test.ts) added to the grading
  --timeout S          time limit per submission in seconds (default 600)
  --memory MB          memory limit per submission (default 1536)
  --isolation LEVEL    auto (default), sandbox (fail if unavailable) or basic
  --keep               keep each submission's graded copy (for looking into a strange result)

Exit code: 0 when every submission has a row (graded or with the reason it could not be), 2 for bad usage.`;

/** What a submission's grade uses besides its learner code: the grader, vitest, the tools (MB). */
const GRADER_MB = 400;

/** Submissions side by side by default: one per core, as many as the free memory holds at their limit. */
export function defaultJobs(memoryMb: number, cores = availableParallelism(), freeBytes = freemem()): { jobs: number; why: string } {
  const fit = Math.max(1, Math.floor(freeBytes / 1024 / 1024 / (memoryMb + GRADER_MB)));
  return fit < cores ? { jobs: fit, why: `${Math.round(freeBytes / 1024 / 1024)} MB free holds ${fit} at ${memoryMb} + ${GRADER_MB} MB each` } : { jobs: cores, why: `one per core` };
}

const positiveInt = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new WorkbookError('USAGE', `${name} needs a whole number above 0, got "${value}"`);
  return n;
};

export async function classCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        section: { type: 'string', multiple: true, default: [] },
        jobs: { type: 'string' },
        format: { type: 'string' },
        'extra-suites': { type: 'string' },
        timeout: { type: 'string' },
        memory: { type: 'string' },
        isolation: { type: 'string', default: 'auto' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new WorkbookError('USAGE', `${(error as Error).message}\n\n${CLASS_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(CLASS_USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new WorkbookError('USAGE', `Give one folder of submissions, e.g. npm run grade -- class submissions/ (got ${positionals.length ? positionals.join(' ') : 'none'})\n\n${CLASS_USAGE}`);
  const classDir = path.resolve(positionals[0]!);
  if (!existsSync(classDir) || !statSync(classDir).isDirectory()) throw new WorkbookError('TARGET_MISSING', `There is no folder ${classDir} to grade.`);
  if (values.format !== undefined && values.format !== 'gradescope') throw new WorkbookError('USAGE', `--format can only be gradescope here (the gradebook is always written), got "${values.format}"`);
  if (!['auto', 'sandbox', 'basic'].includes(values.isolation)) throw new WorkbookError('USAGE', `--isolation is auto, sandbox or basic, got "${values.isolation}"`);
  const extraSuites = values['extra-suites'] && path.resolve(values['extra-suites']);
  if (extraSuites && !(existsSync(extraSuites) && statSync(extraSuites).isDirectory())) throw new WorkbookError('USAGE', `--extra-suites needs a folder, and ${extraSuites} is not one`);
  const out = path.resolve(values.out ?? `${classDir.replace(/[\\/]+$/, '')}-grades`);
  if (!path.relative(classDir, out).startsWith('..')) throw new WorkbookError('USAGE', `--out must be outside the submissions folder (${out} is inside ${classDir})`);

  const course = loadCourse();
  // Bad extra suites are the instructor's to fix: refused here, before any learner is graded.
  const extras = extraSuites ? await loadExtraSuites(course, extraSuites) : undefined;
  const selectors = values.section;
  const selected = selectExercises(course, selectors).flatMap((s) => s.exercises); // unknown ids fail here, before anything runs
  const points = new Map(selected.flatMap((e) => e.criteria.map((c) => [c.id, c.points] as const)));
  const extraPoints = extraCriterionPoints(extras?.files.filter((f) => selected.some((e) => e.id === f.exercise)) ?? []);
  const memoryMb = positiveInt('--memory', values.memory, 1536);
  const sized = defaultJobs(memoryMb);
  const jobs = positiveInt('--jobs', values.jobs, sized.jobs);
  let isolation;
  try {
    isolation = detectIsolation(PROJECT_ROOT, values.isolation as IsolationLevel | 'auto');
  } catch (error) {
    throw new WorkbookError('USAGE', (error as Error).message);
  }
  const submissions = findSubmissions(classDir);
  if (submissions.length === 0) throw new WorkbookError('TARGET_MISSING', `${classDir} has no sub-folders: put each learner's submission in a folder of its own.`);
  checkOutFolder(out); // the last check, and before anyone is graded

  // What a class run killed before its end left behind goes first: its user ids' processes, its
  // limit groups and its copies.
  if (isolation.level === 'sandbox') {
    sweepStaleUids();
    sweepStaleGroups(isolation.cgroups);
  }
  sweepOrphans([CLASS_MARK, RUN_MARK_ENV]);
  sweepStaleClassCopies();
  const token = randomBytes(4).toString('hex');
  const workRoot = makeWorkDir(`class-${token}`); // removed at the end, also after Ctrl-C
  chmodSync(workRoot, 0o755); // each submission's own user must reach its copy inside
  writeFileSync(path.join(workRoot, OWNER_FILE), `${process.pid}\n`);
  // At the basic level the copies share a private copy of the packages, checked after each submission.
  const packages = isolation.level === 'basic' ? privatePackages(PROJECT_ROOT, workRoot) : undefined;
  const ctx: ClassContext = {
    ...(packages && { packages: packages.dir }),
    projectRoot: PROJECT_ROOT,
    course,
    selectors,
    workRoot,
    isolation,
    timeoutS: positiveInt('--timeout', values.timeout, 600),
    memoryMb,
    token,
    keepCopies: values.keep,
    points,
    extraPoints,
    ...(extraSuites && { extraSuites }),
  };
  console.error(`Grading ${submissions.length} submission(s) from ${classDir}, ${Math.min(jobs, submissions.length)} at a time${values.jobs === undefined ? ` (${sized.why})` : ''}; isolation: ${isolation.level} (${isolation.reason}).`);
  const titles = exerciseTitles(course);
  const bar = progressBar(submissions.length);
  const results: Array<SubmissionResult | undefined> = new Array(submissions.length);
  const write = () => writeOutputs(out, results.filter((r): r is SubmissionResult => r !== undefined), selectors, isolation, titles, values.format === 'gradescope', ctx);
  try {
    await mapLimit(submissions, jobs, async (submission, index) => {
      bar.started(submission.learner);
      const result = await gradeGuarded(submission, index, ctx, packages);
      results[index] = result;
      write();
      const summary = result.report?.summary;
      bar.finished(submission.learner, `${submission.learner}: ${result.status === 'graded' && summary ? `${summary.points}/${summary.max_points} points` : `not graded (${result.error?.split('\n')[0]})`} in ${(result.duration_ms / 1000).toFixed(1)} s`);
    });
  } finally {
    if (!values.keep) removeDir(workRoot);
    else {
      rmSync(path.join(workRoot, OWNER_FILE), { force: true }); // kept on purpose: never swept
      keepWorkDir(workRoot);
    }
  }
  bar.end();
  if (values.keep) console.error(`The graded copies are kept in ${workRoot} (one folder per submission).`);
  console.error(`Gradebook: ${path.join(out, 'gradebook.csv')} (and gradebook.json, feedback/)`);
  return 0;
}

/** --out must be a folder that can be written (created if missing): checked before anyone is graded. */
function checkOutFolder(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new WorkbookError('USAGE', `--out names ${out}, which is a file, not a folder: name a folder for gradebook.csv, gradebook.json and feedback/`);
  try {
    mkdirSync(out, { recursive: true });
    const probe = path.join(out, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new WorkbookError('USAGE', `--out ${out} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function writeOutputs(out: string, results: SubmissionResult[], selectors: string[], isolation: ClassContext['isolation'], titles: Map<string, string>, gradescope: boolean, ctx: ClassContext): void {
  const columns = gradebookColumns(ctx.course, selectors, results);
  // A learner's own files first: one that cannot be written becomes that learner's error row.
  for (const result of results) {
    try {
      writeFileAtomic(path.join(out, 'feedback', `${result.learner}.md`), feedbackMarkdown(result, columns, titles));
      if (gradescope) {
        const file = path.join(out, 'gradescope', result.learner, 'results.json');
        const body = result.report ? toGradescope(result.report, titles) : gradescopeNotGraded(result.error ?? 'unknown reason', columns.reduce((sum, c) => sum + c.max_points, 0));
        // What was left out of the submission (links, special files, config) is said up front.
        if (result.ignored.length) body.output = `${body.output ?? ''}\nLeft out of your submission (never read): ${result.ignored.join(', ')}`.trim();
        writeFileAtomic(file, `${JSON.stringify(body, null, 2)}\n`);
      }
    } catch (error) {
      if (result.status === 'graded') result.notes.push(`its feedback could not be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      result.status = 'error';
      result.error ??= `its feedback could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the points are in gradebook.json`;
    }
  }
  writeFileAtomic(path.join(out, 'gradebook.csv'), gradebookCsv(results, columns));
  writeFileAtomic(path.join(out, 'gradebook.json'), `${JSON.stringify(gradebookJson(results, columns, selectors, isolation), null, 2)}\n`);
}

/** Names the class run that owns a work folder, so that a later run can tell a leftover. */
const OWNER_FILE = '.owner';

/** Copies of a class run that was killed before it could remove them (its owner is gone). */
function sweepStaleClassCopies(): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(WORK_ROOT).filter((d) => d.startsWith('class-'));
  } catch {
    return;
  }
  for (const dir of entries) {
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(WORK_ROOT, dir, OWNER_FILE), 'utf8').trim());
    } catch {
      continue; // not ours to judge (kept with --keep, or still being laid out)
    }
    if (isAlive(owner)) continue; // still running
    rmSync(path.join(WORK_ROOT, dir), { recursive: true, force: true, maxRetries: 3 });
  }
}

/** One submission, graded again when the packages were changed while it was graded (by it or by one
 * graded beside it): the change is undone first. A submission that changes them again gets an error
 * row; when the project's own packages were changed there is nothing to restore them from. */
async function gradeGuarded(submission: Submission, index: number, ctx: ClassContext, packages: PrivatePackages | undefined): Promise<SubmissionResult> {
  if (!packages) return gradeSubmission(submission, index, ctx);
  const changes: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const generation = packages.generation();
    const result = await gradeSubmission(submission, index, ctx, attempt);
    const check = packages.check();
    if ('projectChanged' in check) {
      return { ...result, status: 'error', report: undefined, error: "the workbook's own installed packages were changed while this submission was graded, so its results were discarded: reinstall them (npm ci) and grade again, in the sandbox (see the README's threat model)" };
    }
    if (check.changed) changes.push(check.file);
    if (!check.changed && packages.generation() === generation) {
      if (changes.length > 0) result.notes.push(`graded again: the installed packages were changed while it was first graded (${changes[0]}), and were restored`);
      return result;
    }
    if (attempt >= 1) {
      return { ...result, status: 'error', report: undefined, error: `the installed packages were changed while this submission was graded (${changes.at(-1) ?? 'a file'}), again after they were restored, so its results were discarded` };
    }
  }
}
