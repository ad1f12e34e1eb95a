// Every criterion can fail: a realistic buggy variant of the solution fails exactly that criterion
// and leaves the other criteria of its exercise passing (first half of the list).
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { allMutants as mutants } from '../fixtures/all-mutants.js';
import { describeMutants } from './mutants.js';

describe('every criterion has a mutant', () => {
  it('lists one mutant per criterion of the course', () => {
    const ids = loadCourse().sections.flatMap((s) => s.exercises.flatMap((e) => e.criteria.map((c) => c.id)));
    expect(ids.filter((id) => !mutants.some((m) => m.criterion === id))).toEqual([]);
    expect(ids.length).toBeGreaterThanOrEqual(20);
  });
});

describeMutants(mutants.filter((_, i) => i % 2 === 0));
