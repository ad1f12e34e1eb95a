// Exports for instructors: Gradescope's results.json, the GitHub Classroom result, the grade command's
// --format and --out, and the Gradescope and Classroom recipes that use them.
import { execFile } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classroomResultBase64, classroomResultSchema, decodeClassroomResult, toClassroom } from '../../report/classroom.js';
import { gradescopeResultsSchema, MAX_OUTPUT_CHARS, toGradescope, type GradescopeResults } from '../../report/gradescope.js';
import { summarize, type CriterionResult, type Report, type SectionResult, type TypecheckResult } from '../../report/results.js';
import { PROJECT_ROOT } from '../../paths.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'workbook-exports-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const titles = new Map([
  ['A.2', 'Error rate and error budgets'],
  ['B.3', 'Instrumenting every request'],
  ['B.6', 'Checking the exposition with promtool'],
]);

function makeReport(sections: SectionResult[]): Report {
  return { schema: 1, target: 'exercises', prometheus: { promtool: false, prometheus: false }, sections, summary: summarize(sections), duration_ms: 4200 };
}

const passing: CriterionResult = { id: 'A.2.error-rate', exercise: 'A.2', title: 'error rate as a fraction', kind: 'unit', status: 'pass', message: 'ok', points: 2, max_points: 2 };
const failing: CriterionResult = {
  id: 'B.3.route-template',
  exercise: 'B.3',
  title: 'the endpoint label is the route template',
  kind: 'live',
  status: 'fail',
  message: 'the endpoint label holds raw URLs',
  expected: 'endpoint="/predict/:id"',
  seen: 'endpoint="/predict/42"',
  hint: 'label with request.routeOptions.url, not request.url',
  points: 0,
  max_points: 3,
};
const errored: CriterionResult = {
  id: 'B.3.counts-every-request',
  exercise: 'B.3',
  title: 'every request is counted once',
  kind: 'live',
  status: 'error',
  message: 'the service did not start: SyntaxError at exercises/B/app.ts:3:1',
  points: 0,
  max_points: 2,
};
const skippedOne: CriterionResult = {
  id: 'B.6.promtool',
  exercise: 'B.6',
  title: 'promtool check metrics accepts /metrics',
  kind: 'prometheus',
  status: 'skipped',
  message: 'promtool is not installed (sudo apt-get install prometheus)',
  points: 0,
  max_points: 1,
};
const typeErrors: TypecheckResult = { status: 'fail', files: 3, message: '1 type error in 3 file(s)', errors: ["exercises/B/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'."] };
const typesOk: TypecheckResult = { status: 'pass', files: 1, message: '1 file(s) type-check', errors: [] };

/** 2 of 8 points: one pass, one fail, one error, one skipped, one section with type errors. */
const mixed = makeReport([
  { id: 'A', title: 'Concepts', criteria: [passing], typecheck: typesOk },
  { id: 'B', title: 'Beginner practice', criteria: [failing, errored, skippedOne], typecheck: typeErrors },
]);

const testNamed = (results: GradescopeResults, id: string) => {
  const test = results.tests.find((t) => t.name.endsWith(`(${id})`));
  if (!test) throw new Error(`no Gradescope test for ${id}`);
  return test;
};

describe('toGradescope', () => {
  const results = toGradescope(mixed, titles);

  it('gives a document that validates, with one test per criterion and per type-check', () => {
    expect(gradescopeResultsSchema.safeParse(results).success).toBe(true);
    expect(results.tests).toHaveLength(4 + 2);
    expect(results.visibility).toBe('visible');
    expect(results.stdout_visibility).toBe('hidden');
    expect(results.tests.every((t) => t.visibility === 'visible')).toBe(true);
    expect(results.execution_time).toBe(4);
  });

  it('scores the points of the passing criteria out of all the points, as the report does', () => {
    expect(results.score).toBe(2);
    expect(results.max_score).toBe(8);
    expect(results.score).toBe(mixed.summary.points);
    expect(results.max_score).toBe(mixed.summary.max_points);
    expect(results.tests.reduce((sum, t) => sum + t.score, 0)).toBe(results.score);
    expect(results.tests.reduce((sum, t) => sum + t.max_score, 0)).toBe(results.max_score);
    expect(results.output).toBe('2/8 points: 1 passed, 1 failed, 1 could not be graded, 1 skipped; your files do not type-check in B.');
  });

  it('names each test by exercise, criterion and id', () => {
    expect(results.tests.map((t) => t.name)).toContain('B.3 Instrumenting every request: the endpoint label is the route template (B.3.route-template)');
    expect(results.tests.map((t) => t.name)).toContain('A.2 Error rate and error budgets: error rate as a fraction (A.2.error-rate)');
  });

  it('tells on a failure what was expected, what was seen, and the hint', () => {
    const test = testNamed(results, 'B.3.route-template');
    expect(test).toMatchObject({ status: 'failed', score: 0, max_score: 3 });
    expect(test.output).toBe(
      'the endpoint label holds raw URLs\nexpected: endpoint="/predict/:id"\nseen:     endpoint="/predict/42"\nhint:     label with request.routeOptions.url, not request.url',
    );
    expect(testNamed(results, 'A.2.error-rate')).toMatchObject({ status: 'passed', score: 2, max_score: 2 });
  });

  it('fails an ungraded or skipped criterion with no points and says why', () => {
    const error = testNamed(results, 'B.3.counts-every-request');
    expect(error).toMatchObject({ status: 'failed', score: 0, max_score: 2 });
    expect(error.output).toBe('could not be graded: the service did not start: SyntaxError at exercises/B/app.ts:3:1');
    const skipped = testNamed(results, 'B.6.promtool');
    expect(skipped).toMatchObject({ status: 'failed', score: 0, max_score: 1 });
    expect(skipped.output).toBe('skipped: promtool is not installed (sudo apt-get install prometheus)');
  });

  it('adds each section’s type-check as a test worth no points', () => {
    const checks = results.tests.filter((t) => t.name.includes('type-check'));
    expect(checks.map((t) => [t.name.slice(0, 2), t.status, t.score, t.max_score])).toEqual([
      ['A ', 'passed', 0, 0],
      ['B ', 'failed', 0, 0],
    ]);
    expect(checks[1]!.output).toContain("error TS2322: Type 'string' is not assignable to type 'number'.");
  });

  it('cuts a very long output and says so', () => {
    const long = toGradescope(makeReport([{ id: 'B', title: 'Beginner practice', criteria: [{ ...failing, seen: 'x'.repeat(50_000) }] }]), titles);
    const output = long.tests[0]!.output;
    expect(output.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
    expect(output).toMatch(/more characters cut\)$/);
    expect(output.startsWith('the endpoint label holds raw URLs\nexpected:')).toBe(true);
  });

  it('has a schema that refuses what Gradescope would not take or what does not add up', () => {
    expect(gradescopeResultsSchema.safeParse({ ...results, tests: [{ ...results.tests[0]!, status: 'pass' }] }).success).toBe(false);
    expect(gradescopeResultsSchema.safeParse({ ...results, score: results.score + 1 }).success).toBe(false);
    expect(gradescopeResultsSchema.safeParse({ ...results, visibility: 'public' }).success).toBe(false);
    const overscored = { ...results.tests[0]!, score: 5, max_score: 2 };
    expect(gradescopeResultsSchema.safeParse({ ...results, score: 5, max_score: 2, tests: [overscored] }).success).toBe(false);
  });
});

describe('toClassroom', () => {
  it('round-trips through base64 as the reporter reads it, with the points out of the total', () => {
    const encoded = classroomResultBase64(mixed, titles);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/); // one line, as a step output needs
    // The reporter: Buffer.from(process.env.GRADE_RESULTS, 'base64') → JSON.parse.
    const decoded: unknown = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(decoded).toEqual(toClassroom(mixed, titles));
    const result = classroomResultSchema.parse(decoded);
    expect(result.version).toBe(1);
    expect(result.status).toBe('fail');
    expect(result.max_score).toBe(8);
    expect(result.tests.reduce((sum, t) => sum + t.score, 0)).toBe(2);
    expect(result.tests).toHaveLength(6);
  });

  it('maps each criterion to pass, fail or error with its message and a command to grade it again', () => {
    const result = toClassroom(mixed, titles);
    const byId = (id: string) => result.tests.find((t) => t.name.endsWith(`(${id})`))!;
    expect(byId('A.2.error-rate')).toMatchObject({ status: 'pass', score: 2, line_no: 0, test_code: 'npm run grade -- A.2' });
    expect(byId('B.3.route-template').status).toBe('fail');
    expect(byId('B.3.route-template').message).toContain('expected: endpoint="/predict/:id"\nseen:     endpoint="/predict/42"\nhint:     label with');
    expect(byId('B.3.counts-every-request')).toMatchObject({ status: 'error', score: 0 });
    expect(byId('B.6.promtool')).toMatchObject({ status: 'fail', score: 0, message: 'skipped: promtool is not installed (sudo apt-get install prometheus)' });
  });

  it('is pass only when everything passes and type-checks, and error when something only could not be graded', () => {
    const allPass = makeReport([{ id: 'A', title: 'Concepts', criteria: [passing], typecheck: typesOk }]);
    expect(decodeClassroomResult(classroomResultBase64(allPass)).status).toBe('pass');
    const onlyError = makeReport([{ id: 'B', title: 'Beginner practice', criteria: [passing, errored], typecheck: typesOk }]);
    expect(toClassroom(onlyError).status).toBe('error');
    const typeErrorsOnly = makeReport([{ id: 'A', title: 'Concepts', criteria: [passing], typecheck: typeErrors }]);
    expect(toClassroom(typeErrorsOnly).status).toBe('fail');
  });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const { GITHUB_OUTPUT: _ignored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...inherited, NO_COLOR: '1', WORKBOOK_PROGRESS_FILE: path.join(scratch, 'progress.json'), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run grade -- --format', () => {
  it('gradescope writes a valid results.json with the full score for the solutions, and still prints the report', async () => {
    const out = path.join(scratch, 'gradescope', 'nested');
    const { code, stdout } = await cli(['grade', 'A.2', '--solutions', '--format', 'gradescope', '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d+ passed, 0 failed/);
    expect(readdirSync(out)).toEqual(['results.json']); // no temporary file left behind
    const results = gradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    expect(results.max_score).toBeGreaterThan(0);
    expect(results.score).toBe(results.max_score);
    expect(results.tests.filter((t) => t.max_score > 0).every((t) => t.name.startsWith('A.2 Error rate and error budgets: ') && t.status === 'passed')).toBe(true);
    expect(results.tests.some((t) => t.name.includes('type-check') && t.status === 'passed')).toBe(true);
  });

  it('classroom appends result=<base64> to GITHUB_OUTPUT, as a grader step does', async () => {
    const githubOutput = path.join(scratch, 'github-output');
    writeFileSync(githubOutput, 'earlier=1\n');
    const { code, stdout } = await cli(['grade', 'A.2', '--solutions', '--format', 'classroom'], { GITHUB_OUTPUT: githubOutput });
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d+ passed, 0 failed/);
    const lines = readFileSync(githubOutput, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('earlier=1');
    expect(lines[1]).toMatch(/^result=[A-Za-z0-9+/]+=*$/);
    const result = decodeClassroomResult(lines[1]!.slice('result='.length));
    expect(result.status).toBe('pass');
    expect(result.max_score).toBeGreaterThan(0);
    expect(result.tests.reduce((sum, t) => sum + t.score, 0)).toBe(result.max_score);
  });

  it('classroom prints the base64 on the last line without GITHUB_OUTPUT or --out', async () => {
    const { code, stdout } = await cli(['grade', 'A.2', '--solutions', '--format', 'classroom']);
    expect(code).toBe(0);
    const last = stdout.trimEnd().split('\n').at(-1)!;
    expect(decodeClassroomResult(last).status).toBe('pass');
  });

  it.each([
    [['--format', 'gradescope'], /--format gradescope writes DIR\/results\.json: add --out DIR/],
    [['--format', 'xml'], /Unknown --format "xml": use one of text, json, gradescope, classroom/],
    [['--json', '--format', 'classroom'], /use either --json or --format classroom, not both/],
    [['--format', 'json', '--out', 'somewhere'], /--out DIR is where --format gradescope or --format classroom write their file/],
  ])('grade A.2 %j exits 2 with a clear message and grades nothing', async (args, message) => {
    const { code, stdout, stderr } = await cli(['grade', 'A.2', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error \[USAGE\]: /);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});

describe('the GitHub Classroom workflow', () => {
  interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
    'continue-on-error'?: boolean;
  }
  const workflow = parse(readFileSync(path.join(PROJECT_ROOT, '.github/workflows/classroom.yml'), 'utf8')) as {
    name: string;
    on: Record<string, unknown>;
    jobs: Record<string, { steps: Step[] }>;
  };
  const jobs = Object.entries(workflow.jobs);
  const steps = jobs[0]![1].steps;

  it('is the one job Classroom looks for, on push and by hand', () => {
    expect(workflow.name).toBe('Autograding Tests');
    expect(jobs.map(([id]) => id)).toEqual(['run-autograding-tests']);
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'workflow_dispatch']);
  });

  it('sets up Node 26 (the current LTS) with the npm cache, installs the workbook and Prometheus', () => {
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with).toMatchObject({ 'node-version': 26, cache: 'npm' });
    expect(steps.some((s) => s.run?.trim() === 'npm ci --no-audit --no-fund')).toBe(true);
    expect(steps.some((s) => /apt-get install .*prometheus/.test(s.run ?? ''))).toBe(true);
  });

  it('grades with --format classroom, keeps going on a failing grade, and reports that step’s result', () => {
    const graders = steps.filter((s) => s.run?.includes('npm run grade -- --format classroom'));
    expect(graders).toHaveLength(1);
    const grader = graders[0]!;
    expect(grader.id).toBe('grade');
    expect(grader['continue-on-error']).toBe(true);
    const reporterAt = steps.findIndex((s) => s.uses === 'classroom-resources/autograding-grading-reporter@v1');
    expect(reporterAt).toBeGreaterThan(steps.indexOf(grader));
    const reporter = steps[reporterAt]!;
    expect(reporter.with?.runners).toBe(grader.id);
    // The reporter reads <RUNNER ID IN CAPITALS>_RESULTS.
    expect(reporter.env?.[`${grader.id!.toUpperCase()}_RESULTS`]).toBe(`\${{ steps.${grader.id}.outputs.result }}`);
  });

  it('writes the points to the job summary, also when the grade fails', () => {
    const summary = steps.find((s) => s.run?.includes('$GITHUB_STEP_SUMMARY'));
    expect(summary?.if).toBe('always()');
    expect(summary?.env?.GRADE_RESULTS).toBe('${{ steps.grade.outputs.result }}');
    expect(steps.indexOf(summary!)).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith('classroom-resources/')));
  });
});

describe('the Gradescope autograder', () => {
  const dir = path.join(PROJECT_ROOT, 'autograder');
  const runAutograder = readFileSync(path.join(dir, 'run_autograder'), 'utf8');
  const setup = readFileSync(path.join(dir, 'setup.sh'), 'utf8');

  it('has executable bash scripts that stop on the first error', () => {
    for (const script of ['run_autograder', 'setup.sh']) {
      const file = path.join(dir, script);
      expect(() => accessSync(file, constants.X_OK)).not.toThrow();
      expect(statSync(file).mode & 0o111).toBe(0o111);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(text).toMatch(/^set -euo pipefail$/m);
    }
  });

  it('grades the submission into /autograder/results', () => {
    // One learner, graded as a class of one: in the sandbox where there is one, results written by the grader.
    expect(runAutograder).toContain('npm run grade -- class "$WORK/class" --out "$WORK/grades" --format gradescope --jobs 1');
    expect(runAutograder).toContain('cp "$WORK/grades/gradescope/submission/results.json" "$RESULTS/results.json"');
    expect(runAutograder).toMatch(/^SECTIONS=""$/m);
    expect(runAutograder).toContain('/autograder/submission');
  });

  it('installs Node.js 26, Prometheus and the workbook in setup.sh', () => {
    expect(setup).toMatch(/^NODE_MAJOR=26$/m);
    expect(setup).toContain('apt-get install -y --no-install-recommends nodejs npm');
    expect(setup).toContain('sha256sum -c');
    expect(setup).toContain('apt-get install -y --no-install-recommends prometheus bubblewrap');
    expect(setup).toMatch(/^cd "\$SOURCE"\nnpm ci/m);
  });

  // run_autograder itself, with /autograder moved to a scratch folder whose source is this workbook.
  function sandbox(name: string, sections: string): { root: string; script: string } {
    const root = path.join(scratch, name);
    mkdirSync(path.join(root, 'submission'), { recursive: true });
    symlinkSync(PROJECT_ROOT, path.join(root, 'source'));
    const script = path.join(root, 'run_autograder');
    writeFileSync(script, runAutograder.replaceAll('/autograder', root).replace(/^SECTIONS=""$/m, `SECTIONS="${sections}"`));
    return { root, script };
  }

  it('finds the exercises in a copy of the workbook wrapped in a folder and grades them', async () => {
    const { root, script } = sandbox('whole-copy', 'A.2');
    cpSync(path.join(PROJECT_ROOT, 'solutions', 'A'), path.join(root, 'submission', 'my-workbook', 'exercises', 'A'), { recursive: true });
    mkdirSync(path.join(root, 'submission', 'my-workbook', 'exercises', 'A', 'node_modules'));
    const { GITHUB_OUTPUT: _ignored, ...env } = process.env;
    await run('bash', [script], { env: { ...env, WORKBOOK_PROGRESS_FILE: path.join(scratch, 'progress.json') } });
    expect(existsSync(path.join(root, 'work', 'class', 'submission', 'exercises', 'A', 'node_modules'))).toBe(false);
    const results = gradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')));
    expect(results.max_score).toBeGreaterThan(0);
    expect(results.score).toBe(results.max_score);
    expect(results.tests.filter((t) => t.max_score > 0).every((t) => t.name.startsWith('A.2 '))).toBe(true);
  });

  it('writes a results.json worth nothing that says why, when the submission has no exercises', async () => {
    const { root, script } = sandbox('empty', '');
    writeFileSync(path.join(root, 'submission', 'notes.txt'), 'nothing here');
    await run('bash', [script]);
    const results = JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) as Record<string, unknown>;
    expect(results).toMatchObject({ score: 0, tests: [], visibility: 'visible', stdout_visibility: 'hidden' });
    expect(results.output).toMatch(/^No exercises were found in your submission/);
    expect(existsSync(path.join(root, 'work'))).toBe(false); // nothing was graded
  });
});
