// Every criterion can fail (second half of the mutant list; see mutants.test.ts).
import { allMutants as mutants } from '../fixtures/all-mutants.js';
import { describeMutants } from './mutants.js';

describeMutants(mutants.filter((_, i) => i % 2 === 1));
