// A vitest reporter for what its JSON report leaves out, written into the folder WORKBOOK_RUN_DIR
// names: the run's unhandled errors (a rejection nobody caught, an error thrown from a timer), in
// unhandled.json at the end, and when each test file began and ended, in files.jsonl as the run goes
// (so a run stopped at its time limit still tells which file was running, and for how long).
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface SerializedError {
  name?: string;
  message?: string;
  type?: string;
}

interface TestModule {
  moduleId: string;
}

const runDir = (): string | undefined => process.env.WORKBOOK_RUN_DIR || undefined;

function note(line: object): void {
  const dir = runDir();
  if (dir) appendFileSync(path.join(dir, 'files.jsonl'), `${JSON.stringify(line)}\n`);
}

export default class RunReporter {
  onTestModuleQueued(module: TestModule): void {
    note({ began: module.moduleId, at: Date.now() });
  }

  onTestModuleEnd(module: TestModule): void {
    note({ ended: module.moduleId, at: Date.now() });
  }

  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const dir = runDir();
    if (!dir) return;
    const errors = unhandledErrors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(e)}`);
    writeFileSync(path.join(dir, 'unhandled.json'), JSON.stringify(errors));
  }
}
