// The command line: the JSON report's schema, exit codes, and clear errors for bad input.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../paths.js';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run grade -- --json', () => {
  it('prints one document in results schema 1 and exits 1 on the stubs', async () => {
    const { code, stdout } = await cli('grade', 'B.2', '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as Record<string, unknown> & { sections: Array<{ criteria: Array<Record<string, unknown>> }>; summary: Record<string, number> };
    expect(report.schema).toBe(1);
    expect(report.target).toBe('exercises');
    expect(report.summary).toEqual({ pass: 0, fail: 5, error: 0, skipped: 0, points: 0, max_points: 5 });
    for (const c of report.sections[0]!.criteria) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'exercise', 'title', 'kind', 'status', 'message', 'points', 'max_points']));
      expect(['unit', 'live', 'prometheus']).toContain(c.kind);
      expect(c.status).toBe('fail');
    }
  });

  it('exits 0 on the solutions and prints the text report without --json', async () => {
    const { code, stdout } = await cli('grade', 'B.2', '--solutions');
    expect(code).toBe(0);
    expect(stdout).toContain('✓ http_requests_total is a counter');
    expect(stdout).toMatch(/5 passed, 0 failed/);
  });
});

describe('bad input', () => {
  it.each([
    [['grade', 'Z.9'], /There is no section or exercise "Z.9"/],
    [['grade', '--bogus'], /Unknown option --bogus for grade/],
    [['grade', 'A.1', '--target', ''], /--target needs a folder/],
    [['grade', 'A.1', '--target', '/'], /\/ has no exercise files/],
    [['grade', 'A.1', '--target', 'lessons'], /has no exercise files/],
    [['grade', 'A.1', '--seed', '1e3'], /--seed needs a whole number/],
    [['grade', '--target', '/nonexistent/folder'], /There is no folder/],
    [['grade', '--solutions', '--target', '.'], /either --solutions or --target/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['grade', 'B', '--server-cmd', 'node x.js'], /grade Section E only, not B/],
    [['grade', '--server-cmd', 'node x.js', '--solutions'], /leave out --solutions and --target/],
    [['grade', '--server-url', 'localhost'], /needs a URL like http/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const { code, stderr, stdout } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^error \[[A-Z_]+\]: /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });

  it('leaves out a FIFO and a symbolic link in a graded folder, says so, and never follows them', async () => {
    // Outside the project, as a learner's folder would be (the grader copies it, plain files only).
    const outside = mkdtempSync(path.join(tmpdir(), 'fifo-target-'));
    try {
      mkdirSync(path.join(outside, 'A'), { recursive: true });
      cpSync(path.join(PROJECT_ROOT, 'solutions/A'), path.join(outside, 'A'), { recursive: true });
      execFileSync('mkfifo', [path.join(outside, 'A/pipe')]);
      // A link to the reference solution must not be graded as the learner's file.
      rmSync(path.join(outside, 'A/buckets.ts'));
      symlinkSync(path.join(PROJECT_ROOT, 'solutions/A/buckets.ts'), path.join(outside, 'A/buckets.ts'));
      const { code, stderr, stdout } = await cli('grade', 'A.4', '--target', outside);
      expect(stderr).toMatch(/left out: A\/pipe \(a FIFO: not followed\)/);
      expect(stderr).toMatch(/left out: A\/buckets\.ts \(a symbolic link: not followed\)/);
      expect(code).toBe(1);
      expect(stdout).toMatch(/missing file\(s\): .*A\/buckets\.ts/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
