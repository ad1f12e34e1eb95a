// The test order: the longest end-to-end files first, so that the two workers end together (without
// a cache of earlier durations vitest starts the largest files first, and the fixture files are small).
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, as measured in CI (minutes: the fixture files about 9 each, the hostile class runs
 * 4, class grading 3.5, the whole course twice nearly 2, bad submissions and the terminal flow 1½). */
const HEAVIEST = [
  'grader/test/run/mutants.test.ts',
  'grader/test/run/mutants-odd.test.ts',
  'grader/test/run/hostile.test.ts',
  'grader/test/run/class.test.ts',
  'grader/test/run/solutions-and-stubs.test.ts',
  'grader/test/run/bad-submissions.test.ts',
  'grader/test/cli/workbook-flow.test.ts',
];

export class HeaviestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = HEAVIEST.indexOf(path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/'));
      return i === -1 ? HEAVIEST.length : i;
    };
    // Projects keep their order (they run one after the other); within each, the known heavy files lead.
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    return projects.flatMap((name) => {
      const own = sorted.filter((f) => f.project.name === name);
      return own.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
    });
  }
}
