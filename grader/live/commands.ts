// Runs a command to its end (tsc, vitest, promtool) in its own process group, with a deadline.
import type { Mount } from '../sandbox/bwrap.js';
import { untrusted } from '../sandbox/runner.js';
import { adoptGroup, killGroup } from '../processes.js';

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export async function runCommand(
  file: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs: number },
): Promise<CommandResult> {
  // Loaded on first use: a grade of live checks alone never pays for it.
  const { execa } = await import('execa');
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    detached: true,
    cleanup: false,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 20_000_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  adoptGroup(child.pid, (listener) => void child.finally(listener).catch(() => {}));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  try {
    const result = await child;
    return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), timedOut };
  } finally {
    clearTimeout(timer);
    killGroup(child.pid);
  }
}

/** Runs learner code to its end: through the one runner (marked; in a class sandbox, as the
 * submission's user, with `mounts` added to its view). */
export function runLearnerCode(argv: string[], options: { cwd: string; timeoutMs: number; mounts?: Mount[] }): Promise<CommandResult> {
  const command = untrusted(argv, { cwd: options.cwd, env: { ...process.env }, ...(options.mounts && { mounts: options.mounts }) });
  return runCommand(command.file, command.args, { cwd: options.cwd, env: command.env as Record<string, string>, timeoutMs: options.timeoutMs });
}
