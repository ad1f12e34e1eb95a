// The grader's own tests (npm test): a fast project (unit tests, no grade spawned; about a minute)
// and the end-to-end project (real grades, services, Prometheus, terminals). `npm run test:fast` runs
// the first alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { HeaviestFirst } from './heaviest-first.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Tests that start no grade: pure functions, parsers, the manifest, the report printers. */
export const FAST = [
  'grader/test/course/**/*.test.ts',
  'grader/test/class/gradebook.test.ts',
  'grader/test/cli/error-codes.test.ts',
  'grader/test/live/exposition.test.ts',
  'grader/test/live/histogram-quantile.test.ts',
  'grader/test/live/promql.test.ts',
  'grader/test/report/console.test.ts',
  'grader/test/report/markdown-terminal.test.ts',
  'grader/test/run/progress.test.ts',
  'grader/test/unit/**/*.test.ts',
];

export default defineConfig({
  root,
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    watch: false,
    sequence: { sequencer: HeaviestFirst },
    projects: [
      { extends: true, test: { name: 'fast', include: FAST } },
      { extends: true, test: { name: 'e2e', include: ['grader/test/**/*.test.ts'], exclude: FAST } },
    ],
  },
});
