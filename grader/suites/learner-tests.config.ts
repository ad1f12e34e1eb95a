// Runs a learner's own tests (B.7) in the folder WORKBOOK_LEARNER_DIR, with nothing of theirs
// deciding how they are run.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const dir = path.resolve(process.env.WORKBOOK_LEARNER_DIR ?? '.');

export default defineConfig({
  root: dir,
  test: {
    include: ['*.test.ts'],
    pool: 'threads',
    testTimeout: 5000,
    hookTimeout: 5000,
    watch: false,
  },
});
