// Runs a learner's own tests (B.7) in each folder of WORKBOOK_LEARNER_DIRS (a JSON list), one vitest
// project per folder, in one process. Nothing of the learner's decides how they are run.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { sandboxSpec } from '../sandbox/runner.js';
import { untrustedPool } from '../sandbox/vitest-pool.js';
import { learnerImportRules } from './vitest.config.js';

const dirs = JSON.parse(process.env.WORKBOOK_LEARNER_DIRS ?? '[]') as string[];
// The tests must not learn which folders are run (nor in which order), so the list leaves the environment here.
delete process.env.WORKBOOK_LEARNER_DIRS;

export default defineConfig({
  test: {
    watch: false,
    projects: dirs.map((dir, i) => ({
      plugins: [learnerImportRules(path.resolve(dir))],
      test: {
        name: `run-${i}`,
        root: path.resolve(dir),
        include: ['*.test.ts'],
        pool: sandboxSpec() ? untrustedPool : ('threads' as const),
        testTimeout: 5000,
        hookTimeout: 5000,
      },
    })),
  },
});
