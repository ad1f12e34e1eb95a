// The untouched stub of a learner file: the file as the workbook's own history has it now, read
// from the branch it was cloned from (so a learner's own commits never count as the stub), else HEAD.
import { execFileSync } from 'node:child_process';
import { WorkbookError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });

/** The revision that holds the workbook as published: the upstream branch, origin's HEAD, or HEAD. */
function stubRevision(): string {
  for (const rev of ['@{upstream}', 'origin/HEAD', 'HEAD']) {
    try {
      return git('rev-parse', '--verify', '--quiet', `${rev}^{commit}`).trim();
    } catch {
      // try the next
    }
  }
  throw new Error('no revision');
}

export function originalStub(file: string): string {
  const rel = `exercises/${file}`;
  try {
    return git('show', `${stubRevision()}:${rel}`);
  } catch {
    throw new WorkbookError('TARGET_MISSING', `The original stub of ${rel} could not be found: reset needs the workbook's git history (a git clone of it).`);
  }
}
