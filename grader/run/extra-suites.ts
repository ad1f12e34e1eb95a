// Instructor-only extra suites: WORKBOOK_EXTRA_SUITES names a folder of hidden vitest files the learners
// never saw, `<exercise-id>.<name>.test.ts` (e.g. B.3.gzip.test.ts), written like grader/suites: they
// import learner code through `@target/...`, and each top-level `describe('<criterion-id>', ...)` is
// one criterion whose id starts with the exercise id and a dot (B.3.extra-gzip). An optional
// points.json in the folder maps criterion ids to points (1 when not given).
//
// The folder is checked before anything is graded: the criteria of each file are read from its source
// (the top-level describe calls, whose titles must be plain strings), so a bad name, a foreign id or a
// clash with the course is a usage error, never half a report. Each exercise's extra files then run in
// one vitest run with the hidden suites' own config (grader/suites/vitest.config.ts takes the folder
// into its `include` when the variable is set).
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Course, Exercise } from '../course/schema.js';
import { loadCourse } from '../course/load.js';
import { WorkbookError } from '../errors.js';
import { cleanError } from '../report/clean.js';
import { gradingError, type Verdict } from '../report/results.js';
import { SUITE_CONFIG, SUITE_TIMEOUT_MS, unfinishedRun, verdictOfTests } from './suites.js';
import { runVitest, type VitestRun } from '../live/vitest-json.js';

export const EXTRA_SUITES_ENV = 'WORKBOOK_EXTRA_SUITES';
export const EXTRA_HINT = "an instructor's extra check";
export const POINTS_FILE = 'points.json';

const FILE_NAME = /^([A-Z]\.\d+)\.(.+)\.test\.ts$/;
/** What may follow `<exercise-id>.` in an extra criterion id. */
const ID_REST = /^[A-Za-z0-9][\w.-]*$/;

export interface ExtraCriterion {
  id: string;
  exercise: string;
  /** The file's name inside the folder. */
  file: string;
  /** The name of the describe's first test, as written in the source (when it is a plain string). */
  firstTest?: string;
  points: number;
}

export interface ExtraFile {
  exercise: string;
  name: string;
  /** Absolute path. */
  path: string;
  criteria: ExtraCriterion[];
  /** Set when the source could not be parsed: its criteria are unknown until it runs (it will not load). */
  parseError?: string;
}

export interface ExtraSuites {
  /** The folder, absolute (symbolic links resolved, as vitest reports paths). */
  dir: string;
  files: ExtraFile[];
}

/** One criterion of a graded extra suite, ready for the report. */
export interface ExtraResult {
  id: string;
  exercise: string;
  title: string;
  points: number;
  verdict: Verdict;
}

const usage = (message: string): WorkbookError => new WorkbookError('USAGE', `${EXTRA_SUITES_ENV}: ${message}`);

/** The folder named by WORKBOOK_EXTRA_SUITES, or undefined when it is unset or empty. */
export function extraSuitesDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[EXTRA_SUITES_ENV]?.trim();
  return value ? value : undefined;
}

// ---- reading the source: the top-level describe calls ----

interface AstNode {
  type: string;
  start: number;
  [key: string]: unknown;
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** The name a call is made through: `describe`, `describe.skip`, `it.only` → describe, describe, it. */
function calleeRoot(callee: unknown): string | undefined {
  let node = callee;
  while (isNode(node) && (node.type === 'MemberExpression' || node.type === 'CallExpression')) {
    node = node.type === 'MemberExpression' ? node.object : node.callee;
  }
  return isNode(node) && node.type === 'Identifier' ? String(node.name) : undefined;
}

/** A string written out in full ('x', "x" or `x` without ${}), or undefined. */
function plainString(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && Array.isArray(node.expressions) && node.expressions.length === 0) {
    const quasi = (node.quasis as Array<{ value: { cooked: string | null } }>)[0];
    return quasi?.value.cooked ?? undefined;
  }
  return undefined;
}

/** The first it()/test() with a plain-string name under `node`, in source order. */
function firstTestName(node: unknown): string | undefined {
  let best: { start: number; name: string } | undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isNode(value)) return;
    if (value.type === 'CallExpression' && ['it', 'test'].includes(calleeRoot(value.callee) ?? '')) {
      const name = plainString((value.arguments as unknown[])[0]);
      if (name !== undefined && (!best || value.start < best.start)) best = { start: value.start, name };
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'type' && typeof child === 'object') visit(child);
  };
  visit(node);
  return best?.name;
}

interface DescribeCall {
  title: string | undefined;
  firstTest: string | undefined;
}

/** The describe()/suite() calls that are statements of their own at the top of the file. */
async function topLevelDescribes(file: string, source: string): Promise<{ calls: DescribeCall[] } | { error: string }> {
  const { parseSync } = await import('vite');
  const parsed = parseSync(path.basename(file), source);
  if (parsed.errors.length) return { error: parsed.errors.map((e) => e.message).join('; ') };
  const calls: DescribeCall[] = [];
  for (const statement of parsed.program.body as unknown as AstNode[]) {
    let expression = statement.type === 'ExpressionStatement' ? (statement.expression as unknown) : undefined;
    if (isNode(expression) && expression.type === 'AwaitExpression') expression = expression.argument;
    if (!isNode(expression) || expression.type !== 'CallExpression') continue;
    if (!['describe', 'suite'].includes(calleeRoot(expression.callee) ?? '')) continue;
    // describe.each(table)(...) names its suites at run time: no id can be known up front.
    const direct = isNode(expression.callee) && expression.callee.type !== 'CallExpression';
    const args = expression.arguments as unknown[];
    calls.push({ title: direct ? plainString(args[0]) : undefined, firstTest: firstTestName(args.slice(1)) });
  }
  return { calls };
}

// ---- checking the folder ----

function readPoints(dir: string, exists: boolean): Map<string, number> {
  const points = new Map<string, number>();
  if (!exists) return points;
  const file = path.join(dir, POINTS_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw usage(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw usage(`${file} must be one JSON object mapping criterion ids to points, like {"B.3.extra-gzip": 2}`);
  }
  for (const [id, value] of Object.entries(data)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw usage(`${file} gives ${id} ${JSON.stringify(value)} points: points must be a whole number of 1 or more`);
    }
    points.set(id, value);
  }
  return points;
}

/**
 * Reads and checks an extra-suites folder against the course: every `*.test.ts` file in it must be
 * named `<exercise-id>.<name>.test.ts` after an exercise of the course, and declare its criteria as
 * top-level `describe('<exercise-id>.<name>', ...)` with ids new to the course and to the folder;
 * points.json, when there, must give whole points of 1 or more to criteria the folder defines.
 * Anything else is a WorkbookError('USAGE') naming the file and the value.
 */
export async function loadExtraSuites(course: Course, folder: string): Promise<ExtraSuites> {
  const given = path.resolve(folder);
  let dir: string;
  try {
    if (!statSync(given).isDirectory()) throw new Error('not a folder');
    dir = realpathSync(given);
  } catch {
    throw usage(`${folder} is not a folder (it should name the folder of the instructor's extra suites, e.g. /srv/course/extra-suites)`);
  }
  const exercises = new Map(course.sections.flatMap((s) => s.exercises).map((e) => [e.id, e]));
  const manifestIds = new Set(course.sections.flatMap((s) => s.exercises.flatMap((e) => e.criteria.map((c) => c.id))));
  const entries = readdirSync(dir, { withFileTypes: true });
  const points = readPoints(dir, entries.some((e) => e.name === POINTS_FILE && e.isFile()));

  const files: ExtraFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile() && e.name.endsWith('.test.ts')).sort((a, b) => a.name.localeCompare(b.name))) {
    const name = entry.name;
    const file = path.join(dir, name);
    const match = FILE_NAME.exec(name);
    if (!match) throw usage(`the file name ${name} (in ${dir}) must be <exercise-id>.<name>.test.ts, e.g. B.3.gzip.test.ts`);
    const exercise = match[1]!;
    if (!exercises.has(exercise)) {
      throw usage(`${name} (in ${dir}) starts with "${exercise}", which is not an exercise of the course`);
    }
    const scan = await topLevelDescribes(file, readFileSync(file, 'utf8'));
    if ('error' in scan) {
      files.push({ exercise, name, path: file, criteria: [], parseError: scan.error });
      continue;
    }
    if (scan.calls.length === 0) {
      throw usage(`${name} (in ${dir}) has no top-level describe('${exercise}.<name>', ...): each one is a criterion`);
    }
    const criteria: ExtraCriterion[] = [];
    for (const call of scan.calls) {
      const id = call.title;
      if (id === undefined) {
        throw usage(`${name} (in ${dir}) has a top-level describe whose name is not a plain string: the name is the criterion id, e.g. describe('${exercise}.extra-check', ...)`);
      }
      if (!id.startsWith(`${exercise}.`) || !ID_REST.test(id.slice(exercise.length + 1))) {
        throw usage(`${name} (in ${dir}) has describe('${id}'): a criterion id of this file must be ${exercise}.<name> (letters, digits, - _ .), e.g. ${exercise}.extra-check`);
      }
      if (manifestIds.has(id)) throw usage(`${name} (in ${dir}) has describe('${id}'), which is already a criterion of the course: choose a new id`);
      const other = seen.get(id);
      if (other !== undefined) throw usage(`${name} (in ${dir}) has describe('${id}'), an id ${other === name ? 'it already uses' : `that ${other} uses too`}: each criterion id once`);
      seen.set(id, name);
      criteria.push({ id, exercise, file: name, points: points.get(id) ?? 1, ...(call.firstTest !== undefined && { firstTest: call.firstTest }) });
    }
    files.push({ exercise, name, path: file, criteria });
  }
  // A points.json key that names no criterion is a typo: say so (unless a file that could not be read
  // might define it; that file is reported as not loading).
  const unread = new Set(files.filter((f) => f.parseError !== undefined).map((f) => f.exercise));
  for (const id of points.keys()) {
    if (!seen.has(id) && ![...unread].some((e) => id.startsWith(`${e}.`))) {
      throw usage(`${path.join(dir, POINTS_FILE)} gives points to ${id}, but no extra suite in ${dir} has describe('${id}', ...)`);
    }
  }
  return { dir, files };
}

/** Every extra criterion a folder defines, for other tools (a class report, a syllabus), checked as grade() checks it. */
export async function listExtraCriteria(dir: string, course: Course = loadCourse()): Promise<ExtraCriterion[]> {
  return (await loadExtraSuites(course, dir)).files.flatMap((f) => f.criteria);
}

// ---- grading ----

/** The single criterion that stands for a file whose criteria are unknown because it did not load. */
export function notLoadedId(file: ExtraFile): string {
  return `${file.exercise}.extra:${file.name}`;
}

/** The one line that stands for a file whose criteria did not run because it did not load: worth
 * what its criteria are worth together (1 when they are unknown), so that the total does not shrink. */
function notLoaded(file: ExtraFile, verdict: Verdict): ExtraResult {
  const points = file.criteria.reduce((sum, c) => sum + c.points, 0) || 1;
  return { id: notLoadedId(file), exercise: file.exercise, title: `the extra checks in ${file.name}`, points, verdict };
}

/** Every criterion id a grade can report for these files, with its points: each file's own criteria,
 * and the line that stands for the file when it does not load. */
export function extraCriterionPoints(files: ExtraFile[]): Map<string, number> {
  const points = new Map<string, number>();
  for (const file of files) {
    for (const c of file.criteria) points.set(c.id, c.points);
    const line = notLoaded(file, gradingError(''));
    points.set(line.id, line.points);
  }
  return points;
}

/** The criteria a file contributes when nothing of it ran: one per known id, or the file's own line. */
function withoutRunning(file: ExtraFile, verdict: Verdict): ExtraResult[] {
  if (file.criteria.length === 0) return [notLoaded(file, verdict)];
  return file.criteria.map((c) => ({ id: c.id, exercise: c.exercise, title: c.firstTest ?? c.id, points: c.points, verdict }));
}

/** Results for every extra file of an exercise that was not run (missing files, a service graded by URL). */
export function extraResultsWithout(files: ExtraFile[], verdict: Verdict): ExtraResult[] {
  return files.flatMap((f) => withoutRunning(f, verdict));
}

/** Runs an exercise's extra files against the target in one vitest run. */
export async function runExtraSuites(exercise: Exercise, files: ExtraFile[], dir: string, target: string): Promise<ExtraResult[]> {
  if (files.length === 0) return [];
  const run: VitestRun = await runVitest({
    config: SUITE_CONFIG,
    files: files.map((f) => f.path),
    env: { WORKBOOK_TARGET: target, [EXTRA_SUITES_ENV]: dir },
    timeoutMs: SUITE_TIMEOUT_MS,
  });
  if (run.kind !== 'done') return extraResultsWithout(files, unfinishedRun(run, `the extra tests of ${exercise.id}`, exercise));
  return files.flatMap((file): ExtraResult[] => {
    const result = run.files.find((f) => path.basename(f.file) === file.name);
    const loaded = result !== undefined && !(result.tests.length === 0 && result.message);
    if (!loaded || file.criteria.length === 0) {
      const why = result?.message ? cleanError(result.message) : file.parseError ?? (cleanError(run.stderr) || 'no test ran');
      return [notLoaded(file, gradingError(`the extra suite ${file.name} could not be loaded: ${why}`))];
    }
    return file.criteria.map((c) => {
      const tests = result.tests.filter((t) => t.ancestorTitles[0] === c.id);
      const verdict = tests.length ? verdictOfTests(tests) : gradingError(`no test ran in describe('${c.id}') of ${file.name}`);
      return { id: c.id, exercise: c.exercise, title: tests[0]?.title ?? c.firstTest ?? c.id, points: c.points, verdict };
    });
  });
}
