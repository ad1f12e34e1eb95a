// The untouched stub of a learner file, from the commit that first added it to the project's history.
import { execFileSync } from 'node:child_process';
import { WorkbookError } from '../errors.js';
import { PROJECT_ROOT } from './paths.js';

export function originalStub(file: string): string {
  const rel = `exercises/${file}`;
  try {
    const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%H', '--', rel], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .filter(Boolean)
      .pop();
    if (!added) throw new Error('not in history');
    return execFileSync('git', ['show', `${added}:${rel}`], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    throw new WorkbookError('TARGET_MISSING', `The original stub of ${rel} could not be found: reset needs the workbook's git history (a git clone of it).`);
  }
}
