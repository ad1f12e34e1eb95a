// Runs the workbook's command line as a learner or an instructor would, to its end: exit code,
// output, and the command's own pid (the owner of the class runs it starts).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../paths.js';

const run = promisify(execFile);

export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string; pid: number | undefined }> {
  const running = run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const pid = running.child.pid;
  try {
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr, pid };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, pid };
  }
}
