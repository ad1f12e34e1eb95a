// Learner code runs inside the hidden suites' test worker. These submissions start from the A.1 stub,
// answer wrongly, and tamper with the test framework so that the wrong answers would pass: importing
// vitest is refused (grader/suites/vitest.config.ts), and the canary in grader/suites/guard-setup.ts
// fails every test after which the framework no longer works. No A.1 criterion may pass, and each
// says why; the reference solution still passes (no false alarm).
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../report/results.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import { suiteFile } from '../../run/suites.js';
import { runVitest } from '../../live/vitest-json.js';
import { makeSubmission } from '../helpers/submission.js';

const run = promisify(execFile);
const FIXTURES = path.join(PROJECT_ROOT, 'grader/test/fixtures/tamper');
const made: string[] = [];
afterAll(() => made.forEach(removeDir));

/** A copy of exercises/ with the fixture's A/percentiles.ts in place of the stub. */
function submission(fixture: string): string {
  const file = 'A/percentiles.ts';
  const dir = makeSubmission({ from: 'exercises', files: { [file]: readFileSync(path.join(FIXTURES, fixture, file), 'utf8') } });
  made.push(dir);
  return dir;
}

const gradeA1 = (...args: string[]) => gradeOne('A.1', ...args);

async function gradeOne(selector: string, ...args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', selector, ...args, '--json'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    result = { code: 0, stdout, stderr };
  } catch (error) {
    result = error as { code: number; stdout: string; stderr: string };
  }
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

/** The A.1 suite run without the guards (no plugin, no canary): how many of its tests pass. */
async function passingWithoutGuards(dir: string): Promise<number> {
  const work = makeWorkDir('unguarded');
  made.push(work);
  const config = path.join(work, 'vitest.config.ts');
  writeFileSync(
    config,
    `import { defineConfig } from 'vitest/config';
export default defineConfig({
  root: ${JSON.stringify(PROJECT_ROOT)},
  resolve: { alias: [{ find: /^@target\\//, replacement: ${JSON.stringify(`${dir}/`)} }] },
  test: { include: ['grader/suites/**/*.test.ts'], pool: 'threads', watch: false, reporters: [] },
});
`,
  );
  const result = await runVitest({ config, files: [suiteFile('A.1')], env: {}, timeoutMs: 30_000 });
  if (result.kind !== 'done') throw new Error(`the unguarded run did not finish: ${JSON.stringify(result)}`);
  return result.files.flatMap((f) => f.tests).filter((t) => t.status === 'passed').length;
}

const CASES: Array<{ fixture: string; what: string; why: RegExp; threat: boolean }> = [
  {
    fixture: 'imports-vitest',
    what: 'imports expect from vitest and overrides its matchers',
    why: /could not be loaded: exercise code may not import the test framework \(vitest in A\/percentiles\.ts\)/,
    threat: true,
  },
  {
    fixture: 'patches-object-is',
    what: 'sets Object.is = () => true (and Math.abs) as it loads',
    why: /^the test framework was tampered with: Object\.is was replaced; Math\.abs was replaced; expect\(1\)\.toBe\(2\) passed when it must fail/,
    threat: true,
  },
  {
    fixture: 'replaces-global-expect',
    what: 'replaces globalThis.expect and the global expect vitest keeps',
    why: /^the test framework was tampered with: globalThis\.expect was added; the global expect \(globalThis\[Symbol\.for\('expect-global'\)\]\) was replaced/,
    // The suites import expect from vitest, so a replaced global does not fool them: caught all the same.
    threat: false,
  },
  {
    fixture: 'extends-global-expect',
    what: 'finds the global expect without importing vitest and overrides its matchers',
    why: /^the test framework was tampered with: .*expect\(\.\.\.\)\.toBe was replaced/,
    threat: true,
  },
];

describe('tampering with the test framework from exercise code', () => {
  it('the untouched stub passes nothing, even without the guards (so any pass below would be false)', async () => {
    expect(await passingWithoutGuards(path.join(PROJECT_ROOT, 'exercises'))).toBe(0);
  });

  it.each(CASES)('$fixture: $what → no A.1 criterion passes, and each says why', async ({ fixture, why, threat }) => {
    const dir = submission(fixture);
    if (threat) expect(await passingWithoutGuards(dir), 'without the guards some A.1 tests pass falsely').toBeGreaterThan(0);
    const { code, report, stderr } = await gradeA1('--target', dir);
    expect(code, stderr).toBe(1);
    const criteria = report.sections.flatMap((s) => s.criteria);
    expect(criteria.map((c) => c.id)).toEqual(['A.1.nearest-rank', 'A.1.validation', 'A.1.averages-lie']);
    for (const c of criteria) {
      expect(c.status, `${c.id}: ${c.message}`).toBe('error');
      expect(c.points).toBe(0);
      expect(c.message, c.id).toMatch(why);
      expect(c.message, `${c.id} shows no stack trace`).not.toMatch(/\n\s+at /);
    }
  });

  it('the reference solution still passes A.1: no false alarm', async () => {
    const { code, report } = await gradeA1('--solutions');
    expect(report.sections.flatMap((s) => s.criteria).map((c) => `${c.id}: ${c.status} ${c.status === 'pass' ? '' : c.message}`.trim())).toEqual([
      'A.1.nearest-rank: pass',
      'A.1.validation: pass',
      'A.1.averages-lie: pass',
    ]);
    expect(code).toBe(0);
  });

  it('the learner\'s own tests (B/metrics.test.ts imports vitest) still run for B.7', async () => {
    const { code, report } = await gradeOne('B.7', '--solutions');
    expect(report.sections.flatMap((s) => s.criteria).filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('suites that share a test worker (grader/suites/vitest.config.ts)', () => {
  it('a patch made after one file\'s last check is caught in the next file of the same worker', async () => {
    // Two files in one worker, in a fixed order: the first replaces Math.round (which no assertion of
    // the canary uses) once its checks are done, as learner code could on a timer; the guard of the
    // second must compare with the built-ins of before any of it ran, not with those it finds at setup.
    const work = makeWorkDir('shared-worker');
    made.push(work);
    writeFileSync(path.join(work, '1-patches.test.ts'), "import { afterAll, it } from 'vitest';\nit('passes', () => {});\nafterAll(() => { Math.round = () => 0; });\n");
    writeFileSync(path.join(work, '2-after.test.ts'), "import { expect, it } from 'vitest';\nit('passes unless the framework was tampered with', () => { expect(1).toBe(1); });\n");
    writeFileSync(
      path.join(work, 'vitest.config.ts'),
      `import { defineConfig } from 'vitest/config';
class ByName { async shard(files) { return files; } async sort(files) { return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId)); } }
export default defineConfig({
  root: ${JSON.stringify(work)},
  test: { include: ['*.test.ts'], setupFiles: [${JSON.stringify(path.join(PROJECT_ROOT, 'grader/suites/guard-setup.ts'))}], isolate: false, pool: 'threads', maxWorkers: 1, fileParallelism: false, sequence: { sequencer: ByName }, watch: false, reporters: [] },
});
`,
    );
    const result = await runVitest({ config: path.join(work, 'vitest.config.ts'), files: [], env: {}, timeoutMs: 30_000 });
    if (result.kind !== 'done') throw new Error(`the run did not finish: ${JSON.stringify(result)}`);
    const byFile = Object.fromEntries(result.files.map((f) => [path.basename(f.file), f.tests.map((t) => `${t.status}: ${t.failureMessages.join(' ').split('\n')[0]}`.trim())]));
    expect(byFile).toEqual({
      '1-patches.test.ts': ['passed:'],
      '2-after.test.ts': [expect.stringMatching(/^failed: Error: the test framework was tampered with: Math\.round was replaced$/)],
    });
  });
});
