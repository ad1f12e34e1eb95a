// Every criterion can fail: a realistic buggy variant of the solution fails exactly that criterion
// and leaves the other criteria of its exercise passing (first half of the list).
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { allAlternatives, allMutants as mutants } from '../fixtures/all-mutants.js';
import { describeAlternatives, describeMutants } from './mutants.js';

describe('every criterion has a mutant', () => {
  it('lists one mutant per criterion of the course', () => {
    const ids = loadCourse().sections.flatMap((s) => s.exercises.flatMap((e) => e.criteria.map((c) => c.id)));
    expect(ids.filter((id) => !mutants.some((m) => m.criterion === id))).toEqual([]);
    expect(ids.length).toBeGreaterThanOrEqual(20);
  });
});

// Mutants of exercises graded alone (they measure time or memory) all run here, one after another,
// so two of them never compete for the cores; the rest are split between this file and the other.
const exclusive = new Set(loadCourse().sections.flatMap((s) => s.exercises).filter((e) => e.exclusive).map((e) => e.id));
const isExclusive = (criterion: string) => exclusive.has(criterion.split('.').slice(0, 2).join('.'));
describeMutants([...mutants.filter((m) => isExclusive(m.criterion)), ...mutants.filter((m) => !isExclusive(m.criterion)).filter((_, i) => i % 2 === 0)]);

// Correct alternatives: those of exercises graded alone run here too, one after another.
describeAlternatives([...allAlternatives.filter((a) => a.exercises.some((e) => exclusive.has(e))), ...allAlternatives.filter((a) => !a.exercises.some((e) => exclusive.has(e))).filter((_, i) => i % 2 === 0)]);
