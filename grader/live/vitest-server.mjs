// A warm vitest for the menu and watch: loaded once for one target folder, it runs hidden suites again
// on each request over IPC, every time on that folder's files as they are on disk at the request.
// Plain JavaScript: it starts without a TypeScript loader (vitest transforms the suites itself).
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createVitest } from 'vitest/node';

const [config, target, runDir, ...reporters] = process.argv.slice(2);
if (!config || !target || !runDir || !process.send) {
  console.error('Usage (over IPC, from the grader): node vitest-server.mjs <config> <target> <run folder> [reporter ...]');
  process.exit(2);
}
// Each run's JSON report, and what the run reporter (grader/live/run-reporter.ts) writes beside it.
const reportFile = path.join(runDir, 'report.json');
process.env.WORKBOOK_RUN_DIR = runDir;
// Its workers outlive a grade: every suite starts in a fresh one (grader/suites/vitest.config.ts).
process.env.WORKBOOK_ISOLATE_ALL = '1';

/** Every file of the target folder (node_modules and dot-folders left out). */
function filesOf(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const full = path.join(dir, name);
    try {
      return statSync(full).isDirectory() ? filesOf(full) : [full];
    } catch {
      return [];
    }
  });
}

const vitest = await createVitest('test', { config, watch: false, reporters: ['json', ...reporters], outputFile: { json: reportFile } });
// Reporters and the rest, without running anything yet.
await vitest.standalone();

let queue = Promise.resolve();
process.on('message', (message) => {
  queue = queue.then(async () => {
    const { id, files, seed } = message;
    for (const name of ['report.json', 'unhandled.json', 'files.jsonl']) rmSync(path.join(runDir, name), { force: true });
    process.env.WORKBOOK_SEED = String(seed);
    // The learner's files may have changed since the last run: none of their transforms is reused.
    for (const file of filesOf(target)) vitest.invalidateFile(file);
    let error;
    try {
      await vitest.runTestFiles(files);
    } catch (e) {
      error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    process.send({ id, error });
  });
});
// The grader is gone: so is this.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
