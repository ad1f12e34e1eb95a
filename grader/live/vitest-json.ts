// Runs vitest in its own process group and reads its JSON report (never its console text).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { markedEnv } from '../sandbox/runner.js';
import { runLight } from '../processes.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../paths.js';

const VITEST = path.join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs');
export const RUN_REPORTER = path.join(PROJECT_ROOT, 'grader/live/run-reporter.ts');

export interface TestCase {
  file: string;
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
}

export interface FileResult {
  file: string;
  status: string;
  /** Set when the file itself failed (it did not load, or an error outside any test). */
  message: string;
  tests: TestCase[];
}

export type VitestRun =
  | { kind: 'done'; files: FileResult[]; numTotalTests: number; stderr: string; /** errors outside any test that nothing caught */ unhandled: string[] }
  | { kind: 'timeout'; timeoutMs: number; /** the test files that had begun and not ended when it was stopped */ running: RunningFile[] }
  | { kind: 'crash'; detail: string };

export interface RunningFile {
  file: string;
  /** How long it had been running when the run was stopped. */
  ms: number;
}

interface JsonReport {
  numTotalTests?: number;
  testResults?: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults?: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages?: string[] }>;
  }>;
}

export async function runVitest(options: {
  config: string;
  files: string[];
  env: Record<string, string>;
  timeoutMs: number;
}): Promise<VitestRun> {
  const work = makeWorkDir('vitest');
  const outputFile = path.join(work, 'report.json');
  try {
    const result = await runLight(
      process.execPath,
      // The young generation of Node.js 20 on every version (newer ones size it to the machine, up to
      // 64 MB a half): memory measured by a suite then means the same on every supported Node.js.
      ['--max-semi-space-size=16', VITEST, 'run', '--config', options.config, '--reporter=json', `--reporter=${RUN_REPORTER}`, `--outputFile.json=${outputFile}`, ...options.files],
      // Marked: learner code runs in its workers, and whatever it starts is stopped with the grader.
      { cwd: PROJECT_ROOT, env: markedEnv({ ...process.env, ...options.env, FORCE_COLOR: '0', CI: '1', WORKBOOK_RUN_DIR: work }), timeoutMs: options.timeoutMs },
    );
    if (result.timedOut) return { kind: 'timeout', timeoutMs: options.timeoutMs, running: stillRunning(work, Date.now()) };
    return readRun(outputFile, work, result.exitCode, result.output);
  } finally {
    removeDir(work);
  }
}

/** The test files of a run (its RUN_REPORTER folder) that had begun and not ended by `at`. */
export function stillRunning(runDir: string, at: number): RunningFile[] {
  let lines: string[];
  try {
    lines = readFileSync(path.join(runDir, 'files.jsonl'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
  const began = new Map<string, number>();
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { began?: string; ended?: string; at?: number };
      if (typeof entry.began === 'string' && typeof entry.at === 'number') began.set(entry.began, entry.at);
      if (typeof entry.ended === 'string') began.delete(entry.ended);
    } catch {
      // a line cut short as the run was stopped
    }
  }
  return [...began].map(([file, since]) => ({ file, ms: at - since }));
}

/** A vitest run that gave no report: killed (`exitCode` null) or ended without one; `output` is what it
 * printed. */
export function crashed(exitCode: number | null, output: string): VitestRun {
  const how = exitCode === null ? 'was killed before it finished (by a memory or process limit, or a crash of the code under test)' : `ended (exit ${exitCode}) without a report`;
  return { kind: 'crash', detail: `vitest ${how}:\n${output.slice(-2000)}`.trimEnd() };
}

/** A finished vitest run as its JSON report and its RUN_REPORTER folder tell it; `output` is what
 * vitest printed (kept for messages), `exitCode` null when it was killed. */
export function readRun(outputFile: string, runDir: string, exitCode: number | null, output: string): VitestRun {
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8')) as JsonReport;
  } catch {
    return crashed(exitCode, output);
  }
  let unhandled: string[] = [];
  try {
    const read: unknown = JSON.parse(readFileSync(path.join(runDir, 'unhandled.json'), 'utf8'));
    if (Array.isArray(read)) unhandled = read.map(String);
  } catch {
    // no unhandled errors were written
  }
  return {
    kind: 'done',
    unhandled,
    numTotalTests: report.numTotalTests ?? 0,
    stderr: output.slice(-4000),
    files: (report.testResults ?? []).map((f) => ({
      file: f.name,
      status: f.status,
      message: f.message ?? '',
      tests: (f.assertionResults ?? []).map((a) => ({
        file: f.name,
        ancestorTitles: a.ancestorTitles,
        title: a.title,
        status: a.status,
        failureMessages: a.failureMessages ?? [],
      })),
    })),
  };
}
