// Runs the hidden suites against the tree being graded. The one resolution point: `@target/...`
// imports resolve into WORKBOOK_TARGET (exercises/ by default). An instructor's extra suites
// (WORKBOOK_EXTRA_SUITES, a folder of `<exercise-id>.<name>.test.ts` files) run with this same config.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.resolve(root, process.env.WORKBOOK_TARGET ?? 'exercises');
const extraSuites = process.env.WORKBOOK_EXTRA_SUITES ? path.resolve(process.env.WORKBOOK_EXTRA_SUITES) : undefined;

/** A folder as a glob prefix: characters that mean something to the glob are escaped. */
const globDir = (dir: string): string => dir.split(path.sep).join('/').replace(/[()[\]{}*?!+@|]/g, '\\$&');

/** The test framework, as learner code must never see it: with it, a module could patch `expect`. */
const FRAMEWORK = /^(vitest|@vitest\/[^/]+|chai|tinyspy|vite)(\/.*)?$/;

/** Learner code (any module under the target other than the learner's own test files) may not import
 * the test framework: the import fails, naming the specifier and the file. */
export function noFrameworkInExerciseCode(targetDir: string): Plugin {
  const inside = (file: string) => !path.relative(targetDir, file).startsWith('..') && !path.isAbsolute(path.relative(targetDir, file));
  return {
    name: 'workbook:no-framework-in-exercise-code',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !FRAMEWORK.test(source)) return null;
      const file = importer.replace(/[?#].*$/, '').replace(/^file:\/\//, '');
      if (!path.isAbsolute(file) || !inside(file) || file.endsWith('.test.ts')) return null;
      const shown = path.relative(targetDir, file).split(path.sep).join('/');
      throw new Error(`exercise code may not import the test framework (${source} in ${shown})`);
    },
  };
}

export default defineConfig({
  root,
  plugins: [noFrameworkInExerciseCode(target)],
  resolve: { alias: [{ find: /^@target\//, replacement: `${target}/` }] },
  test: {
    include: ['grader/suites/**/*.test.ts', ...(extraSuites ? [`${globDir(extraSuites)}/*.test.ts`] : [])],
    setupFiles: [path.join(root, 'grader/suites/guard-setup.ts')],
    // The folder being graded, for suites that run a learner's file as a program (inject('target')).
    provide: { target },
    pool: 'threads',
    testTimeout: 5000,
    hookTimeout: 5000,
    watch: false,
    reporters: [],
  },
});
