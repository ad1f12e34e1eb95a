// Grades many variants of one unit-graded exercise in a single vitest run: one vitest project per
// variant, each with `@target` pointing at its own copy. The same verdicts as a grade of each alone
// (suiteVerdicts), at a fraction of the cost; anything the shared run cannot attribute is graded alone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../../course/schema.js';
import { runLight } from '../../processes.js';
import type { Verdict } from '../../report/results.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import { runSuites, suiteFile, suiteVerdicts, SUITE_TIMEOUT_MS } from '../../run/suites.js';
import type { FileResult } from '../../live/vitest-json.js';
import { makeSubmission, type Variant } from './submission.js';
import { leftoversAfter } from './processes.js';

const VITEST = path.join(PROJECT_ROOT, 'node_modules/vitest/vitest.mjs');
const REPORTER = path.join(PROJECT_ROOT, 'grader/test/helpers/project-reporter.ts');
const SEED = 424242;

export interface BatchResult {
  verdicts: Map<string, Verdict>;
  leftovers: string[];
}

/** Whether every criterion of the exercise is judged by its hidden suite alone. */
export const unitOnly = (exercise: Exercise): boolean => exercise.criteria.every((c) => c.check === 'suite');

export async function gradeSuitesBatch(exercise: Exercise, variants: Variant[]): Promise<BatchResult[]> {
  const dirs = variants.map((v) => makeSubmission(v));
  const work = makeWorkDir('batch');
  try {
    const config = path.join(work, 'vitest.batch.config.ts');
    const suite = path.relative(PROJECT_ROOT, suiteFile(exercise.id)).split(path.sep).join('/');
    writeFileSync(
      config,
      [
        "import { defineConfig } from 'vitest/config';",
        `import { learnerImportRules } from ${JSON.stringify(path.join(PROJECT_ROOT, 'grader/suites/vitest.config.ts'))};`,
        `const root = ${JSON.stringify(PROJECT_ROOT)};`,
        `const dirs = ${JSON.stringify(dirs)};`,
        'export default defineConfig({ root, test: { watch: false, projects: dirs.map((dir, i) => ({',
        "  plugins: [learnerImportRules(dir)],",
        "  resolve: { alias: [{ find: /^@target\\//, replacement: `${dir}/` }] },",
        `  test: { name: \`v\${i}\`, root, include: [${JSON.stringify(suite)}], setupFiles: [${JSON.stringify(path.join(PROJECT_ROOT, 'grader/suites/guard-setup.ts'))}], provide: { target: dir }, pool: 'threads', testTimeout: 5000, hookTimeout: 5000 },`,
        '})) } });',
      ].join('\n'),
    );
    const out = path.join(work, 'projects.json');
    // The same young generation as a grade (live/vitest-json.ts), so memory is measured the same way.
    const result = await runLight(process.execPath, ['--max-semi-space-size=16', VITEST, 'run', '--config', config, `--reporter=${REPORTER}`], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', CI: '1', WORKBOOK_SEED: String(SEED), WORKBOOK_PROJECTS_FILE: out },
      timeoutMs: SUITE_TIMEOUT_MS + 1_000 * dirs.length,
    });
    let parsed: { projects: Array<{ project: string; file: string; message: string; tests: FileResult['tests'] }>; unhandled: string[] } | undefined;
    try {
      parsed = result.timedOut ? undefined : JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      parsed = undefined;
    }
    const results: BatchResult[] = [];
    for (const [i, dir] of dirs.entries()) {
      const mine = parsed?.projects.find((p) => p.project === `v${i}`);
      let verdicts: Map<string, Verdict>;
      if (!parsed || parsed.unhandled.length > 0 || !mine) {
        // The shared run cannot say which variant it was: grade this one alone, as a grade would.
        verdicts = await runSuites([exercise], dir, SEED);
      } else {
        const file: FileResult = { file: mine.file, status: mine.tests.every((t) => t.status === 'passed') ? 'passed' : 'failed', message: mine.message, tests: mine.tests.map((t) => ({ ...t, file: mine.file })) };
        verdicts = suiteVerdicts(exercise, { kind: 'done', files: [file], numTotalTests: mine.tests.length, stderr: '', unhandled: [] });
      }
      results.push({ verdicts, leftovers: await leftoversAfter(dir) });
    }
    return results;
  } finally {
    removeDir(work);
    dirs.forEach(removeDir);
  }
}
