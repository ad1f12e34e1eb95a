// A warm vitest for the menu and watch: loaded once for one target folder, it runs hidden suites again
// on each request over IPC, every time on that folder's files as they are on disk at the request.
// Plain JavaScript: it starts without a TypeScript loader (vitest transforms the suites itself).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createVitest } from 'vitest/node';

const [config, runDir, ...reporters] = process.argv.slice(2);
if (!config || !runDir || !process.send) {
  console.error('Usage (over IPC, from the grader, with WORKBOOK_TARGET set): node vitest-server.mjs <config> <run folder> [reporter ...]');
  process.exit(2);
}
// Each run's JSON report, and what the run reporter (grader/live/run-reporter.ts) writes beside it.
const reportFile = path.join(runDir, 'report.json');
process.env.WORKBOOK_RUN_DIR = runDir;
// Its workers outlive a grade: every suite starts in a fresh one (grader/suites/vitest.config.ts).
process.env.WORKBOOK_ISOLATE_ALL = '1';

const vitest = await createVitest('test', { config, watch: false, reporters: ['json', ...reporters], outputFile: { json: reportFile } });
// Reporters and the rest, without running anything yet.
await vitest.standalone();

let queue = Promise.resolve();
process.on('message', (message) => {
  queue = queue.then(async () => {
    const { id, files, seed, invalidate } = message;
    for (const name of ['report.json', 'unhandled.json', 'files.jsonl']) rmSync(path.join(runDir, name), { force: true });
    process.env.WORKBOOK_SEED = String(seed);
    // The files of the target as the grader found them at the request (their transforms are not reused).
    for (const file of invalidate) vitest.invalidateFile(file);
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
