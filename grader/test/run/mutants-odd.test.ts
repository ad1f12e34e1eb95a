// Every criterion can fail (second half of the mutant list; see mutants.test.ts).
import { loadCourse } from '../../course/load.js';
import { allAlternatives, allMutants as mutants } from '../fixtures/all-mutants.js';
import { describeAlternatives, describeMutants } from './mutants.js';

const exclusive = new Set(loadCourse().sections.flatMap((s) => s.exercises).filter((e) => e.exclusive).map((e) => e.id));
describeMutants(mutants.filter((m) => !exclusive.has(m.criterion.split('.').slice(0, 2).join('.'))).filter((_, i) => i % 2 === 1));
describeAlternatives(allAlternatives.filter((a) => !a.exercises.some((e) => exclusive.has(e))).filter((_, i) => i % 2 === 1));
