// Grades one learner's submission: a copy laid out with our grader, a grader process of its own
// (inside the sandbox where there is one), a time limit, a memory limit, and afterwards every
// process it started is gone, whatever it did.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Course } from '../course/schema.js';
import { killGroup, adoptGroup } from '../processes.js';
import { cleanError } from '../report/clean.js';
import { scoreReport, type Report } from '../report/results.js';
import { changedGraderFiles, fingerprint, prepareCopy, type PreparedCopy, type Submission } from './submissions.js';
import { createRunGroup } from '../sandbox/cgroups.js';
import { atExit, killMarked, markedMemory, ownedMarkerValue, trackMarker } from '../sandbox/marker.js';
import { SANDBOX_ENV, type SandboxSpec } from '../sandbox/runner.js';
import { allocateUid, type HeldUid } from '../sandbox/uids.js';
import { basicCommand, namespaceCommand, type Isolation } from './sandbox.js';

/** The marker every process of one submission's grade carries. */
export const CLASS_MARK = 'WORKBOOK_CLASS_MARK';

export interface ClassContext {
  projectRoot: string;
  course: Course;
  selectors: string[];
  workRoot: string;
  isolation: Isolation;
  timeoutS: number;
  memoryMb: number;
  extraSuites?: string;
  /** The points of every criterion the selection must report (from the manifest). */
  points: Map<string, number>;
  /** The points of the criteria an instructor's extra suites may add (read from them up front). */
  extraPoints: Map<string, number>;
  /** At the basic level: the class run's private copy of the packages, checked after each submission. */
  packages?: string;
  /** Unique to this batch: part of every submission's process marker. */
  token: string;
  keepCopies: boolean;
}

export interface SubmissionResult {
  learner: string;
  /** The submission folder's exact name. */
  folder: string;
  status: 'graded' | 'error';
  /** Why the submission could not be graded (status error). */
  error?: string;
  report?: Report;
  /** The learner's files left out because the grader's own are used. */
  ignored: string[];
  /** What the grader had to do to this submission: limits hit, processes it left behind. */
  notes: string[];
  duration_ms: number;
}

const MAX_REPORT_BYTES = 32 * 1024 * 1024;

export async function gradeSubmission(submission: Submission, index: number, ctx: ClassContext, attempt = 0): Promise<SubmissionResult> {
  const started = performance.now();
  const done = (partial: Omit<SubmissionResult, 'learner' | 'folder' | 'duration_ms' | 'ignored' | 'notes'> & Partial<SubmissionResult>): SubmissionResult => ({
    learner: submission.learner,
    folder: submission.folder,
    ignored: [],
    notes: [],
    ...partial,
    duration_ms: Math.round(performance.now() - started),
  });
  if (!submission.exercises) return done({ status: 'error', error: `not graded: ${submission.problem ?? 'no exercises found'}` });

  const root = path.join(ctx.workRoot, `${String(index).padStart(3, '0')}-${submission.learner}${attempt > 0 ? `-again${attempt}` : ''}`);
  let held: HeldUid | undefined;
  try {
    // A user id no other run on this machine holds right now (two class runs at once included).
    if (ctx.isolation.level === 'sandbox') held = allocateUid();
    let copy;
    try {
      copy = prepareCopy(ctx.projectRoot, submission.exercises, root, { ...(ctx.extraSuites && { extraSuites: ctx.extraSuites }), ...(held && { uid: held.uid }), ...(ctx.packages && { packages: ctx.packages }) });
    } catch (error) {
      return done({ status: 'error', error: `cannot be graded: ${(error as Error).message}` });
    }
    const run = await runGrader(ctx, index, copy, held?.uid);
    const notes = [...run.notes];
    if (fingerprint(root) !== copy.fingerprint) {
      const changed = changedGraderFiles(ctx.projectRoot, root).slice(0, 5);
      return done({ status: 'error', ignored: copy.ignored, notes, error: `the submission changed the grader's files in its copy (${changed.join(', ') || 'grader files'}), so its results were discarded` });
    }
    if (run.timedOut) return done({ status: 'error', ignored: copy.ignored, notes, error: `grading did not finish within ${ctx.timeoutS} s (the time limit per submission), so it was stopped` });
    const checked = run.exitCode === 0 || run.exitCode === 1 ? readReport(run.stdout, ctx) : { error: `the grader did not finish its report (exit ${run.exitCode ?? 'by a signal'})` };
    if ('error' in checked) {
      const tail = cleanError(run.stderr).split('\n').slice(-6).join('\n');
      return done({ status: 'error', ignored: copy.ignored, notes, error: `${checked.error}${tail ? `\n${tail}` : ''}` });
    }
    return done({ status: 'graded', report: checked.report, ignored: copy.ignored, notes });
  } finally {
    held?.release();
    if (!ctx.keepCopies) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

interface GraderRun {
  /** The grader's exit code: 0 or 1 after a grade; anything else means it did not finish its report. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  notes: string[];
}

function runGrader(ctx: ClassContext, index: number, copy: PreparedCopy, uid: number | undefined): Promise<GraderRun> {
  const root = copy.root;
  // Owner first: a later run finds what this one left if it is killed (sweepOrphans).
  const marker = `${CLASS_MARK}=${ownedMarkerValue(`${ctx.token}-${index}`)}`;
  const argv = [process.execPath, '--import', 'tsx', path.join(root, 'grader/cli/main.ts'), 'grade', ...ctx.selectors, '--target', copy.exercises, '--json'];
  const heapMb = Math.max(256, Math.min(1024, Math.floor(ctx.memoryMb / 2)));
  const cgroup = uid !== undefined && ctx.isolation.cgroups !== 'none' ? createRunGroup(ctx.isolation.cgroups, String(uid), { memoryMb: ctx.memoryMb, maxProcesses: 512 }) : undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: process.env.LANG ?? 'C.UTF-8',
    HOME: path.join(root, '.grader-work'),
    // Temporary files stay in the copy (and go with it).
    TMPDIR: path.join(root, '.grader-work', 'tmp'),
    WORKBOOK_WORK_ROOT: path.join(root, '.grader-work'),
    WORKBOOK_PROGRESS_FILE: path.join(root, '.grader-work', 'progress.json'),
    WORKBOOK_REFERENCE_DIR: path.join(root, 'grader/reference'),
    WORKBOOK_JOBS: '1',
    // Checks that measure under load run one submission at a time (grader/run/machine-lock.ts).
    WORKBOOK_LOCK_DIR: ctx.workRoot,
    NODE_OPTIONS: `--max-old-space-size=${heapMb}`,
    FORCE_COLOR: '0',
    [marker.split('=')[0]!]: marker.split('=')[1],
    ...(ctx.extraSuites && { WORKBOOK_EXTRA_SUITES: path.join(root, 'grader/extra-suites') }),
    ...(uid !== undefined && { [SANDBOX_ENV]: JSON.stringify(sandboxSpec(ctx, copy, uid, cgroup?.procs ?? [])) }),
  };
  const command = ctx.isolation.level === 'sandbox' ? namespaceCommand(argv) : basicCommand(argv);
  // Also on Ctrl-C or SIGTERM of the class command: its children are killed first, then the group goes.
  const forget = cgroup ? atExit(cgroup.remove) : () => {};
  const notes: string[] = [];
  const untrack = trackMarker(marker);

  return new Promise((resolve) => {
    const child = spawn(command.file, command.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    adoptGroup(child.pid, (listener) => child.once('exit', listener));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_REPORT_BYTES) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-16_000);
    });
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      killMarked(marker);
    }, ctx.timeoutS * 1000);
    // Without a cgroup, a watchdog keeps the submission's processes under the memory limit: the
    // largest is stopped (as the kernel's OOM killer would), so the rest of the grade goes on.
    const watchdog = cgroup?.procs.length
      ? undefined
      : setInterval(() => {
          const { totalMb, largest } = markedMemory(marker);
          if (totalMb > ctx.memoryMb && largest !== undefined) {
            notes.push(`used more than ${ctx.memoryMb} MB of memory: its largest process was stopped`);
            try {
              process.kill(largest, 'SIGKILL');
            } catch {
              // gone
            }
          }
        }, 250);
    child.once('error', (error) => {
      stderr += `\n${error.message}`;
    });
    child.once('close', (exitCode) => {
      clearTimeout(deadline);
      if (watchdog) clearInterval(watchdog);
      killGroup(child.pid);
      const left = killMarked(marker);
      untrack();
      if (left > 0) notes.push(`left ${left} process(es) running after its grade; they were stopped`);
      cgroup?.remove();
      forget();
      resolve({ exitCode, stdout, stderr, timedOut, notes: [...new Set(notes)] });
    });
  });
}

/** The child's report, checked against the manifest and the extra suites; points always come from them. */
function readReport(stdout: string, ctx: ClassContext): { report: Report } | { error: string } {
  if (stdout.trim() === '') return { error: 'the grader produced no report for this submission' };
  let report: Report;
  try {
    // The whole output must be the one report: anything written into the grader's output by the
    // submission makes it unreadable rather than believed.
    report = JSON.parse(stdout) as Report;
  } catch {
    return { error: 'the grader\'s report for this submission could not be read' };
  }
  if (report?.schema !== 1 || !Array.isArray(report.sections)) return { error: 'the grader\'s report for this submission is not a results-schema-1 report' };
  const error = scoreReport(report, new Map([...ctx.extraPoints, ...ctx.points]), ctx.points.keys());
  if (error) return { error };
  return { report };
}

/** What the learner's code sees in the sandbox: its exercises, the copy's settings, the installed
 * packages and the service launcher (read-only), a private size-limited scratch folder (writable);
 * the grader's suites, the reference and extra suites, the grader's own scratch files, the other
 * copies and everything else on the machine stay hidden. */
function sandboxSpec(ctx: ClassContext, copy: PreparedCopy, uid: number, cgroupProcs: string[]): SandboxSpec {
  const root = copy.root;
  return {
    uid,
    mounts: [
      ['ro', root],
      ['hide', path.join(root, 'grader')],
      ['hide', path.join(root, '.grader-work')],
      ['ro', path.join(root, 'grader/live/launch.ts')],
      ['ro', path.join(root, 'grader/live/slo-generator-runner.ts')],
      ['ro', path.join(ctx.projectRoot, 'node_modules')],
      ['tmpfs', copy.scratch],
    ],
    tmpfsMb: 256,
    scratch: copy.scratch,
    exchange: copy.exchange,
    cgroupProcs,
  };
}
