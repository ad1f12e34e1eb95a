// The workbook's subcommands: hints revealed one at a time and remembered, progress that survives a
// corrupt file and a kill in the middle of a write, and a lesson printed without a terminal.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';

const run = promisify(execFile);
const home = makeWorkDir('subcommands');
const progressFile = path.join(home, 'progress.json');
afterAll(() => removeDir(home));

async function start(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'start', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1', WORKBOOK_PROGRESS_FILE: progressFile },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start -- hint', () => {
  it('reveals one more hint each time and remembers how many', async () => {
    const first = await start('hint', 'B.3');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Hint 1 of 3 for B.3');
    expect(first.stdout).not.toContain('Hint 2 of 3');
    const second = await start('hint', 'b.3');
    expect(second.stdout).toContain('Hint 2 of 3 for B.3');
    expect(JSON.parse(readFileSync(progressFile, 'utf8')).hints['B.3']).toBe(2);
  });

  it('rebuilds a corrupt progress file instead of crashing', async () => {
    writeFileSync(progressFile, '{"version": 1, "hints": {"B.3": ');
    const { code, stdout, stderr } = await start('hint', 'B.4');
    expect(code).toBe(0);
    expect(stderr).toMatch(/could not be read, so progress starts afresh/);
    expect(stdout).toContain('Hint 1 of 3 for B.4');
    expect(JSON.parse(readFileSync(progressFile, 'utf8')).hints).toEqual({ 'B.4': 1 });
  });

  it('names the problem on a bad exercise id', async () => {
    const { code, stderr } = await start('hint', 'Z.1');
    expect(code).toBe(2);
    expect(stderr).toMatch(/There is no exercise "Z\.1"/);
  });
});

describe('progress file', () => {
  it('survives the process being killed in the middle of writes', async () => {
    const writer = spawn(process.execPath, ['--import', 'tsx', '-e', `
      import('${path.join(PROJECT_ROOT, 'grader/run/progress.ts')}').then(({ writeProgress }) => {
        const big = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => ['X.' + i, i]));
        for (let i = 0; ; i++) writeProgress({ version: 1, hints: { ...big, n: i }, results: {} }, ${JSON.stringify(progressFile)});
      });`], { stdio: 'ignore' });
    // Let it get going (tsx needs a moment under load), then kill it while it keeps writing.
    const written = () => existsSync(progressFile) && /"n": [1-9]/.test(readFileSync(progressFile, 'utf8'));
    for (let i = 0; i < 200 && !written(); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    writer.kill('SIGKILL');
    await new Promise((r) => writer.on('exit', r));
    const data = JSON.parse(readFileSync(progressFile, 'utf8')) as { hints: Record<string, number> };
    expect(data.hints.n).toBeGreaterThan(0);
  });
});

describe('npm start -- lesson', () => {
  it('opens an exercise\'s lesson at its part, with the files to edit at the top', async () => {
    const { code, stdout } = await start('lesson', 'B.3');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toContain('B.3 Instrumenting every request');
    expect(lines.slice(0, 4).join('\n')).toContain('Files to edit: exercises/B/instrumentation.ts');
    expect(stdout).not.toContain('B.1 Environment check'); // the part of B.3 only
    expect(stdout).toContain('npm start -- lesson B');
    expect(stdout).not.toMatch(/^## /m);
  });

  it('prints a whole part for a section', async () => {
    const { code, stdout } = await start('lesson', 'B');
    expect(code).toBe(0);
    expect(stdout).toContain('B.1 Environment check');
    expect(stdout).toContain('B.3 Instrumenting every request');
  });
});

describe('commands that help', () => {
  it.each([
    [['hint', 'B3'], /There is no exercise "B3"\. Did you mean "B\.3"\?/],
    [['hnt', 'B.3'], /Unknown command "hnt"\. Did you mean "hint"\?/],
    [['lesson', 'b33'], /Did you mean "B\.3"\?/],
    [['reset', 'A.1', '--bogus'], /Unknown option --bogus for reset/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('%j is refused with error [CODE], the right spelling and exit 2', async (args, message) => {
    const { code, stderr, stdout } = await start(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error \[(USAGE|UNKNOWN_SELECTOR)\]: /);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each(['grade', 'watch', 'lesson', 'hint', 'progress', 'reset', 'restore', 'solution', 'check-course'])('%s --help prints its usage and exits 0', async (name) => {
    const { code, stdout } = await start(name, '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: /);
  });

  it('--help alone lists every command', async () => {
    const { code, stdout } = await start('--help');
    expect(code).toBe(0);
    for (const name of ['grade', 'watch', 'lesson', 'hint', 'progress', 'reset', 'restore', 'solution', 'class']) expect(stdout).toContain(`  ${name}`);
  });

  it('grade refuses an unknown option with the right spelling, not Node\'s message about --', async () => {
    const { code, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', '--jsno'], { cwd: PROJECT_ROOT }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option --jsno for grade\. Did you mean --json\?/);
    expect(stderr).not.toMatch(/place it at the end of the command/);
  });

  it('npx workbook runs the same commands (the package\'s own bin)', async () => {
    const bin = path.join(PROJECT_ROOT, 'grader/cli/workbook.mjs');
    const { stdout } = await run(process.execPath, [bin, 'grade', 'A.2', '--solutions', '--json'], { cwd: PROJECT_ROOT });
    const report = JSON.parse(stdout) as { summary: { fail: number; pass: number } };
    expect(report.summary.pass).toBeGreaterThan(0);
    const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.workbook).toBe('grader/cli/workbook.mjs');
  });
});
