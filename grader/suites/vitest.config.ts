// Runs the hidden suites against the tree being graded. The one resolution point: `@target/...`
// imports resolve into WORKBOOK_TARGET (exercises/ by default).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.resolve(root, process.env.WORKBOOK_TARGET ?? 'exercises');

export default defineConfig({
  root,
  resolve: { alias: [{ find: /^@target\//, replacement: `${target}/` }] },
  test: {
    include: ['grader/suites/**/*.test.ts'],
    pool: 'threads',
    testTimeout: 5000,
    hookTimeout: 5000,
    watch: false,
    reporters: [],
  },
});
