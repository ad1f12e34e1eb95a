// Runs the hidden suites against the tree being graded. The one resolution point: `@target/...`
// imports resolve into WORKBOOK_TARGET (exercises/ by default). An instructor's extra suites
// (WORKBOOK_EXTRA_SUITES, a folder of `<exercise-id>.<name>.test.ts` files) run with this same config.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type TestProjectInlineConfiguration } from 'vitest/config';
import { isInside } from '../paths.js';
import { sandboxSpec } from '../sandbox/runner.js';
import { untrustedPool } from '../sandbox/vitest-pool.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const target = path.resolve(root, process.env.WORKBOOK_TARGET ?? 'exercises');
const extraSuites = process.env.WORKBOOK_EXTRA_SUITES ? path.resolve(process.env.WORKBOOK_EXTRA_SUITES) : undefined;

/** A folder as a glob prefix: characters that mean something to the glob are escaped. */
const globDir = (dir: string): string => dir.split(path.sep).join('/').replace(/[()[\]{}*?!+@|]/g, '\\$&');

/** The test framework, as learner code must never see it: with it, a module could patch `expect`. */
const FRAMEWORK = /^(vitest|@vitest\/[^/]+|chai|tinyspy|vite)(\/.*)?$/;

/** Where learner code may import from. Any module under the target may import its own files and
 * installed packages, nothing else: not the grader's suites, oracles or reference, whatever the path
 * (relative, absolute, file: or /@fs/). Learner code other than the learner's own test files may not
 * import the test framework either. A refused import fails, naming the specifier and the file. */
export function learnerImportRules(targetDir: string): Plugin {
  const inside = (file: string) => isInside(targetDir, file);
  return {
    name: 'workbook:learner-import-rules',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      const file = importer.replace(/[?#].*$/, '').replace(/^file:\/\//, '');
      // Only modules judge their imports (vitest's own entry, index.html, asks for the test files).
      if (!path.isAbsolute(file) || !inside(file) || !/\.[cm]?[jt]sx?$/.test(file)) return null;
      const shown = path.relative(targetDir, file).split(path.sep).join('/');
      if (FRAMEWORK.test(source) && !file.endsWith('.test.ts')) throw new Error(`exercise code may not import the test framework (${source} in ${shown})`);
      const bare = source.replace(/[?#].*$/, '');
      let wanted: string | undefined;
      if (bare.startsWith('file://')) wanted = fileURLToPath(bare);
      else if (bare.startsWith('/@fs/')) wanted = bare.slice(4);
      else if (bare.startsWith('/') || bare.startsWith('\\')) wanted = bare;
      else if (bare.startsWith('.')) wanted = path.resolve(path.dirname(file), bare);
      if (wanted !== undefined && !inside(path.resolve(wanted))) {
        throw new Error(`exercise code may import only its own files and installed packages (${source} in ${shown})`);
      }
      return null;
    },
  };
}

/** Suites whose learner code is pure functions, each of its own files: they share test workers (a
 * worker is started and loads the test framework once for several files, about half the time of a
 * section's suites). guard-baseline.ts keeps the built-ins of a worker from before any learner code
 * ran in it, so code of one file that patches them is caught in every later file too. Every other
 * suite (services, shared registries, time zones, files on disk), an instructor's too, starts in a
 * fresh worker. WORKBOOK_ISOLATE_ALL=1 (the warm vitest of the menu and watch, which keeps its
 * workers between grades) starts every suite in a fresh worker. */
export const SHARED_WORKERS = ['A.1', 'A.2', 'A.3', 'A.4', 'A.5', 'F.3'];
const shared = process.env.WORKBOOK_ISOLATE_ALL === '1' ? [] : SHARED_WORKERS.map((id) => `grader/suites/${id}.test.ts`);

export default defineConfig({
  root,
  plugins: [learnerImportRules(target)],
  resolve: { alias: [{ find: /^@target\//, replacement: `${target}/` }] },
  test: {
    projects: [
      ...(shared.length ? [{ extends: true, test: { name: 'shared-workers', include: shared, isolate: false } } satisfies TestProjectInlineConfiguration] : []),
      { extends: true, test: { name: 'isolated', include: ['grader/suites/**/*.test.ts', ...(extraSuites ? [`${globDir(extraSuites)}/*.test.ts`] : [])], exclude: shared } },
    ],
    setupFiles: [path.join(root, 'grader/suites/guard-setup.ts')],
    // The folder being graded, for suites that run a learner's file as a program (inject('target')).
    provide: { target },
    // Inside a class sandbox the test workers run learner code as the submission's own user.
    pool: sandboxSpec() ? untrustedPool : 'threads',
    testTimeout: 5000,
    hookTimeout: 5000,
    watch: false,
    reporters: [],
  },
});
