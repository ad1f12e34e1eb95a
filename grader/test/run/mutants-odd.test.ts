// Every criterion can fail (second half of the mutant list; see mutants.test.ts).
import { loadCourse } from '../../course/load.js';
import { allMutants as mutants } from '../fixtures/all-mutants.js';
import { describeMutants } from './mutants.js';

const exclusive = new Set(loadCourse().sections.flatMap((s) => s.exercises).filter((e) => e.exclusive).map((e) => e.id));
describeMutants(mutants.filter((m) => !exclusive.has(m.criterion.split('.').slice(0, 2).join('.'))).filter((_, i) => i % 2 === 1));
