// An instructor's extra suites (WORKBOOK_EXTRA_SUITES) are graded with the hidden ones and reported
// after the course's criteria of their exercise; bad input is refused before anything is graded.
// Also here: WORKBOOK_JOBS, the other grade setting read from the environment.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { WorkbookError } from '../../errors.js';
import type { CriterionResult, Report } from '../../report/results.js';
import { EXTRA_HINT, listExtraCriteria } from '../../run/extra-suites.js';
import { grade, jobLimit } from '../../run/grade.js';
import { PROJECT_ROOT } from '../../paths.js';

const run = promisify(execFile);
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/extra-suites');
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fixture folder as an instructor would have it: outside the project, its suites named *.test.ts. */
function extraFolder(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `workbook-extra-${name}-`));
  made.push(dir);
  for (const file of readdirSync(path.join(FIXTURES, name))) {
    cpSync(path.join(FIXTURES, name, file), path.join(dir, file.replace(/\.suite\.ts$/, '.test.ts')));
  }
  return dir;
}

async function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const byId = (report: Report): Map<string, CriterionResult> => new Map(report.sections.flatMap((s) => s.criteria).map((c) => [c.id, c]));
const course = loadCourse();
const manifestIds = (exercise: string): string[] => course.sections.flatMap((s) => s.exercises).find((e) => e.id === exercise)!.criteria.map((c) => c.id);

describe('extra suites, graded', () => {
  const good = extraFolder('good');

  it('on the solutions: each extra criterion after the course\'s own, with its points; a file that does not load is one error line', async () => {
    const { code, stdout, stderr } = await cli({ WORKBOOK_EXTRA_SUITES: good }, 'grade', 'A.1', 'A.2', '--solutions', '--json');
    expect(code, stderr).toBe(1); // the file that does not load cannot be graded
    const report = JSON.parse(stdout) as Report;
    expect(report.sections.map((s) => s.id)).toEqual(['A']);
    expect(report.sections[0]!.criteria.map((c) => c.id)).toEqual([
      ...manifestIds('A.1'),
      'A.1.extra-exports',
      'A.1.extra-p90-of-ten',
      'A.1.extra:A.1.not-loading.test.ts',
      ...manifestIds('A.2'),
      'A.2.extra-one-day',
    ]);
    const c = byId(report);
    for (const id of [...manifestIds('A.1'), ...manifestIds('A.2')]) expect(c.get(id)?.status, id).toBe('pass');
    expect(c.get('A.1.extra-exports')).toMatchObject({ exercise: 'A.1', kind: 'unit', title: 'percentile and summarize are functions', status: 'pass', points: 1, max_points: 1 });
    expect(c.get('A.1.extra-p90-of-ten')).toMatchObject({ exercise: 'A.1', kind: 'unit', title: 'the 90th percentile of 1..10 is 9', status: 'pass', points: 3, max_points: 3 });
    expect(c.get('A.2.extra-one-day')).toMatchObject({ exercise: 'A.2', kind: 'unit', title: '99.9 % over one day leaves 1.44 minutes', status: 'pass', points: 2, max_points: 2 });
    const broken = c.get('A.1.extra:A.1.not-loading.test.ts')!;
    // Worth what its criterion (2 points in points.json) would have been worth: the total does not shrink.
    expect(broken).toMatchObject({ exercise: 'A.1', kind: 'unit', status: 'error', points: 0, max_points: 2, hint: EXTRA_HINT });
    expect(broken.message).toMatch(/A\.1\.not-loading\.test\.ts could not be loaded: .*this extra suite fails as it loads/s);
    expect(broken.message).not.toMatch(/\n\s+at /);
    expect(report.summary).toEqual({ pass: 10, fail: 0, error: 1, skipped: 0, points: 13, max_points: 15 });
  });

  it('on the stubs: the extra check that needs a working percentile() fails, with the instructor hint', async () => {
    const { stdout, stderr } = await cli({ WORKBOOK_EXTRA_SUITES: good }, 'grade', 'A.1', '--target', path.join(PROJECT_ROOT, 'exercises'), '--json');
    const c = byId(JSON.parse(stdout) as Report);
    expect(c.get('A.1.extra-exports')?.status, stderr).toBe('pass');
    expect(c.get('A.1.extra-p90-of-ten')).toMatchObject({ status: 'fail', points: 0, max_points: 3, hint: EXTRA_HINT });
    expect(c.get('A.1.extra-p90-of-ten')?.message).toMatch(/percentile is not written yet/);
    expect(c.get('A.1.extra:A.1.not-loading.test.ts')?.status).toBe('error');
    for (const id of manifestIds('A.1')) expect(c.get(id)?.status, id).toBe('fail');
  });

  it('the text report shows them too, and without the variable nothing changes', async () => {
    const withExtras = await cli({ WORKBOOK_EXTRA_SUITES: good }, 'grade', 'A.2', '--solutions');
    expect(withExtras.stdout).toContain('99.9 % over one day leaves 1.44 minutes');
    const { code, stdout } = await cli({ WORKBOOK_EXTRA_SUITES: '' }, 'grade', 'A.2', '--solutions', '--json');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Report).sections[0]!.criteria.map((c) => c.id)).toEqual(manifestIds('A.2'));
  });

  it('listExtraCriteria lists what a folder defines, with points', async () => {
    const list = await listExtraCriteria(good);
    expect(list.map(({ id, exercise, file, points }) => ({ id, exercise, file, points }))).toEqual([
      { id: 'A.1.extra-exports', exercise: 'A.1', file: 'A.1.extra.test.ts', points: 1 },
      { id: 'A.1.extra-p90-of-ten', exercise: 'A.1', file: 'A.1.extra.test.ts', points: 3 },
      { id: 'A.1.extra-never-runs', exercise: 'A.1', file: 'A.1.not-loading.test.ts', points: 2 },
      { id: 'A.2.extra-one-day', exercise: 'A.2', file: 'A.2.extra.test.ts', points: 2 },
    ]);
  });
});

describe('extra suites, bad input', () => {
  const solutions = { dir: path.join(PROJECT_ROOT, 'solutions'), label: 'solutions', release: () => {} };

  it.each([
    ['bad-prefix', /Z\.9\.extra\.test\.ts .*starts with "Z\.9", which is not an exercise of the course/],
    ['bad-id', /A\.1\.wrong-id\.test\.ts .*has describe\('A\.2\.extra-elsewhere'\): a criterion id of this file must be A\.1\.<name>/],
    ['clash', /A\.1\.clash\.test\.ts .*has describe\('A\.1\.validation'\), which is already a criterion of the course/],
    ['bad-points', /points\.json gives A\.1\.extra-fine 0 points: points must be a whole number of 1 or more/],
    ['unknown-points', /points\.json gives points to A\.1\.extra-typo, but no extra suite .* has describe\('A\.1\.extra-typo'/],
    ['bad-json', /points\.json is not valid JSON/],
  ])('%s is a usage error, before anything is graded', async (name, message) => {
    const started = performance.now();
    const error = await grade({ course, selectors: ['A.1'], target: solutions, extraSuites: extraFolder(name) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkbookError);
    expect((error as WorkbookError).code).toBe('USAGE');
    expect((error as WorkbookError).message).toMatch(/^WORKBOOK_EXTRA_SUITES: /);
    expect((error as WorkbookError).message).toMatch(message);
    expect(performance.now() - started, 'refused without grading').toBeLessThan(3000);
  });

  it('a file name without an exercise id, and a folder that is not there, are usage errors too', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workbook-extra-unnamed-'));
    made.push(dir);
    cpSync(path.join(FIXTURES, 'bad-points/A.1.ok.suite.ts'), path.join(dir, 'checks.test.ts'));
    await expect(listExtraCriteria(dir)).rejects.toThrow(/the file name checks\.test\.ts .* must be <exercise-id>\.<name>\.test\.ts/);
    await expect(listExtraCriteria(path.join(dir, 'nope'))).rejects.toThrow(/nope is not a folder/);
  });

  it('the command line exits 2 with the message and no stack trace', async () => {
    const { code, stdout, stderr } = await cli({ WORKBOOK_EXTRA_SUITES: extraFolder('clash') }, 'grade', 'A.1', '--solutions', '--json');
    expect(code).toBe(2);
    expect(stderr).toMatch(/error \[USAGE\]: WORKBOOK_EXTRA_SUITES: A\.1\.clash\.test\.ts .*already a criterion of the course/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});

describe('WORKBOOK_JOBS', () => {
  it('overrides how many checks run side by side; unset, one per core and at least two', () => {
    expect(jobLimit({ WORKBOOK_JOBS: '1' })).toBe(1);
    expect(jobLimit({ WORKBOOK_JOBS: ' 6 ' })).toBe(6);
    expect(jobLimit({})).toBeGreaterThanOrEqual(2);
    expect(jobLimit({ WORKBOOK_JOBS: '' })).toBeGreaterThanOrEqual(2);
  });

  it.each(['0', '-1', '1.5', 'two', '1e3', '99999999999999999999'])('"%s" is a usage error', (value) => {
    expect(() => jobLimit({ WORKBOOK_JOBS: value })).toThrow(WorkbookError);
    expect(() => jobLimit({ WORKBOOK_JOBS: value })).toThrow(/WORKBOOK_JOBS must be a whole number of 1 or more/);
  });

  it('a grade with WORKBOOK_JOBS=1 passes the solutions; a bad value exits 2 before grading', async () => {
    const one = await cli({ WORKBOOK_JOBS: '1' }, 'grade', 'A', '--solutions', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect((JSON.parse(one.stdout) as Report).summary.fail).toBe(0);
    const bad = await cli({ WORKBOOK_JOBS: 'lots' }, 'grade', 'A.1', '--solutions');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error \[USAGE\]: WORKBOOK_JOBS must be a whole number of 1 or more .*not "lots"/);
  });
});
