// Class grading end to end: fourteen submissions for Section A (solved, partly solved, stub, and one
// per safety case) graded by one command; every row is compared with the stored gradebook, nothing
// may be left running, and the forgeries must not show up anywhere.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../../class/sandbox.js';
import { gradescopeResultsSchema } from '../../report/gradescope.js';
import { PROJECT_ROOT, WORK_ROOT } from '../../paths.js';
import { makeClass, TEST_CLASS } from '../fixtures/class/make-class.js';
import { cli } from '../helpers/cli.js';
import { classLeftovers, processesMentioning } from '../helpers/processes.js';

const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/class');
const sandbox = detectIsolation(PROJECT_ROOT).level === 'sandbox';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });


mkdirSync(WORK_ROOT, { recursive: true });
const scratch = mkdtempSync(path.join(WORK_ROOT, 'test-class-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function gradeClass(level: 'sandbox' | 'basic', extra: string[] = []) {
  const dir = path.join(scratch, `${level}-class`);
  const out = path.join(scratch, `${level}-grades`);
  const port = await freePort();
  const sleepSeconds = 3000 + Math.floor(Math.random() * 900) * 2;
  makeClass(dir, TEST_CLASS, { port, sleepSeconds });
  const workBefore = existsSync(WORK_ROOT) ? readdirSync(WORK_ROOT).filter((d) => d.startsWith('class-')) : [];
  const result = await cli(['grade', 'class', dir, '--section', 'A', '--out', out, '--memory', '768', '--jobs', '2', '--isolation', level, ...extra]);
  const workAfter = existsSync(WORK_ROOT) ? readdirSync(WORK_ROOT).filter((d) => d.startsWith('class-')) : [];
  return { dir, out, port, sleepSeconds, result, newWorkDirs: workAfter.filter((d) => !workBefore.includes(d)), left: classLeftovers(WORK_ROOT, [result.pid]) };
}

// The strongest level the machine has (as the SIGKILL case of the hostile tests): where the sandbox
// runs, the basic level's class grading is tested by the hostile class, with the cases it answers in a
// way of its own, and its stored gradebook by a machine without the sandbox.
describe.each([
  { level: 'sandbox' as const, skip: !sandbox, why: '(skipped where the sandbox is not available: it needs Linux, root, unshare and ip)' },
  { level: 'basic' as const, skip: sandbox, why: '(skipped where the sandbox runs: see above)' },
])('grade class, $level isolation $why', ({ level, skip }) => {
  it.skipIf(skip)('every row matches the stored gradebook, no forgery shows, nothing is left running', async () => {
    const { dir, out, port, sleepSeconds, result, left } = await gradeClass(level, level === 'sandbox' ? ['--format', 'gradescope'] : []);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`isolation: ${level}`));
    expect(result.stderr).toMatch(/\[14\/14\]/);

    const expected = readFileSync(path.join(FIXTURES, `expected-gradebook.${level}.csv`), 'utf8');
    expect(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toBe(expected);

    const book = JSON.parse(readFileSync(path.join(out, 'gradebook.json'), 'utf8')) as { schema: number; isolation: { level: string }; learners: Array<{ learner: string; status: string; points: number; report?: { target: string } }> };
    expect(book.schema).toBe(1);
    expect(book.isolation.level).toBe(level);
    expect(book.learners.map((l) => l.learner)).toEqual(TEST_CLASS.map((m) => m.name));
    expect(book.learners.every((l) => l.report === undefined || l.report.target !== 'forged')).toBe(true);
    expect(readdirSync(path.join(out, 'feedback')).sort()).toEqual(TEST_CLASS.map((m) => `${m.name}.md`).sort());
    expect(readFileSync(path.join(out, 'feedback', 'stub.md'), 'utf8')).toMatch(/Points: \*\*0 \/ 16\*\*[\s\S]*## To work on[\s\S]*Hint: /);
    expect(readFileSync(path.join(out, 'feedback', 'empty.md'), 'utf8')).toMatch(/could not be graded[\s\S]*no exercises\/ folder/);
    expect(readFileSync(path.join(out, 'feedback', 'whole-copy.md'), 'utf8')).toMatch(/left out and never read \(the grader uses its own configuration; links and special files are not followed\): vitest\.config\.ts, package\.json/);
    expect(readFileSync(path.join(out, 'feedback', 'tampers-expect.md'), 'utf8')).toMatch(/tampered with/);
    expect(readFileSync(path.join(out, 'feedback', 'memory-hog.md'), 'utf8')).toMatch(/killed before it finished|more than 768 MB/);
    expect(readFileSync(path.join(out, 'feedback', 'loops-forever.md'), 'utf8')).toMatch(/did not finish within 20 s/);

    if (level === 'sandbox') {
      for (const m of TEST_CLASS) {
        const gradescope = JSON.parse(readFileSync(path.join(out, 'gradescope', m.name, 'results.json'), 'utf8')) as unknown;
        expect(gradescopeResultsSchema.safeParse(gradescope).success, m.name).toBe(true);
      }
    }

    // Nothing left: no orphan (setsid included), no server on the fixed port, no copy, no stray file.
    expect(processesMentioning(`sleep ${sleepSeconds}`)).toEqual([]);
    expect(processesMentioning(`sleep ${sleepSeconds + 1}`)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    expect(left).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(level === 'sandbox' ? ['feedback', 'gradebook.csv', 'gradebook.json', 'gradescope'] : ['feedback', 'gradebook.csv', 'gradebook.json']);
  }, 400_000);
});

describe('grade class: bad input gets a clear error and changes nothing', () => {
  it.each([
    [[], /Give one folder of submissions/],
    [['no-such-folder'], /There is no folder/],
    [['grader', '--jobs', '0'], /--jobs needs a whole number above 0, got "0"/],
    [['grader', '--format', 'csv'], /--format can only be gradescope/],
    [['grader', '--isolation', 'strong'], /--isolation is auto, sandbox or basic, got "strong"/],
    [['grader', '--section', 'Z.9'], /Z\.9/],
    [['grader', '--out', 'grader/out'], /--out must be outside the submissions folder/],
    [['grader', '--extra-suites', 'no-such-dir'], /--extra-suites needs a folder/],
    [['grader', '--out', 'package.json'], /--out names .*package\.json, which is a file/],
  ])('%j', async (args, message) => {
    const out = path.join(scratch, `never-${Math.random().toString(36).slice(2)}`);
    const withOut = args.includes('--out') || args.length === 0 ? args : [...args, '--out', out];
    const { code, stderr } = await cli(['grade', 'class', ...withOut]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });
});

describe('grade class --extra-suites', () => {
  it("adds the instructor's hidden criteria to every learner's row, with their points", async () => {
    const dir = path.join(scratch, 'extra-class');
    const extra = path.join(scratch, 'extra-suites');
    const out = path.join(scratch, 'extra-grades');
    makeClass(dir, [{ name: 'solved', kind: 'solved' }, { name: 'stub', kind: 'stub' }], { port: 1, sleepSeconds: 1 });
    const good = path.join(PROJECT_ROOT, 'grader/test/fixtures/extra-suites/good');
    mkdirSync(extra);
    for (const f of readdirSync(good)) cpSync(path.join(good, f), path.join(extra, f.replace(/\.suite\.ts$/, '.test.ts')));
    const { code, stderr } = await cli(['grade', 'class', dir, '--section', 'A.1', '--section', 'A.2', '--out', out, '--extra-suites', extra]);
    expect(code, stderr).toBe(0);
    const [header, ...rows] = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const cell = (learner: string, id: string) => rows.find((r) => r.startsWith(`${learner},`))!.split(',')[columns.indexOf(id)];
    expect(columns).toEqual(expect.arrayContaining(['A.1.extra-p90-of-ten', 'A.2.extra-one-day']));
    expect(columns.indexOf('A.1.extra-p90-of-ten')).toBeLessThan(columns.indexOf('A.2.error-rate'));
    expect(cell('solved', 'A.1.extra-p90-of-ten')).toBe('3');
    expect(cell('solved', 'A.2.extra-one-day')).toBe('2');
    expect(cell('stub', 'A.1.extra-p90-of-ten')).toBe('0');
    expect(readFileSync(path.join(out, 'feedback', 'stub.md'), 'utf8')).toMatch(/A\.1\.extra-p90-of-ten, 0\/3/);
  }, 120_000);
});

describe('grade class stopped with Ctrl-C', () => {
  it.each(['basic', ...(sandbox ? ['sandbox'] : [])])('%s: leaves no process, no copy and no limit group behind', async (level) => {
    const dir = path.join(scratch, `interrupted-${level}`);
    const sleepSeconds = 3000 + Math.floor(Math.random() * 900) * 2;
    makeClass(dir, [{ name: 'orphans', kind: 'orphans' }, { name: 'loops-forever', kind: 'loops-forever' }], { port: 1, sleepSeconds });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', 'class', dir, '--section', 'A', '--out', path.join(scratch, `interrupted-${level}-out`), '--isolation', level], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Wait until the orphans are running (they outlive their own grade), then press Ctrl-C.
    for (const end = Date.now() + 60_000; Date.now() < end && processesMentioning(`sleep ${sleepSeconds + 1}`).length === 0; ) await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(`sleep ${sleepSeconds + 1}`).length, 'the setsid orphan started').toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    await new Promise((r) => setTimeout(r, 300));
    expect(processesMentioning(`sleep ${sleepSeconds}`)).toEqual([]);
    expect(processesMentioning(`sleep ${sleepSeconds + 1}`)).toEqual([]);
    expect(processesMentioning(dir)).toEqual([]);
    // (Other tests may grade classes meanwhile: only what ended runs left counts.)
    expect(classLeftovers(WORK_ROOT, [child.pid])).toEqual([]);
  }, 120_000);
});

describe('grade class --timeout', () => {
  it('a submission still being graded at its time limit is stopped and gets a row that says so', async () => {
    const dir = path.join(scratch, 'timeout-class');
    const out = path.join(scratch, 'timeout-grades');
    makeClass(dir, [{ name: 'slow', kind: 'loops-forever' }], { port: 1, sleepSeconds: 1 });
    const { code, stderr } = await cli(['grade', 'class', dir, '--section', 'A.1', '--out', out, '--timeout', '3']);
    expect(code, stderr).toBe(0);
    expect(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toMatch(/\nslow,slow,error,0,3,,,,"grading did not finish within 3 s \(the time limit per submission\), so it was stopped"\n$/);
    expect(processesMentioning(dir)).toEqual([]);
  }, 60_000);
});
