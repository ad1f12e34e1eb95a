// Runs Stryker for one exercise in a process of its own, so that the runner can stop it at its time limit.
import { Stryker } from '@stryker-mutator/core';
import { strykerOptions, suiteEnv } from './config.js';

const [exercise, runner, seedText, tempDir, ...files] = process.argv.slice(2);
if (!exercise || (runner !== 'command' && runner !== 'vitest') || !tempDir || files.length === 0) {
  console.error('Usage: node --import tsx grader/mutation/stryker-worker.ts <exercise> command|vitest <seed> <temp dir> <file> ...');
  process.exit(2);
}
const seed = Number(seedText);
if (runner === 'vitest') Object.assign(process.env, suiteEnv(seed));
new Stryker(strykerOptions({ exercise, runner, seed, tempDir, files }))
  .runMutationTest()
  .then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`Stryker stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
