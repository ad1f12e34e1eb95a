// A vitest reporter that writes the run's unhandled errors (a rejection nobody caught, an error thrown
// from a timer) to the file WORKBOOK_UNHANDLED_FILE names: vitest's JSON report leaves them out.
import { writeFileSync } from 'node:fs';

interface SerializedError {
  name?: string;
  message?: string;
  type?: string;
}

export default class UnhandledErrorsReporter {
  onTestRunEnd(_modules: unknown, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const file = process.env.WORKBOOK_UNHANDLED_FILE;
    if (!file) return;
    const errors = unhandledErrors.map((e) => `${e.type ? `${e.type}: ` : ''}${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message ?? String(e)}`);
    writeFileSync(file, JSON.stringify(errors));
  }
}
