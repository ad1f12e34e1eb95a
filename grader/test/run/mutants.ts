// Shared body of the mutant tests (split over two files so they run on both cores).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Exercise } from '../../course/schema.js';
import { gradeSuitesBatch, unitOnly, type BatchResult } from '../helpers/batch-suites.js';
import { findExercise, loadCourse } from '../../course/load.js';
import type { Mutant } from '../fixtures/mutants.js';
import type { Variant } from '../helpers/submission.js';
import { gradeVariant, statusById } from '../helpers/submission.js';

const course = loadCourse();
// B.7's "catches" criteria depend on B.7.tests-pass: a bug "caught" by a test that fails everywhere
// proves nothing, so a broken test fails them too, by design.
const dependents: Record<string, string[]> = {
  'B.7.tests-pass': ['B.7.catches-wrong-unit', 'B.7.catches-missing-label', 'B.7.catches-self-counted', 'B.7.catches-uncounted-errors', 'B.7.catches-wrong-error-type', 'B.7.catches-json-page', 'B.7.catches-wrong-content-type', 'B.7.catches-invalid-predictions-counted'],
};

/** Mutants of exercises judged by their hidden suite alone are graded together, one vitest run per
 * exercise (grader/test/helpers/batch-suites.ts); the others one grade each. */
export function describeMutants(list: Mutant[]): void {
  const exerciseOf = (m: Mutant) => findExercise(course, m.criterion)?.exercise;
  const batched = new Map<Exercise, Mutant[]>();
  for (const m of list) {
    const exercise = exerciseOf(m);
    if (exercise && unitOnly(exercise)) batched.set(exercise, [...(batched.get(exercise) ?? []), m]);
  }
  for (const [exercise, group] of batched) {
    describe(`${exercise.id}: ${group.length} mutants graded together`, () => {
      let results: BatchResult[] = [];
      beforeAll(async () => {
        results = await gradeSuitesBatch(exercise, group);
      }, 300_000);
      it.each(group.map((mutant, i) => ({ ...mutant, i })))('$criterion ($bug) fails that criterion and no other of its exercise', ({ i, ...mutant }) => {
        const { verdicts, leftovers } = results[i]!;
        expect(leftovers).toEqual([]);
        const statuses = Object.fromEntries(exercise.criteria.map((c) => [c.id, verdicts.get(c.id)?.status ?? 'missing']));
        const mustFail = new Set([mutant.criterion, ...(dependents[mutant.criterion] ?? []), ...(mutant.alsoFails ?? [])]);
        expect(statuses).toEqual(Object.fromEntries(exercise.criteria.map((c) => [c.id, mustFail.has(c.id) ? 'fail' : 'pass'])));
        expect(verdicts.get(mutant.criterion)!.message.length, 'a failing criterion says why').toBeGreaterThan(10);
        expect(exercise.criteria.find((c) => c.id === mutant.criterion)?.hint, 'a failing criterion comes with a hint').toBeTruthy();
      });
    });
  }
  describe.each(list.filter((m) => !batched.has(exerciseOf(m)!)))('$criterion ($bug)', (mutant) => {
    it('fails that criterion and no other of its exercise (skipped where it needs Prometheus and it is not installed)', async (ctx) => {
      const found = findExercise(course, mutant.criterion);
      expect(found, `${mutant.criterion} is in the course`).toBeDefined();
      const { report, leftovers } = await gradeVariant(mutant, [found!.exercise.id]);
      expect(leftovers).toEqual([]);
      const statuses = statusById(report);
      const toolsMissing = !report.prometheus.promtool || !report.prometheus.prometheus;
      // Without Prometheus, a criterion that needs it is honestly skipped: it can neither pass nor fail.
      if (toolsMissing && statuses[mutant.criterion] === 'skipped') ctx.skip();
      const mustFail = new Set([mutant.criterion, ...(dependents[mutant.criterion] ?? []), ...(mutant.alsoFails ?? [])]);
      const expected = Object.fromEntries(
        Object.entries(statuses).map(([id, status]) => [id, toolsMissing && status === 'skipped' ? 'skipped' : mustFail.has(id) ? 'fail' : 'pass']),
      );
      expect(statuses).toEqual(expected);
      const target = report.sections[0]!.criteria.find((c) => c.id === mutant.criterion)!;
      expect(target.message.length, 'a failing criterion says why').toBeGreaterThan(10);
      expect(target.hint, 'a failing criterion comes with a hint').toBeTruthy();
    });
  });
}

/** A correct answer written another way than the reference: it must pass every criterion of its
 * exercises (skipped ones only where the Prometheus tools are missing). */
export interface Alternative extends Variant {
  name: string;
  exercises: string[];
  why: string;
}

export function describeAlternatives(list: Alternative[]): void {
  describe.each(list)('$name', (alternative) => {
    it('passes every criterion of its exercises', async () => {
      const { report, leftovers } = await gradeVariant(alternative, alternative.exercises, { typecheck: true });
      expect(leftovers).toEqual([]);
      // A correct answer type-checks too.
      expect(report.sections.map((s) => s.typecheck?.errors ?? []).flat()).toEqual([]);
      const toolsMissing = !report.prometheus.promtool || !report.prometheus.prometheus;
      const notPassing = report.sections
        .flatMap((s) => s.criteria)
        .filter((c) => c.status !== 'pass' && !(toolsMissing && c.status === 'skipped'))
        .map((c) => `${c.id}: ${c.status}: ${c.message} ${c.expected ?? ''} ${c.seen ?? ''}`);
      expect(notPassing).toEqual([]);
    });
  });
}
